from django.urls import path

from . import saved_views

urlpatterns = [
    path("", saved_views.saved_searches, name="saved_searches"),
    path("<int:pk>/delete/", saved_views.delete_saved_search, name="delete_saved_search"),
]

from django.urls import path

from . import saved_views, views

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="search_suggest"),
    path("save/", saved_views.save_search, name="save_search"),
]

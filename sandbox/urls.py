from django.urls import path

from . import register_views

app_name = "sandbox"

urlpatterns = [
    path("", register_views.register, name="register"),
    path("<slug:slug>/", register_views.entry, name="entry"),
]

from django.urls import path

from . import directory_views, export_views

app_name = "startups"

urlpatterns = [
    path("", directory_views.directory, name="directory"),
    path("export/", export_views.export_directory, name="export"),
    path("<slug:slug>/", directory_views.profile, name="profile"),
]

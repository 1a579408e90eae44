from django.urls import path

from . import workspace_views

app_name = "startup_workspace"

urlpatterns = [
    path("", workspace_views.my_startups, name="list"),
]

from django.urls import path

from . import applicant_views

app_name = "sandbox_applications"

urlpatterns = [
    path("", applicant_views.my_applications, name="list"),
]

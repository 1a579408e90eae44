from django.urls import path

from . import applicant_views as views

app_name = "sandbox_applications"

urlpatterns = [
    path("", views.my_applications, name="list"),
    path("new/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
]

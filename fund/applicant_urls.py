from django.urls import path

from . import applicant_views as views

app_name = "fund_applications"

urlpatterns = [
    path("", views.my_applications, name="list"),
    path("new/<int:call_id>/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/answer/", views.application_answer, name="answer"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "<int:pk>/tranches/<int:tranche_pk>/evidence/",
        views.tranche_evidence_add,
        name="evidence_add",
    ),
]

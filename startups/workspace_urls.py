from django.urls import path

from . import workspace_views as views

app_name = "startup_workspace"

urlpatterns = [
    path("", views.my_startups, name="list"),
    path("new/", views.startup_new, name="new"),
    path("invitations/<uuid:token>/", views.invitation_detail, name="invitation"),
    path("claim/", views.claim_find, name="claim"),
    path("claim/<slug:slug>/", views.claim_startup, name="claim_startup"),
    path("claim/<slug:slug>/code/", views.claim_send_code, name="claim_send_code"),
    path("claim/<slug:slug>/review/", views.claim_review, name="claim_review"),
    path("claims/<int:pk>/confirm/", views.claim_confirm, name="claim_confirm"),
    path("<int:pk>/", views.startup_detail, name="detail"),
    path("<int:pk>/edit/", views.startup_edit, name="edit"),
    path("<int:pk>/submit/", views.startup_submit, name="submit"),
    path("<int:pk>/reconfirm/", views.startup_reconfirm, name="reconfirm"),
    path("<int:pk>/members/invite/", views.member_invite, name="invite"),
    path(
        "<int:pk>/members/<int:membership_pk>/remove/",
        views.member_remove,
        name="remove_member",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views.invitation_withdraw,
        name="withdraw_invitation",
    ),
    path("<int:pk>/documents/", views.document_upload, name="upload_document"),
    path(
        "<int:pk>/documents/<uuid:document_pk>/delete/",
        views.document_delete,
        name="delete_document",
    ),
]

from django.urls import path

from . import workspace_views as views

app_name = "technology_workspace"

urlpatterns = [
    path("", views.my_technologies, name="list"),
    path("new/", views.listing_new, name="new"),
    path("<int:pk>/", views.listing_detail, name="detail"),
    path("<int:pk>/edit/", views.listing_edit, name="edit"),
    path("<int:pk>/submit/", views.listing_submit, name="submit"),
    path("<int:pk>/close/", views.listing_close, name="close"),
    path("<int:pk>/renew/", views.listing_renew, name="renew"),
    path("<int:pk>/documents/", views.document_add, name="add_document"),
    path(
        "<int:pk>/documents/<int:doc_pk>/remove/",
        views.document_remove,
        name="remove_document",
    ),
    path("<int:pk>/images/", views.image_add, name="add_image"),
    path("<int:pk>/images/<int:image_pk>/remove/", views.image_remove, name="remove_image"),
    path("enquiries/<int:pk>/", views.enquiry_detail, name="enquiry"),
]

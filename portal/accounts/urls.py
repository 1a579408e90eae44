from django.urls import path

from portal.notifications import views as notification_views

from . import views

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("inbox/", notification_views.inbox, name="inbox"),
    path("inbox/read-all/", notification_views.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("inbox/<int:pk>/", notification_views.notification_detail, name="notification_detail"),
]

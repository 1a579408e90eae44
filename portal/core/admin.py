"""Pieces of the Wagtail admin that every app's staff tools share.

The department's admin only reads through the generic views: listings (with their filters,
search and export) of records whose every change goes through the services. Decisions are taken
on each app's own review pages, so the rules, the audit log and the notifications are the same as
everywhere else.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from portal.accounts.permissions import is_department_staff
from portal.accounts.roles import ROLE_GROUP_NAMES, Role

DEPARTMENT_ROLES = (Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR)


class DepartmentStaffPolicy(BasePermissionPolicy):
    """Department staff and administrators may look; nobody edits through generic admin forms."""

    def user_has_permission(self, user, action):
        return action == "view" and is_department_staff(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__name__in=[ROLE_GROUP_NAMES[role] for role in DEPARTMENT_ROLES])
            )
            .distinct()
        )


def listing_urlpatterns(viewset: ModelViewSet) -> list:
    """Only the listing of a viewset: generic add/edit/delete forms would bypass the services."""
    return [
        path("", viewset.index_view, name="index"),
        path("results/", viewset.index_results_view, name="index_results"),
    ]


class QueueIndexView(IndexView):
    """A staff queue: it opens on what waits for staff. Each of `default_filters` applies while
    the request leaves that filter unset (paging and searching keep it); choosing "any" in the
    filter form sets it explicitly."""

    default_filters: dict[str, str] = {}

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        unset = {k: v for k, v in self.default_filters.items() if k not in self.request.GET}
        if unset:
            data = self.request.GET.copy()
            for field, value in unset.items():
                data[field] = value
            kwargs["data"] = data
        return kwargs

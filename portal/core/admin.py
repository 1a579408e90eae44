"""Pieces of the Wagtail admin that every app's staff tools share.

The department's admin only reads through the generic views: listings (with their filters,
search and export) of records whose every change goes through the services. Decisions are taken
on each app's own review pages, so the rules, the audit log and the notifications are the same as
everywhere else.
"""

from datetime import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.accounts.permissions import is_department_staff
from portal.accounts.roles import ROLE_GROUP_NAMES, Role
from portal.core.formatting import format_vnd

DEPARTMENT_ROLES = (Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR)


def role_members(roles) -> QuerySet:
    """Active users who hold any of `roles`, and superusers (who hold every role)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[ROLE_GROUP_NAMES[r] for r in roles]))
        .distinct()
    )


class RolePolicy(BasePermissionPolicy):
    """The holders of `roles` (as `holds_role` tells) and superusers may take `actions` through
    the generic admin views, only "view" unless told otherwise; nobody else may take any."""

    roles: tuple[Role, ...] = ()

    def __init__(self, model, actions=("view",)):
        super().__init__(model)
        self.actions = frozenset(actions)

    @classmethod
    def register(cls, *models) -> None:
        """Makes the generic admin views of each of `models` ask this policy (for "view")."""
        for model in models:
            register_permission_policy(model, cls(model))

    def holds_role(self, user) -> bool:
        raise NotImplementedError

    def user_has_permission(self, user, action):
        return action in self.actions and self.holds_role(user)

    def users_with_any_permission(self, actions):
        if not self.actions & set(actions):
            return get_user_model().objects.none()
        return role_members(self.roles)


class DepartmentStaffPolicy(RolePolicy):
    """Department staff and administrators may look; nobody edits through generic admin forms."""

    roles = DEPARTMENT_ROLES

    def holds_role(self, user) -> bool:
        return is_department_staff(user)


def listing_urlpatterns(viewset: ModelViewSet) -> list:
    """Only the listing of a viewset: generic add/edit/delete forms would bypass the services."""
    return [
        path("", viewset.index_view, name="index"),
        path("results/", viewset.index_results_view, name="index_results"),
    ]


class ListingOnlyViewSet(ModelViewSet):
    """A staff listing of records that only the services change (see `listing_urlpatterns`),
    shown in its app's menu group. It searches the database: its `search_fields` may follow
    relations, which the search index does not hold."""

    add_to_admin_menu = False
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self):
        return listing_urlpatterns(self)


class AnyChoiceFilter(django_filters.ChoiceFilter):
    """A listing filter that starts unset, shown as "Any"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", gettext_lazy("Any"))
        super().__init__(*args, **kwargs)


class LocalisedExportMixin:
    """Spreadsheets in the staff member's language and in Hanoi time. Wagtail streams the CSV
    after the view has returned, when the admin no longer has the user's language active, so
    each row is written in the language of the request."""

    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime: {
            IndexView.FORMAT_CSV: lambda value: timezone.localtime(value).strftime(
                "%Y-%m-%d %H:%M"
            ),
            IndexView.FORMAT_XLSX: lambda value: timezone.make_naive(value),
        },
    }

    def stream_csv(self, queryset):
        # Not a generator itself: the language is read now, while the view runs.
        language = translation.get_language()
        rows = super().stream_csv(queryset)

        def in_language():
            while True:
                with translation.override(language):
                    row = next(rows, None)
                if row is None:
                    return
                yield row

        return in_language()


class MoneyColumn(Column):
    def get_value(self, instance):
        return format_vnd(super().get_value(instance))


class DayColumn(Column):
    def get_value(self, instance):
        value = super().get_value(instance)
        return value.strftime("%d/%m/%Y") if value else "—"


class QueueIndexView(LocalisedExportMixin, IndexView):
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

"""Who may see and do what in the registry. Deny by default; used by views, API, exports and
search documents alike."""

from portal.accounts.permissions import is_department_staff

from .models import MemberRole, Startup, Status

EDITABLE_BY_MEMBERS = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.VERIFIED})


def _membership_role(user, startup: Startup) -> str | None:
    if not user.is_authenticated:
        return None
    cache = startup.__dict__.setdefault("_member_roles", {})
    if user.pk not in cache:
        cache[user.pk] = (
            startup.memberships.filter(user=user).values_list("role", flat=True).first()
        )
    return cache[user.pk]


def is_member(user, startup: Startup) -> bool:
    return _membership_role(user, startup) is not None


def is_owner(user, startup: Startup) -> bool:
    return _membership_role(user, startup) == MemberRole.OWNER


def can_view_startup(user, startup: Startup) -> bool:
    return startup.is_listed or is_member(user, startup) or is_department_staff(user)


def can_view_private_fields(user, startup: Startup) -> bool:
    """Revenue, contact details and documents."""
    return is_member(user, startup) or is_department_staff(user)


def can_edit_startup(user, startup: Startup) -> bool:
    if is_department_staff(user):
        return True
    return is_member(user, startup) and startup.status in EDITABLE_BY_MEMBERS


def can_manage_members(user, startup: Startup) -> bool:
    return is_owner(user, startup)


def can_verify_startups(user) -> bool:
    return is_department_staff(user)


def can_import_startups(user) -> bool:
    return is_department_staff(user)


def can_view_startup_document(user, startup: Startup) -> bool:
    return can_view_private_fields(user, startup)

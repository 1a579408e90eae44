"""Permission functions for accounts and roles. Deny by default."""

from allauth.mfa.utils import is_mfa_enabled

from .roles import ROLE_GROUP_NAMES, STAFF_ROLES, Role


def user_roles(user) -> set[Role]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role, name in ROLE_GROUP_NAMES.items() if name in names}
        if user.is_superuser:
            cached.add(Role.ADMINISTRATOR)
        user._portal_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


def is_department_staff(user) -> bool:
    """Department staff and administrators: who verifies, decides and runs the registers."""
    return has_role(user, Role.DEPARTMENT_STAFF) or has_role(user, Role.ADMINISTRATOR)


def requires_mfa(user) -> bool:
    return user.is_authenticated and (user.is_staff or bool(user_roles(user) & STAFF_ROLES))


def has_mfa(user) -> bool:
    return is_mfa_enabled(user)


def can_grant_roles(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)

"""Who may do what with indicators. Deny by default."""

from portal.accounts.permissions import is_department_staff


def can_manage_indicators(user) -> bool:
    """Enter values, approve another person's values and take snapshots."""
    return user.is_authenticated and is_department_staff(user)


def can_approve_value(user, value) -> bool:
    """A second member of staff: never the person who entered the value."""
    return can_manage_indicators(user) and value.entered_by_id != user.pk

"""Who may see and do what in the fund. Deny by default; used by views, admin, files and
templates alike.

Applications are confidential: the startup's members, fund managers and the reviewers assigned
to them who declared no conflict of interest see them; nobody else does.
"""

from portal.accounts.permissions import has_role
from portal.accounts.roles import Role
from startups.models import Status as StartupStatus
from startups.permissions import is_member

from .models import Application, ApplicationStatus, Assignment, Tranche

APPLICANT_EDITABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED})


def is_fund_manager(user) -> bool:
    return user.is_authenticated and (
        has_role(user, Role.FUND_MANAGER) or has_role(user, Role.ADMINISTRATOR)
    )


def is_reviewer(user) -> bool:
    return user.is_authenticated and has_role(user, Role.REVIEWER)


def can_use_fund_admin(user) -> bool:
    return is_fund_manager(user) or is_reviewer(user)


def can_apply_for(user, startup) -> bool:
    return (
        user.is_authenticated
        and startup.status == StartupStatus.VERIFIED
        and is_member(user, startup)
    )


def is_applicant(user, application: Application) -> bool:
    """A member of the applying startup (any of them, not only who started the draft)."""
    return user.is_authenticated and is_member(user, application.startup)


def cleared_assignment(user, application: Application) -> Assignment | None:
    """The user's assignment to `application` once they declared no conflict, else None."""
    if not is_reviewer(user):
        return None
    cache = application.__dict__.setdefault("_cleared_assignments", {})
    if user.pk not in cache:
        cache[user.pk] = application.assignments.filter(
            reviewer=user, declared_at__isnull=False, recused_at__isnull=True
        ).first()
    return cache[user.pk]


def can_view_application(user, application: Application) -> bool:
    return (
        is_fund_manager(user)
        or is_applicant(user, application)
        or cleared_assignment(user, application) is not None
    )


def can_edit_application(user, application: Application) -> bool:
    return is_applicant(user, application) and application.status in APPLICANT_EDITABLE


def can_review(user, assignment: Assignment) -> bool:
    return assignment.reviewer_id == user.pk and is_reviewer(user)


def can_see_all_scores(user, application: Application) -> bool:
    """Managers always; a reviewer once their own review is in."""
    if is_fund_manager(user):
        return True
    assignment = cleared_assignment(user, application)
    return assignment is not None and assignment.submitted_at is not None


def can_add_tranche_evidence(user, tranche: Tranche) -> bool:
    application = tranche.investment.application
    return is_fund_manager(user) or is_member(user, application.startup)


def can_view_tranche(user, tranche: Tranche) -> bool:
    return can_view_application(user, tranche.investment.application)

"""Who may do what in the sandbox. The register itself is public; applications are seen only by
their applicant and department staff. Deny by default."""

from portal.accounts.permissions import has_role
from portal.accounts.roles import Role

from .models import Application, ApplicationStatus

EDITABLE_BY_APPLICANT = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED})


def is_sandbox_staff(user) -> bool:
    return has_role(user, Role.DEPARTMENT_STAFF) or has_role(user, Role.ADMINISTRATOR)


def can_view_application(user, application: Application) -> bool:
    return user.is_authenticated and (application.applicant_id == user.pk or is_sandbox_staff(user))


def can_edit_application(user, application: Application) -> bool:
    return (
        user.is_authenticated
        and application.applicant_id == user.pk
        and application.status in EDITABLE_BY_APPLICANT
    )

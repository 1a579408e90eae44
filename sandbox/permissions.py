"""Who may do what in the sandbox. The register itself is public; applications are seen only by
their applicant and department staff. Deny by default."""

from portal.accounts.permissions import is_department_staff

from .models import Application, ApplicationStatus

EDITABLE_BY_APPLICANT = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED})


def can_view_application(user, application: Application) -> bool:
    return user.is_authenticated and (
        application.applicant_id == user.pk or is_department_staff(user)
    )


def can_edit_application(user, application: Application) -> bool:
    return (
        user.is_authenticated
        and application.applicant_id == user.pk
        and application.status in EDITABLE_BY_APPLICANT
    )

"""The startup lifecycle: which status may follow which, and who may take each step."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Status


class Actor(models.TextChoices):
    MEMBER = "member", _("a member of the startup")
    STAFF = "staff", _("department staff")


# (from, to) → who may take the step.
TRANSITIONS: dict[tuple[str, str], Actor] = {
    (Status.DRAFT, Status.SUBMITTED): Actor.MEMBER,
    (Status.CHANGES_REQUESTED, Status.SUBMITTED): Actor.MEMBER,
    (Status.SUBMITTED, Status.VERIFIED): Actor.STAFF,
    (Status.SUBMITTED, Status.CHANGES_REQUESTED): Actor.STAFF,
    (Status.SUBMITTED, Status.REJECTED): Actor.STAFF,
    # Staff may reopen a listed profile when its data turns out wrong.
    (Status.VERIFIED, Status.CHANGES_REQUESTED): Actor.STAFF,
}


class ReasonCode(models.TextChoices):
    INVALID_ENTERPRISE_CODE = (
        "invalid_enterprise_code",
        _("The enterprise code does not match the national business register"),
    )
    NOT_IN_HANOI = "not_in_hanoi", _("The registered office is not in Hanoi")
    NOT_A_STARTUP = "not_a_startup", _("Not an innovative startup")
    INCOMPLETE_PROFILE = "incomplete_profile", _("The profile is incomplete")
    UNVERIFIABLE_REVENUE = "unverifiable_revenue", _("The revenue figure cannot be verified")
    MISSING_DOCUMENTS = "missing_documents", _("Supporting documents are missing")
    DUPLICATE = "duplicate", _("The startup is already registered")
    INACCURATE_INFORMATION = "inaccurate_information", _("Some information is inaccurate")
    OTHER = "other", _("Other (see the note)")


def allowed(from_status: str, to_status: str) -> Actor | None:
    return TRANSITIONS.get((from_status, to_status))


def next_statuses(from_status: str, actor: Actor) -> list[str]:
    return [to for (start, to), who in TRANSITIONS.items() if start == from_status and who == actor]

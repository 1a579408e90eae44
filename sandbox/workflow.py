"""The two lifecycles of the sandbox, each declared once: applications and register entries."""

from .models import AmendmentKind, ApplicationStatus, EntryStatus

# Applications: (from, to) → who may take the step.
APPLICANT, STAFF = "applicant", "staff"
APPLICATION_STEPS = {
    (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED): APPLICANT,
    (ApplicationStatus.INFO_REQUESTED, ApplicationStatus.SUBMITTED): APPLICANT,
    (ApplicationStatus.SUBMITTED, ApplicationStatus.INFO_REQUESTED): STAFF,
    (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED): STAFF,
    (ApplicationStatus.SUBMITTED, ApplicationStatus.REJECTED): STAFF,
}

# Register entries (staff only): what each amendment does to the status.
ENTRY_STEPS: dict[str, tuple[frozenset[str], str]] = {
    AmendmentKind.START: (frozenset({EntryStatus.APPROVED}), EntryStatus.TESTING),
    AmendmentKind.EXTENSION: (
        frozenset({EntryStatus.TESTING, EntryStatus.EXTENDED}),
        EntryStatus.EXTENDED,
    ),
    AmendmentKind.SUSPENSION: (
        frozenset({EntryStatus.APPROVED, EntryStatus.TESTING, EntryStatus.EXTENDED}),
        EntryStatus.SUSPENDED,
    ),
    AmendmentKind.RESUMPTION: (frozenset({EntryStatus.SUSPENDED}), EntryStatus.TESTING),
    AmendmentKind.EXIT: (
        frozenset({EntryStatus.TESTING, EntryStatus.EXTENDED, EntryStatus.SUSPENDED}),
        EntryStatus.EXITED,
    ),
    AmendmentKind.GRADUATION: (
        frozenset({EntryStatus.TESTING, EntryStatus.EXTENDED}),
        EntryStatus.GRADUATED,
    ),
    AmendmentKind.REVOCATION: (
        frozenset(
            {
                EntryStatus.APPROVED,
                EntryStatus.TESTING,
                EntryStatus.EXTENDED,
                EntryStatus.SUSPENDED,
            }
        ),
        EntryStatus.REVOKED,
    ),
}

# Ending a test publishes what it taught; these steps need an outcome report.
ENDINGS = frozenset({AmendmentKind.EXIT, AmendmentKind.GRADUATION})


def entry_step_target(kind: str, current: str) -> str | None:
    allowed_from, target = ENTRY_STEPS.get(kind, (frozenset(), None))
    return target if current in allowed_from else None


def entry_steps_from(current: str) -> list[str]:
    return [kind for kind, (allowed_from, _) in ENTRY_STEPS.items() if current in allowed_from]

"""The lifecycles of the fund, each declared once: applications and tranches."""

from .models import ApplicationStatus as S
from .models import TrancheStatus as T

APPLICANT, MANAGER = "applicant", "fund_manager"
_REVIEW = (S.SCREENING, S.DUE_DILIGENCE, S.COMMITTEE)

# (from, to) → who may take the step. An answered information request goes back to the stage it
# came from (`Application.returns_to`), so INFO_REQUESTED → each review stage is listed.
APPLICATION_STEPS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): APPLICANT,
    (S.SUBMITTED, S.SCREENING): MANAGER,
    (S.SCREENING, S.DUE_DILIGENCE): MANAGER,
    (S.DUE_DILIGENCE, S.COMMITTEE): MANAGER,
    (S.COMMITTEE, S.APPROVED): MANAGER,
    **{(stage, S.INFO_REQUESTED): MANAGER for stage in _REVIEW},
    **{(S.INFO_REQUESTED, stage): APPLICANT for stage in _REVIEW},
    **{(stage, S.REJECTED): MANAGER for stage in (S.SUBMITTED, *_REVIEW)},
    **{
        (stage, S.WITHDRAWN): APPLICANT
        for stage in (S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED, *_REVIEW)
    },
}

# The next stage a fund manager moves an application on to.
ADVANCE = {S.SUBMITTED: S.SCREENING, S.SCREENING: S.DUE_DILIGENCE, S.DUE_DILIGENCE: S.COMMITTEE}

# Reviews must be in before the committee meets.
MIN_REVIEWS_FOR_COMMITTEE = 2

TRANCHE_STEPS: dict[tuple[str, str], str] = {
    (T.PLANNED, T.REQUIREMENTS_MET): MANAGER,
    (T.REQUIREMENTS_MET, T.DISBURSED): MANAGER,
    (T.PLANNED, T.HELD): MANAGER,
    (T.REQUIREMENTS_MET, T.HELD): MANAGER,
    (T.HELD, T.PLANNED): MANAGER,
}


def application_step_actor(current: str, target: str) -> str | None:
    return APPLICATION_STEPS.get((current, target))


def applicant_steps_from(current: str) -> list[str]:
    return [
        to for (frm, to), who in APPLICATION_STEPS.items() if frm == current and who == APPLICANT
    ]


def manager_steps_from(current: str) -> list[str]:
    return [to for (frm, to), who in APPLICATION_STEPS.items() if frm == current and who == MANAGER]

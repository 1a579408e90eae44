"""Every write to the fund: applications and their pipeline, reviewer assignments with conflict
checks, reviews, the committee's decision and the tranches of an investment.

Each step locks its row and re-checks the state inside the transaction, so two fund managers
acting on the same application at once cannot both succeed.
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.exceptions import PortalError
from portal.core.formatting import format_vnd as vnd
from portal.files.kinds import DOCUMENTS
from portal.files.services import private_file_create, private_file_delete
from portal.notifications.services import notify_each, role_holders
from startups.models import Startup
from startups.selectors import ties_between

from . import permissions, workflow
from .models import (
    REVIEW_STAGES,
    Affiliation,
    Application,
    ApplicationStatus,
    ApplicationStep,
    Assignment,
    Attachment,
    AttachmentKind,
    CallPage,
    CoInvestor,
    Criterion,
    Fund,
    Investment,
    Recommendation,
    Score,
    Tranche,
    TrancheEvidence,
    TrancheStatus,
    TrancheStep,
)

# What the applicant's form edits; status and bookkeeping change only through the steps below.
APPLICATION_FIELDS = (
    "amount_requested_vnd",
    "instrument",
    "pre_money_valuation_vnd",
    "use_of_funds",
    "traction",
    "team",
)
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
REQUIRED_ATTACHMENTS = (AttachmentKind.PITCH_DECK,)
ASSIGNABLE_STATUSES = frozenset({ApplicationStatus.SUBMITTED}) | REVIEW_STAGES


def _forbidden(message: str) -> PortalError:
    return PortalError(message, code="forbidden", status_code=403)


def _invalid_step(current: str, target: str) -> PortalError:
    return PortalError(
        _("This is not possible while the status is “%(current)s” (wanted: “%(target)s”).")
        % {
            "current": ApplicationStatus(current).label,
            "target": ApplicationStatus(target).label,
        },
        code="invalid_transition",
        status_code=409,
    )


def _locked(application: Application, expected_status: str | None = None) -> Application:
    """Locks the row; with `expected_status` (what the actor saw), refuses when someone else
    moved the application meanwhile — two managers pressing "move on" at once move it once."""
    locked = (
        Application.objects.select_related("call", "call__fund", "startup")
        .select_for_update(of=("self",))
        .get(pk=application.pk)
    )
    if expected_status is not None and locked.status != expected_status:
        raise PortalError(
            _(
                "Someone else changed this application meanwhile: it is now “%(status)s”. Check "
                "the page and try again."
            )
            % {"status": ApplicationStatus(locked.status).label},
            code="invalid_transition",
            status_code=409,
        )
    return locked


# --- the applicant's side ---------------------------------------------------------------------


def _check_call_open(call: CallPage) -> None:
    if not call.is_open():
        raise PortalError(
            _(
                "The call “%(call)s” is not open for applications (open from %(opens)s to "
                "%(closes)s)."
            )
            % {
                "call": call.title,
                "opens": call.opens_on.strftime("%d/%m/%Y"),
                "closes": call.closes_on.strftime("%d/%m/%Y"),
            },
            code="call_closed",
            status_code=409,
        )


def _check_ticket(call: CallPage, amount: int | None, field: str = "amount_requested_vnd") -> None:
    if amount is not None and not call.ticket_min_vnd <= amount <= call.ticket_max_vnd:
        raise ValidationError(
            {
                field: _("This call invests from %(min)s to %(max)s.")
                % {"min": vnd(call.ticket_min_vnd), "max": vnd(call.ticket_max_vnd)}
            }
        )


def _apply_content(
    application: Application,
    fields: Mapping,
    answers: Mapping | None,
    co_investors: Iterable[tuple[str, int]] | None,
) -> None:
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"not application fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(application, name, value)
    _check_ticket(application.call, application.amount_requested_vnd)
    if answers is not None:
        known = {str(question.pk) for question in application.call.questions.all()}
        application.answers = {
            key: str(text).strip() for key, text in answers.items() if str(key) in known
        }
    application.full_clean()
    application.save()
    if co_investors is not None:
        application.co_investors.all().delete()
        for name, amount in co_investors:
            co_investor = CoInvestor(application=application, name=name.strip(), amount_vnd=amount)
            co_investor.full_clean(exclude=["application"])
            co_investor.save()


@transaction.atomic
def application_create(
    *,
    user: User,
    call: CallPage,
    startup: Startup,
    fields: Mapping | None = None,
    answers: Mapping | None = None,
    co_investors: Iterable[tuple[str, int]] | None = None,
) -> Application:
    """A draft application of `startup` to `call`."""
    if not permissions.can_apply_for(user, startup):
        raise _forbidden(
            _("Only a member of a verified startup can apply to the fund; %(startup)s is not one.")
            % {"startup": startup.name}
        )
    _check_call_open(call)
    if (
        Application.objects.filter(call=call, startup=startup)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exists()
    ):
        raise PortalError(
            _("%(startup)s has already applied to this call.") % {"startup": startup.name},
            code="duplicate_application",
            status_code=409,
        )
    application = Application(call=call, startup=startup, applicant=user)
    try:
        with transaction.atomic():
            _apply_content(application, fields or {}, answers, co_investors)
    except IntegrityError as error:
        raise PortalError(
            _("%(startup)s has already applied to this call.") % {"startup": startup.name},
            code="duplicate_application",
            status_code=409,
        ) from error
    audit_log(application, "wagtail.create", user=user)
    return application


@transaction.atomic
def application_update(
    *,
    user: User,
    application: Application,
    fields: Mapping,
    answers: Mapping | None = None,
    co_investors: Iterable[tuple[str, int]] | None = None,
) -> Application:
    """Edits a draft, or an application whose reviewers asked for more information."""
    application = _locked(application)
    if not permissions.can_edit_application(user, application):
        raise _forbidden(_("This application is locked: it can no longer be edited."))
    _apply_content(application, fields, answers, co_investors)
    audit_log(application, "wagtail.edit", user=user)
    return application


@transaction.atomic
def attachment_add(
    *, user: User, application: Application, kind: str, upload: UploadedFile
) -> Attachment:
    application = _locked(application)
    if not permissions.can_edit_application(user, application):
        raise _forbidden(_("This application is locked: it can no longer be edited."))
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    private_file = private_file_create(
        owner=user,
        upload=upload,
        allowed=DOCUMENTS,
        max_bytes=ATTACHMENT_MAX_BYTES,
        attach_to=application,
    )
    attachment = Attachment.objects.create(
        application=application, kind=kind, file=private_file, uploaded_by=user
    )
    audit_log(
        application,
        "fund.attachment_added",
        user=user,
        data={"kind": kind, "file": private_file.original_name},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, user: User, attachment: Attachment) -> None:
    application = _locked(attachment.application)
    if not permissions.can_edit_application(user, application):
        raise _forbidden(_("This application is locked: it can no longer be edited."))
    private_file = attachment.file
    private_file_delete(private_file, link=attachment)
    audit_log(
        application, "fund.attachment_removed", user=user, data={"file": private_file.original_name}
    )


def _completeness_errors(application: Application) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    required = {
        "amount_requested_vnd": _("Say how much you ask the fund for."),
        "instrument": _("Choose the instrument."),
        "pre_money_valuation_vnd": _("Give the pre-money valuation."),
        "use_of_funds": _("Explain how the money will be used."),
        "traction": _("Describe your traction."),
        "team": _("Describe your team."),
    }
    for name, message in required.items():
        if getattr(application, name) in (None, ""):
            errors[name] = [message]
    missing = [
        question.text
        for question in application.call.questions.all()
        if question.required and not application.answers.get(str(question.pk), "").strip()
    ]
    if missing:
        errors["answers"] = [
            _("Answer the question: %(question)s") % {"question": text} for text in missing
        ]
    attached = set(application.attachments.values_list("kind", flat=True))
    for kind in REQUIRED_ATTACHMENTS:
        if kind not in attached:
            errors.setdefault("attachments", []).append(
                _("Attach the %(kind)s.") % {"kind": AttachmentKind(kind).label.lower()}
            )
    return errors


def _enter_stage(application: Application, status: str) -> None:
    now = timezone.now()
    application.status = status
    application.stage_started_at = now
    days = application.call.fund.stage_days(status)
    application.stage_due_at = now + timedelta(days=days) if days else None


def _step(application: Application, to_status: str, *, user: User, note: str = "") -> str:
    """Checks that `user` may take the step now, enters the new stage and records it."""
    who = workflow.application_step_actor(application.status, to_status)
    if who is None:
        raise _invalid_step(application.status, to_status)
    allowed = (
        permissions.is_applicant(user, application)
        if who == workflow.APPLICANT
        else permissions.is_fund_manager(user)
    )
    if not allowed:
        raise _forbidden(_("You are not allowed to do this to this application."))
    from_status = application.status
    ApplicationStep.objects.create(
        application=application, from_status=from_status, to_status=to_status, actor=user, note=note
    )
    _enter_stage(application, to_status)
    return from_status


STEP_FIELDS = ["status", "stage_started_at", "stage_due_at", "updated_at"]


@transaction.atomic
def application_submit(*, user: User, application: Application) -> Application:
    """Validates everything, freezes the questions answered and locks the content."""
    application = _locked(application)
    if application.status != ApplicationStatus.DRAFT:
        raise _invalid_step(application.status, ApplicationStatus.SUBMITTED)
    _check_call_open(application.call)
    if not permissions.can_apply_for(user, application.startup):
        raise _forbidden(_("Only members of a verified startup can submit its application."))
    errors = _completeness_errors(application)
    if errors:
        raise ValidationError(errors)
    _check_ticket(application.call, application.amount_requested_vnd)
    _step(application, ApplicationStatus.SUBMITTED, user=user)
    application.questions_asked = [
        {"id": question.pk, "text": question.text} for question in application.call.questions.all()
    ]
    application.submitted_at = timezone.now()
    application.save(update_fields=[*STEP_FIELDS, "questions_asked", "submitted_at"])
    audit_log(application, "fund.submit", user=user)
    _notify_applicants(
        application,
        lambda: _("Application received: %(call)s") % {"call": application.call.title},
        lambda: (
            _(
                "Your application for %(startup)s was submitted and its content is now locked. The "
                "fund starts screening it by %(due)s."
            )
            % {"startup": application.startup.name, "due": _date(application.stage_due_at)}
        ),
    )
    _notify_managers(
        lambda: _("New fund application: %(startup)s") % {"startup": application.startup.name},
        lambda: (
            _("%(startup)s applied to “%(call)s” for %(amount)s.")
            % {
                "startup": application.startup.name,
                "call": application.call.title,
                "amount": vnd(application.amount_requested_vnd),
            }
        ),
        application,
    )
    return application


@transaction.atomic
def application_advance(
    *, user: User, application: Application, note: str = "", expected_status: str | None = None
) -> Application:
    """Moves a submitted application on: screening → due diligence → investment committee."""
    application = _locked(application, expected_status)
    target = workflow.ADVANCE.get(application.status)
    if target is None:
        raise PortalError(
            _("An application in “%(status)s” cannot be moved on this way.")
            % {"status": ApplicationStatus(application.status).label},
            code="invalid_transition",
            status_code=409,
        )
    if target == ApplicationStatus.COMMITTEE:
        submitted = application.assignments.filter(
            submitted_at__isnull=False, recused_at__isnull=True
        ).count()
        if submitted < workflow.MIN_REVIEWS_FOR_COMMITTEE:
            raise PortalError(
                _(
                    "The committee needs at least %(needed)d submitted reviews; this application "
                    "has %(count)d."
                )
                % {"needed": workflow.MIN_REVIEWS_FOR_COMMITTEE, "count": submitted},
                code="reviews_missing",
                status_code=409,
            )
    _step(application, target, user=user, note=note)
    application.save(update_fields=STEP_FIELDS)
    audit_log(application, f"fund.{target}", user=user, data={"note": note} if note else None)
    _notify_applicants(
        application,
        lambda: (
            _("Your application moved to: %(stage)s") % {"stage": ApplicationStatus(target).label}
        ),
        lambda: (
            _("Your application for %(startup)s is now at “%(stage)s”, due by %(due)s.")
            % {
                "startup": application.startup.name,
                "stage": ApplicationStatus(target).label,
                "due": _date(application.stage_due_at),
            }
        ),
    )
    return application


def _require_note(note: str, message: str) -> str:
    if not note.strip():
        raise ValidationError({"note": message})
    return note.strip()


@transaction.atomic
def application_request_info(
    *, user: User, application: Application, note: str, expected_status: str | None = None
) -> Application:
    note = _require_note(note, _("Say what information is needed."))
    application = _locked(application, expected_status)
    from_status = _step(application, ApplicationStatus.INFO_REQUESTED, user=user, note=note)
    application.returns_to = from_status
    application.save(update_fields=[*STEP_FIELDS, "returns_to"])
    audit_log(application, "fund.request_info", user=user, data={"note": note})
    _notify_applicants(
        application,
        lambda: _("More information needed: %(call)s") % {"call": application.call.title},
        lambda: (
            _(
                "The fund needs more information about your application before going on. Answer "
                "by %(due)s:\n\n%(note)s"
            )
            % {"due": _date(application.stage_due_at), "note": note}
        ),
    )
    return application


@transaction.atomic
def application_answer(*, user: User, application: Application, answer: str) -> Application:
    """The applicant answers a request for information; the application returns to its stage."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write your answer to the fund's request.")})
    application = _locked(application)
    if application.status != ApplicationStatus.INFO_REQUESTED:
        raise _invalid_step(application.status, application.returns_to or "screening")
    target = application.returns_to
    _step(application, target, user=user, note=answer)
    application.returns_to = ""
    application.save(update_fields=[*STEP_FIELDS, "returns_to"])
    audit_log(application, "fund.answer", user=user, data={"answer": answer})
    _notify_managers(
        lambda: _("Information received: %(startup)s") % {"startup": application.startup.name},
        lambda: (
            _("%(startup)s answered the request for information:\n\n%(answer)s")
            % {"startup": application.startup.name, "answer": answer}
        ),
        application,
    )
    return application


@transaction.atomic
def application_withdraw(*, user: User, application: Application, note: str = "") -> Application:
    application = _locked(application)
    _step(application, ApplicationStatus.WITHDRAWN, user=user, note=note)
    application.stage_due_at = None
    application.decided_at = timezone.now()
    application.save(update_fields=[*STEP_FIELDS, "decided_at"])
    audit_log(application, "fund.withdraw", user=user, data={"note": note} if note else None)
    if application.submitted_at:
        _notify_managers(
            lambda: _("Application withdrawn: %(startup)s") % {"startup": application.startup.name},
            lambda: (
                _("%(startup)s withdrew its application to “%(call)s”.")
                % {"startup": application.startup.name, "call": application.call.title}
            ),
            application,
        )
    return application


@transaction.atomic
def application_reject(
    *, user: User, application: Application, note: str, expected_status: str | None = None
) -> Application:
    note = _require_note(note, _("Tell the applicant why."))
    application = _locked(application, expected_status)
    _step(application, ApplicationStatus.REJECTED, user=user, note=note)
    application.stage_due_at = None
    application.decided_at = timezone.now()
    application.save(update_fields=[*STEP_FIELDS, "decided_at"])
    audit_log(application, "fund.reject", user=user, data={"note": note})
    _notify_applicants(
        application,
        lambda: _("Application not selected: %(call)s") % {"call": application.call.title},
        lambda: (
            _(
                "The fund will not invest in %(startup)s through this call, for this "
                "reason:\n\n%(note)s"
            )
            % {"startup": application.startup.name, "note": note}
        ),
    )
    return application


@transaction.atomic
def application_approve(
    *,
    user: User,
    application: Application,
    amount_vnd: int,
    instrument: str,
    pre_money_valuation_vnd: int,
    conditions: str = "",
    decided_on: date | None = None,
    expected_status: str | None = None,
) -> Investment:
    """Records the investment committee's approval and its terms."""
    application = _locked(application, expected_status)
    if application.status != ApplicationStatus.COMMITTEE:
        raise _invalid_step(application.status, ApplicationStatus.APPROVED)
    if not permissions.is_fund_manager(user):
        raise _forbidden(_("Only fund managers record the committee's decisions."))
    decided_on = decided_on or timezone.localdate()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    _check_ticket(application.call, amount_vnd, "amount_vnd")
    fund = Fund.objects.select_for_update().get(pk=application.call.fund_id)
    committed = fund.commitments.aggregate(total=Sum("amount_vnd"))["total"] or 0
    invested = (
        Investment.objects.filter(application__call__fund=fund).aggregate(total=Sum("amount_vnd"))[
            "total"
        ]
        or 0
    )
    if invested + amount_vnd > committed:
        raise ValidationError(
            {
                "amount_vnd": _(
                    "The fund has %(remaining)s of committed capital left to invest; this is more."
                )
                % {"remaining": vnd(max(committed - invested, 0))}
            }
        )
    investment = Investment(
        application=application,
        amount_vnd=amount_vnd,
        instrument=instrument,
        pre_money_valuation_vnd=pre_money_valuation_vnd,
        conditions=conditions.strip(),
        decided_by=user,
        decided_on=decided_on,
    )
    investment.full_clean()
    investment.save()
    _step(application, ApplicationStatus.APPROVED, user=user, note=conditions)
    application.stage_due_at = None
    application.decided_at = timezone.now()
    application.save(update_fields=[*STEP_FIELDS, "decided_at"])
    audit_log(
        application,
        "fund.approve",
        user=user,
        data={
            "amount_vnd": amount_vnd,
            "instrument": instrument,
            "pre_money_valuation_vnd": pre_money_valuation_vnd,
            "conditions": investment.conditions,
        },
    )
    _notify_applicants(
        application,
        lambda: _("Investment approved: %(startup)s") % {"startup": application.startup.name},
        lambda: (
            _(
                "The investment committee approved %(amount)s (%(instrument)s, pre-money valuation "
                "%(valuation)s).\n\nConditions: %(conditions)s"
            )
            % {
                "amount": vnd(amount_vnd),
                "instrument": investment.get_instrument_display(),
                "valuation": vnd(pre_money_valuation_vnd),
                "conditions": investment.conditions or "—",
            }
        ),
    )
    return investment


# --- reviewers --------------------------------------------------------------------------------


def conflict_flags(reviewer: User, startup: Startup) -> list[str]:
    """Likely conflicts of interest between `reviewer` and `startup`, in words."""
    flags = ties_between(reviewer, startup)
    affiliation = Affiliation.objects.filter(reviewer=reviewer, startup=startup).first()
    if affiliation is not None:
        flags.append(_("declared affiliation: %(note)s") % {"note": affiliation.note})
    return flags


@transaction.atomic
def reviewer_assign(
    *, user: User, application: Application, reviewer: User, override_reason: str = ""
) -> Assignment:
    """Assigns a reviewer. Likely conflicts block the assignment unless the fund manager gives a
    reason to assign anyway, which is recorded."""
    if not permissions.is_fund_manager(user):
        raise _forbidden(_("Only fund managers assign reviewers."))
    application = _locked(application)
    if application.status not in ASSIGNABLE_STATUSES:
        raise PortalError(
            _("Reviewers cannot be assigned while the application is “%(status)s”.")
            % {"status": ApplicationStatus(application.status).label},
            code="invalid_transition",
            status_code=409,
        )
    if not permissions.is_reviewer(reviewer) or not reviewer.is_active:
        raise ValidationError({"reviewer": _("%(user)s is not a reviewer.") % {"user": reviewer}})
    if application.assignments.filter(reviewer=reviewer).exists():
        raise ValidationError(
            {
                "reviewer": _("%(user)s is already assigned to this application.")
                % {"user": reviewer}
            }
        )
    flags = conflict_flags(reviewer, application.startup)
    override_reason = override_reason.strip()
    if flags and not override_reason:
        raise PortalError(
            _("Likely conflict of interest: %(flags)s. Give a reason to assign anyway.")
            % {"flags": "; ".join(flags)},
            code="conflict_of_interest",
            status_code=409,
        )
    assignment = Assignment.objects.create(
        application=application,
        reviewer=reviewer,
        assigned_by=user,
        conflict_flags=flags,
        override_reason=override_reason if flags else "",
    )
    audit_log(
        application,
        "fund.assign",
        user=user,
        data={
            "reviewer": reviewer.email,
            "flags": flags,
            "override_reason": assignment.override_reason,
        },
    )
    notify_each(
        [reviewer],
        lambda: _("New review assignment"),
        lambda: _(
            "You are asked to review a fund application. Declare whether you have a conflict of "
            "interest before you can see it."
        ),
        url=f"/admin/fund/reviews/{assignment.pk}/",
    )
    return assignment


@transaction.atomic
def reviewer_unassign(*, user: User, assignment: Assignment) -> None:
    if not permissions.is_fund_manager(user):
        raise _forbidden(_("Only fund managers assign reviewers."))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.submitted_at is not None:
        raise PortalError(
            _("A submitted review stays on record; it cannot be unassigned."),
            code="review_submitted",
            status_code=409,
        )
    assignment.delete()
    audit_log(
        assignment.application,
        "fund.unassign",
        user=user,
        data={"reviewer": assignment.reviewer.email},
    )


def _own_assignment(user: User, assignment: Assignment) -> Assignment:
    assignment = (
        Assignment.objects.select_related(
            "application", "application__startup", "application__call"
        )
        .select_for_update(of=("self",))
        .get(pk=assignment.pk)
    )
    if not permissions.can_review(user, assignment):
        raise _forbidden(_("This review is assigned to someone else."))
    return assignment


@transaction.atomic
def assignment_declare(
    *, user: User, assignment: Assignment, has_conflict: bool, note: str = ""
) -> Assignment:
    """The reviewer declares whether they have a conflict of interest. No conflict opens the
    application to them; a conflict recuses them and is remembered as an affiliation."""
    assignment = _own_assignment(user, assignment)
    if assignment.declared_at or assignment.recused_at:
        raise PortalError(
            _("You have already made your declaration for this application."),
            code="already_declared",
            status_code=409,
        )
    application = assignment.application
    if has_conflict:
        note = note.strip()
        if not note:
            raise ValidationError({"note": _("Describe the conflict of interest.")})
        assignment.recused_at = timezone.now()
        assignment.recusal_note = note
        assignment.save(update_fields=["recused_at", "recusal_note"])
        Affiliation.objects.get_or_create(
            reviewer=user, startup=application.startup, defaults={"note": note[:300]}
        )
        audit_log(application, "fund.recuse", user=user, data={"note": note})
        _notify_managers(
            lambda: (
                _("A reviewer declared a conflict: %(startup)s")
                % {"startup": application.startup.name}
            ),
            lambda: (
                _("%(reviewer)s cannot review this application: %(note)s. Assign someone else.")
                % {"reviewer": user, "note": note}
            ),
            application,
        )
    else:
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["declared_at"])
        audit_log(application, "fund.declare", user=user)
    return assignment


@transaction.atomic
def review_submit(
    *,
    user: User,
    assignment: Assignment,
    scores: Mapping[str, tuple[int, str]],
    recommendation: str,
    comment: str = "",
) -> Assignment:
    """Scores every criterion of the rubric (1-5, with comments) and recommends. Final once
    submitted."""
    assignment = _own_assignment(user, assignment)
    if not assignment.is_cleared:
        raise _forbidden(_("Declare that you have no conflict of interest before reviewing."))
    if assignment.submitted_at is not None:
        raise PortalError(
            _("Your review of this application is already submitted."),
            code="already_submitted",
            status_code=409,
        )
    application = assignment.application
    if application.status not in REVIEW_STAGES:
        raise PortalError(
            _(
                "Reviews are accepted while the application is under review, not while it "
                "is “%(status)s”."
            )
            % {"status": ApplicationStatus(application.status).label},
            code="invalid_transition",
            status_code=409,
        )
    errors = {}
    for criterion in Criterion:
        score, _comment = scores.get(criterion, (None, ""))
        if not isinstance(score, int) or not 1 <= score <= 5:
            errors[criterion.value] = _("Score %(criterion)s from 1 to 5.") % {
                "criterion": criterion.label.lower()
            }
    if recommendation not in Recommendation.values:
        errors["recommendation"] = _("Choose a recommendation.")
    if errors:
        raise ValidationError(errors)
    Score.objects.bulk_create(
        Score(
            assignment=assignment,
            criterion=criterion,
            score=scores[criterion][0],
            comment=scores[criterion][1].strip(),
        )
        for criterion in Criterion
    )
    assignment.recommendation = recommendation
    assignment.comment = comment.strip()
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["recommendation", "comment", "submitted_at"])
    audit_log(application, "fund.review", user=user, data={"recommendation": recommendation})
    _notify_managers(
        lambda: _("Review submitted: %(startup)s") % {"startup": application.startup.name},
        lambda: (
            _("%(reviewer)s recommends: %(recommendation)s.")
            % {"reviewer": user, "recommendation": Recommendation(recommendation).label}
        ),
        application,
    )
    return assignment


@transaction.atomic
def affiliation_declare(*, user: User, startup: Startup, note: str) -> Affiliation:
    """A reviewer declares, ahead of any assignment, a tie to a startup."""
    if not permissions.is_reviewer(user):
        raise _forbidden(_("Only reviewers declare affiliations."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Describe your tie to the startup.")})
    affiliation, created = Affiliation.objects.get_or_create(
        reviewer=user, startup=startup, defaults={"note": note[:300]}
    )
    if not created:
        affiliation.note = note[:300]
        affiliation.save(update_fields=["note"])
    audit_log(startup, "fund.affiliation", user=user, data={"note": affiliation.note})
    return affiliation


# --- tranches ---------------------------------------------------------------------------------


def _check_manager(user: User) -> None:
    if not permissions.is_fund_manager(user):
        raise _forbidden(_("Only fund managers manage disbursements."))


def _check_total(investment: Investment, amount_vnd: int, *, excluding: Tranche | None = None):
    planned = (
        investment.tranches.exclude(pk=excluding.pk if excluding else None).aggregate(
            total=Sum("amount_vnd")
        )["total"]
        or 0
    )
    if planned + amount_vnd > investment.amount_vnd:
        raise ValidationError(
            {
                "amount_vnd": _(
                    "The tranches would total %(total)s, more than the %(approved)s approved."
                )
                % {"total": vnd(planned + amount_vnd), "approved": vnd(investment.amount_vnd)}
            }
        )


@transaction.atomic
def tranche_add(
    *, user: User, investment: Investment, amount_vnd: int, planned_on: date, conditions: str = ""
) -> Tranche:
    _check_manager(user)
    investment = Investment.objects.select_for_update().get(pk=investment.pk)
    _check_total(investment, amount_vnd)
    number = (investment.tranches.aggregate(last=Max("number"))["last"] or 0) + 1
    tranche = Tranche(
        investment=investment,
        number=number,
        amount_vnd=amount_vnd,
        planned_on=planned_on,
        conditions=conditions.strip(),
    )
    tranche.full_clean()
    tranche.save()
    TrancheStep.objects.create(tranche=tranche, to_status=tranche.status, actor=user)
    audit_log(
        investment.application,
        "fund.tranche_add",
        user=user,
        data={"tranche": number, "amount_vnd": amount_vnd, "planned_on": planned_on.isoformat()},
    )
    return tranche


@transaction.atomic
def tranche_update(
    *, user: User, tranche: Tranche, amount_vnd: int, planned_on: date, conditions: str = ""
) -> Tranche:
    _check_manager(user)
    investment = Investment.objects.select_for_update().get(pk=tranche.investment_id)
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.status not in (TrancheStatus.PLANNED, TrancheStatus.HELD):
        raise PortalError(
            _("A tranche whose requirements are met or that is disbursed cannot be changed."),
            code="invalid_transition",
            status_code=409,
        )
    _check_total(investment, amount_vnd, excluding=tranche)
    tranche.amount_vnd, tranche.planned_on = amount_vnd, planned_on
    tranche.conditions = conditions.strip()
    tranche.full_clean()
    tranche.save()
    audit_log(
        investment.application,
        "fund.tranche_update",
        user=user,
        data={
            "tranche": tranche.number,
            "amount_vnd": amount_vnd,
            "planned_on": planned_on.isoformat(),
        },
    )
    return tranche


@transaction.atomic
def tranche_evidence_add(
    *, user: User, tranche: Tranche, upload: UploadedFile, note: str
) -> TrancheEvidence:
    """Evidence that a tranche's conditions are met, uploaded by the startup or a manager."""
    tranche = (
        Tranche.objects.select_for_update()
        .select_related("investment__application")
        .get(pk=tranche.pk)
    )
    if not permissions.can_add_tranche_evidence(user, tranche):
        raise _forbidden(_("Only the startup's members and fund managers add evidence."))
    if tranche.status == TrancheStatus.DISBURSED:
        raise PortalError(
            _("This tranche is already disbursed."), code="invalid_transition", status_code=409
        )
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what this evidence shows.")})
    private_file = private_file_create(
        owner=user,
        upload=upload,
        allowed=DOCUMENTS,
        max_bytes=ATTACHMENT_MAX_BYTES,
        attach_to=tranche,
    )
    evidence = TrancheEvidence.objects.create(
        tranche=tranche, file=private_file, note=note[:300], uploaded_by=user
    )
    application = tranche.investment.application
    audit_log(
        application,
        "fund.tranche_evidence",
        user=user,
        data={"tranche": tranche.number, "file": private_file.original_name},
    )
    if not permissions.is_fund_manager(user):
        _notify_managers(
            lambda: (
                _("Evidence for tranche %(number)d: %(startup)s")
                % {"number": tranche.number, "startup": application.startup.name}
            ),
            lambda: note,
            application,
        )
    return evidence


def _tranche_step(tranche: Tranche, to_status: str, *, user: User, note: str = "") -> None:
    if workflow.TRANCHE_STEPS.get((tranche.status, to_status)) is None:
        raise PortalError(
            _("This is not possible while the tranche is “%(current)s” (wanted: “%(target)s”).")
            % {
                "current": TrancheStatus(tranche.status).label,
                "target": TrancheStatus(to_status).label,
            },
            code="invalid_transition",
            status_code=409,
        )
    TrancheStep.objects.create(
        tranche=tranche, from_status=tranche.status, to_status=to_status, actor=user, note=note
    )
    tranche.status = to_status


def _locked_tranche(user: User, tranche: Tranche) -> Tranche:
    _check_manager(user)
    return (
        Tranche.objects.select_for_update(of=("self",))
        .select_related("investment__application__startup")
        .get(pk=tranche.pk)
    )


@transaction.atomic
def tranche_approve_requirements(*, user: User, tranche: Tranche, note: str = "") -> Tranche:
    tranche = _locked_tranche(user, tranche)
    if tranche.conditions and not tranche.evidence.exists():
        raise PortalError(
            _("Upload evidence that the conditions are met before approving them."),
            code="evidence_missing",
            status_code=409,
        )
    _tranche_step(tranche, TrancheStatus.REQUIREMENTS_MET, user=user, note=note)
    tranche.save(update_fields=["status", "updated_at"])
    audit_log(
        tranche.investment.application,
        "fund.requirements_met",
        user=user,
        data={"tranche": tranche.number, "note": note},
    )
    return tranche


@transaction.atomic
def tranche_disburse(*, user: User, tranche: Tranche, disbursed_on: date | None = None) -> Tranche:
    tranche = _locked_tranche(user, tranche)
    if tranche.status != TrancheStatus.REQUIREMENTS_MET:
        raise PortalError(
            _("A tranche is disbursed only after its requirements are approved."),
            code="requirements_unmet",
            status_code=409,
        )
    disbursed_on = disbursed_on or timezone.localdate()
    if disbursed_on > timezone.localdate():
        raise ValidationError({"disbursed_on": _("The disbursement date cannot be in the future.")})
    _tranche_step(tranche, TrancheStatus.DISBURSED, user=user)
    tranche.disbursed_on = disbursed_on
    tranche.save(update_fields=["status", "disbursed_on", "updated_at"])
    application = tranche.investment.application
    audit_log(
        application,
        "fund.disburse",
        user=user,
        data={
            "tranche": tranche.number,
            "amount_vnd": tranche.amount_vnd,
            "on": disbursed_on.isoformat(),
        },
    )
    _notify_applicants(
        application,
        lambda: _("Tranche %(number)d disbursed") % {"number": tranche.number},
        lambda: (
            _("The fund disbursed %(amount)s to %(startup)s on %(date)s.")
            % {
                "amount": vnd(tranche.amount_vnd),
                "startup": application.startup.name,
                "date": disbursed_on.strftime("%d/%m/%Y"),
            }
        ),
    )
    return tranche


@transaction.atomic
def tranche_hold(*, user: User, tranche: Tranche, note: str) -> Tranche:
    note = _require_note(note, _("Say why the tranche is held."))
    tranche = _locked_tranche(user, tranche)
    _tranche_step(tranche, TrancheStatus.HELD, user=user, note=note)
    tranche.save(update_fields=["status", "updated_at"])
    application = tranche.investment.application
    audit_log(application, "fund.hold", user=user, data={"tranche": tranche.number, "note": note})
    _notify_applicants(
        application,
        lambda: _("Tranche %(number)d is on hold") % {"number": tranche.number},
        lambda: note,
    )
    return tranche


@transaction.atomic
def tranche_resume(*, user: User, tranche: Tranche, note: str = "") -> Tranche:
    tranche = _locked_tranche(user, tranche)
    _tranche_step(tranche, TrancheStatus.PLANNED, user=user, note=note)
    tranche.save(update_fields=["status", "updated_at"])
    audit_log(
        tranche.investment.application,
        "fund.resume",
        user=user,
        data={"tranche": tranche.number, "note": note},
    )
    return tranche


# --- notifications ----------------------------------------------------------------------------


def _date(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else "—"


def _notify_applicants(application: Application, subject, body) -> None:
    """Every member of the applying startup, each in their own language."""
    members = [
        membership.user for membership in application.startup.memberships.select_related("user")
    ]
    notify_each(members, subject, body, url=f"/fund/applications/{application.pk}/")


def _notify_managers(subject, body, application: Application) -> None:
    notify_each(
        role_holders(Role.FUND_MANAGER),
        subject,
        body,
        url=f"/admin/fund/applications/{application.pk}/",
    )

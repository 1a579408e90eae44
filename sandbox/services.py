"""Every write to the sandbox: applications, decisions, amendments of register entries, the daily
expiry and reminders, and concerns reported by the public."""

from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.exceptions import PortalError
from portal.core.text import unique_slug
from portal.core.validators import normalize_enterprise_code, validate_enterprise_code
from portal.files.kinds import FileKind, detect_kind
from portal.notifications.services import notification_send, notify_each, role_holders
from startups.permissions import is_member

from . import permissions, workflow
from .models import (
    ACTIVE_STATUSES,
    Amendment,
    AmendmentKind,
    Application,
    ApplicationStatus,
    ApplicationStep,
    Concern,
    Entry,
    EntryStatus,
)

APPLICATION_FIELDS = (
    "startup",
    "organisation_name",
    "enterprise_code",
    "title",
    "technology",
    "regulation_to_relax",
    "domain",
    "test_space",
    "test_area",
    "duration_months",
    "customer_cap",
    "transaction_cap_vnd",
    "risk_measures",
    "consumer_protection",
    "exit_plan",
)
# What a decision may set or narrow on the entry; the rest comes from the application.
TERMS_FIELDS = ("domain", "test_space", "test_area", "customer_cap", "transaction_cap_vnd")
REMINDER_DAYS = (60, 30, 7)
# Running tests (suspended ones wait for a decision, not for the calendar).
RUNNING_STATUSES = (EntryStatus.APPROVED, EntryStatus.TESTING, EntryStatus.EXTENDED)
ENDED_STATUSES = frozenset(EntryStatus) - ACTIVE_STATUSES
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
CONCERNS_PER_HOUR = 3


def _forbidden(message: str) -> PortalError:
    return PortalError(message, code="forbidden", status_code=403)


def _invalid_step(current_label: str, target_label: str) -> PortalError:
    return PortalError(
        _("This is not possible while the status is “%(current)s” (wanted: “%(target)s”).")
        % {"current": current_label, "target": target_label},
        code="invalid_transition",
        status_code=409,
    )


# --- applications ----------------------------------------------------------------------------


def _apply(application: Application, user: User, fields: dict) -> None:
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"not application fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(application, name, value)
    application.enterprise_code = normalize_enterprise_code(application.enterprise_code)
    _check_enterprise_code(application.enterprise_code)
    if application.startup is not None and not is_member(user, application.startup):
        raise ValidationError({"startup": _("You can only apply for a startup you belong to.")})


def _check_enterprise_code(code: str) -> None:
    try:
        validate_enterprise_code(code)
    except ValidationError as error:
        raise ValidationError({"enterprise_code": error.messages}) from error


@transaction.atomic
def application_create(*, user: User, fields: dict) -> Application:
    application = Application(applicant=user, status=ApplicationStatus.DRAFT)
    _apply(application, user, fields)
    application.full_clean()
    application.save()
    audit_log(application, "wagtail.create", user=user)
    return application


@transaction.atomic
def application_update(*, user: User, application: Application, fields: dict) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not permissions.can_edit_application(user, application):
        raise _forbidden(_("This application cannot be edited now."))
    _apply(application, user, fields)
    application.full_clean()
    application.save()
    audit_log(application, "wagtail.edit", user=user)
    return application


def _step(application: Application, to_status: str, *, user: User, note: str = "") -> None:
    who = workflow.APPLICATION_STEPS.get((application.status, to_status))
    if who is None:
        raise _invalid_step(
            ApplicationStatus(application.status).label, ApplicationStatus(to_status).label
        )
    allowed = (
        application.applicant_id == user.pk
        if who == workflow.APPLICANT
        else permissions.is_department_staff(user)
    )
    if not allowed:
        raise _forbidden(_("You are not allowed to do this to this application."))
    ApplicationStep.objects.create(
        application=application,
        from_status=application.status,
        to_status=to_status,
        actor=user,
        note=note,
    )
    application.status = to_status


def _locked_application(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_submit(*, user: User, application: Application) -> Application:
    application = _locked_application(application)
    _step(application, ApplicationStatus.SUBMITTED, user=user)
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log(application, "sandbox.submit", user=user)
    _notify_staff(
        lambda: _("New sandbox application: %(title)s") % {"title": application.title},
        lambda: (
            _("%(organisation)s applied to test “%(title)s”. Assess it in the admin.")
            % {"organisation": application.organisation_name, "title": application.title}
        ),
    )
    return application


def _decide(application, to_status, *, user, note, action, subject, body) -> Application:
    if not note.strip():
        raise ValidationError({"note": _("Tell the applicant why.")})
    application = _locked_application(application)
    _step(application, to_status, user=user, note=note)
    application.decided_at = timezone.now() if to_status == ApplicationStatus.REJECTED else None
    application.save(update_fields=["status", "decided_at", "updated_at"])
    audit_log(application, action, user=user, data={"note": note})
    _notify_applicant(application, subject, body)
    return application


@transaction.atomic
def application_request_info(*, user: User, application: Application, note: str) -> Application:
    return _decide(
        application,
        ApplicationStatus.INFO_REQUESTED,
        user=user,
        note=note,
        action="sandbox.request_info",
        subject=lambda a: _("More information needed: %(title)s") % {"title": a.title},
        body=lambda a: (
            _("The department needs more information before deciding:\n\n%(note)s") % {"note": note}
        ),
    )


@transaction.atomic
def application_reject(*, user: User, application: Application, note: str) -> Application:
    return _decide(
        application,
        ApplicationStatus.REJECTED,
        user=user,
        note=note,
        action="sandbox.reject",
        subject=lambda a: _("Sandbox application not approved: %(title)s") % {"title": a.title},
        body=lambda a: (
            _("The application was not approved, for this reason:\n\n%(note)s") % {"note": note}
        ),
    )


@transaction.atomic
def application_approve(
    *,
    user: User,
    application: Application,
    decision_number: str,
    decision_date: date,
    agency: str,
    scope: str,
    exemptions: str,
    conditions: str,
    start_date: date,
    end_date: date,
    document: UploadedFile | None = None,
    terms: dict | None = None,
) -> Entry:
    """Approves by decision: the application becomes a public register entry. `terms` narrows
    what the application asked for (area, caps)."""
    application = _locked_application(application)
    _step(application, ApplicationStatus.APPROVED, user=user)
    entry = Entry(
        application=application,
        startup=application.startup,
        participant=application.organisation_name,
        enterprise_code=application.enterprise_code,
        title=application.title,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        agency=agency,
        scope=scope,
        exemptions=exemptions,
        conditions=conditions,
        start_date=start_date,
        end_date=end_date,
        status=EntryStatus.APPROVED,
        **{name: getattr(application, name) for name in TERMS_FIELDS},
    )
    for name, value in (terms or {}).items():
        if name not in TERMS_FIELDS:
            raise ValueError(f"not a term: {name}")
        setattr(entry, name, value)
    entry.slug = unique_slug(
        f"{entry.participant} {entry.title}", taken=Entry.objects, fallback="sandbox"
    )
    entry.full_clean()
    entry.save()
    _record(
        entry,
        AmendmentKind.APPROVAL,
        from_status="",
        user=user,
        effective_on=decision_date,
        decision_number=entry.decision_number,
        decision_date=decision_date,
        document=document,
    )
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    audit_log(application, "sandbox.approve", user=user, data={"decision": entry.decision_number})
    audit_log(entry, "sandbox.approve", user=user, data={"decision": entry.decision_number})
    _notify_applicant(
        application,
        lambda a: _("Sandbox application approved: %(title)s") % {"title": a.title},
        lambda a: (
            _(
                "Decision %(decision)s allows the test from %(start)s to %(end)s. It is now on the "
                "public sandbox register."
            )
            % {
                "decision": entry.decision_number,
                "start": entry.start_date.strftime("%d/%m/%Y"),
                "end": entry.end_date.strftime("%d/%m/%Y"),
            }
        ),
    )
    return entry


# --- register entries ------------------------------------------------------------------------


def _check_document(document: UploadedFile | None) -> None:
    if document is None:
        return
    if document.size > DOCUMENT_MAX_BYTES:
        raise ValidationError({"document": _("The document is larger than 20 MB.")})
    head = document.read(4096)
    document.seek(0)
    if detect_kind(head) != FileKind.PDF:
        raise ValidationError({"document": _("A decision document must be a PDF file.")})


def _record(
    entry: Entry,
    kind: str,
    *,
    from_status: str,
    user: User | None,
    effective_on: date,
    decision_number: str = "",
    decision_date: date | None = None,
    document: UploadedFile | None = None,
    previous_end_date: date | None = None,
    note: str = "",
) -> Amendment:
    _check_document(document)
    amendment = Amendment(
        entry=entry,
        kind=kind,
        effective_on=effective_on,
        decision_number=decision_number,
        decision_date=decision_date,
        from_status=from_status,
        to_status=entry.status,
        previous_end_date=previous_end_date,
        new_end_date=entry.end_date if previous_end_date else None,
        note=note,
        actor=user,
    )
    if document is not None:
        amendment.document.save(document.name, document, save=False)
    amendment.save()
    return amendment


@transaction.atomic
def entry_amend(
    *,
    user: User,
    entry: Entry,
    kind: str,
    effective_on: date,
    decision_number: str = "",
    decision_date: date | None = None,
    document: UploadedFile | None = None,
    new_end_date: date | None = None,
    note: str = "",
    outcome_report: str = "",
    lessons_learned: str = "",
) -> Entry:
    """One step of an entry's life (start, extension, suspension, resumption, exit, graduation,
    revocation), kept as a dated history item with its decision."""
    if not permissions.is_department_staff(user):
        raise _forbidden(_("Only department staff manage the sandbox register."))
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    target = workflow.entry_step_target(kind, entry.status)
    if target is None:
        raise _invalid_step(EntryStatus(entry.status).label, AmendmentKind(kind).label)
    errors = {}
    decision_number = decision_number.strip()
    if kind != AmendmentKind.START and not decision_number:
        errors["decision_number"] = _("Give the number of the decision behind this change.")
    if decision_number:
        try:
            Entry._meta.get_field("decision_number").run_validators(decision_number)
        except ValidationError as error:
            errors["decision_number"] = error.messages
    if decision_number and not decision_date:
        errors["decision_date"] = _("Give the date of the decision.")
    if kind == AmendmentKind.EXTENSION and (new_end_date is None or new_end_date <= entry.end_date):
        errors["new_end_date"] = _("An extension must move the end date later than %(end)s.") % {
            "end": entry.end_date.strftime("%d/%m/%Y")
        }
    if kind in (AmendmentKind.SUSPENSION, AmendmentKind.REVOCATION) and not note.strip():
        errors["note"] = _("Explain the reason; it is published in the entry's history.")
    if kind in workflow.ENDINGS and not outcome_report.strip():
        errors["outcome_report"] = _("Publish the outcome report when a test ends.")
    if effective_on < entry.decision_date:
        errors["effective_on"] = _("A change cannot take effect before the entry's decision.")
    if errors:
        raise ValidationError(errors)

    from_status, previous_end = entry.status, None
    entry.status = target
    if kind == AmendmentKind.EXTENSION:
        previous_end, entry.end_date = entry.end_date, new_end_date
        entry.reminder_sent_days = None
    if target in ENDED_STATUSES:
        entry.ended_on = effective_on
    if kind in workflow.ENDINGS:
        entry.outcome_report, entry.lessons_learned = outcome_report, lessons_learned
    entry.full_clean()
    entry.save()
    _record(
        entry,
        kind,
        from_status=from_status,
        user=user,
        effective_on=effective_on,
        decision_number=decision_number,
        decision_date=decision_date,
        document=document,
        previous_end_date=previous_end,
        note=note,
    )
    audit_log(entry, f"sandbox.{kind}", user=user, data={"decision": decision_number})
    return entry


def entries_expire(*, today: date | None = None) -> int:
    """The daily job's first half: a test whose end date has passed, and was not extended, has
    exited. Returns how many entries it closed."""
    today = today or timezone.localdate()
    closed = 0
    for entry in Entry.objects.filter(
        status__in=RUNNING_STATUSES,
        end_date__lt=today,
    ):
        with transaction.atomic():
            from_status = entry.status
            entry.status = EntryStatus.EXITED
            entry.ended_on = entry.end_date
            entry.save(update_fields=["status", "ended_on", "updated_at"])
            _record(
                entry,
                AmendmentKind.EXPIRY,
                from_status=from_status,
                user=None,
                effective_on=entry.end_date,
                note=_("The test period ended on %(end)s without an extension.")
                % {"end": entry.end_date.strftime("%d/%m/%Y")},
            )
            audit_log(entry, "sandbox.expiry")
        closed += 1
    return closed


def entries_remind(*, today: date | None = None) -> int:
    """The daily job's second half: staff hear 60, 30 and 7 days before a test period ends."""
    today = today or timezone.localdate()
    sent = 0
    # Nearest first: an entry first seen 20 days before its end gets the 30-day reminder only.
    for days in sorted(REMINDER_DAYS):
        due = Entry.objects.filter(
            status__in=RUNNING_STATUSES,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=days),
        ).exclude(reminder_sent_days__lte=days)
        for entry in due:
            with transaction.atomic():
                entry.reminder_sent_days = days
                entry.save(update_fields=["reminder_sent_days"])
                left = (entry.end_date - today).days
                _notify_staff(
                    lambda e=entry, left=left: (
                        _("Sandbox test ends in %(days)s days: %(entry)s")
                        % {"days": left, "entry": e.participant}
                    ),
                    lambda e=entry: (
                        _(
                            "The test period of %(entry)s (decision %(decision)s) ends on %(end)s. "
                            "Extend it, or prepare its exit and outcome report."
                        )
                        % {
                            "entry": e.participant,
                            "decision": e.decision_number,
                            "end": e.end_date.strftime("%d/%m/%Y"),
                        }
                    ),
                    url=f"/admin/sandbox/entries/{entry.pk}/",
                )
            sent += 1
    return sent


# --- concerns from the public ----------------------------------------------------------------


def concern_report(*, entry: Entry, name: str, email: str, message: str, client: str) -> Concern:
    """Records a concern about a participant, tells staff and acknowledges it by email.
    `client` (the sender's address) limits how often one sender may write."""
    keys = [f"sandbox:concerns:{client}", f"sandbox:concerns:{email.strip().lower()}"]
    if any(cache.get(key, 0) >= CONCERNS_PER_HOUR for key in keys):
        raise PortalError(
            _("You have sent several reports in the last hour; please try again later."),
            code="rate_limited",
            status_code=429,
        )
    concern = Concern(entry=entry, name=name.strip(), email=email.strip(), message=message.strip())
    concern.full_clean()
    with transaction.atomic():
        concern.save()
        audit_log(entry, "sandbox.concern", data={"concern": concern.pk})
        _notify_staff(
            lambda: _("Concern reported about %(entry)s") % {"entry": entry.participant},
            lambda: (
                _("%(name)s <%(email)s> wrote:\n\n%(message)s")
                % {"name": concern.name, "email": concern.email, "message": concern.message}
            ),
            url=f"/admin/sandbox/entries/{entry.pk}/",
        )
        subject = _("We received your report about %(entry)s") % {"entry": entry.participant}
        body = _(
            "Thank you. The Department of Science and Technology has received your report about "
            "%(entry)s and will look into it. You do not need to reply to this email."
        ) % {"entry": entry.participant}
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [concern.email])
        )
    for key in keys:
        cache.add(key, 0, timeout=3600)
        cache.incr(key)
    return concern


@transaction.atomic
def concern_mark_handled(*, user: User, concern: Concern) -> Concern:
    """Staff have looked into a concern; it leaves the list of those waiting."""
    if not permissions.is_department_staff(user):
        raise _forbidden(_("Only department staff handle concerns."))
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.handled_at is None:
        concern.handled_at = timezone.now()
        concern.save(update_fields=["handled_at"])
        audit_log(concern.entry, "sandbox.concern_handled", user=user, data={"concern": concern.pk})
    return concern


# --- notifications ---------------------------------------------------------------------------


def _notify_applicant(application: Application, subject, body) -> None:
    applicant = application.applicant
    with translation.override(applicant.language):
        notification_send(
            recipient=applicant,
            subject=str(subject(application)),
            body=str(body(application)),
            url=f"/me/sandbox/{application.pk}/",
        )


def _notify_staff(subject, body, url: str = "/admin/sandbox/applications/") -> None:
    """Department staff get it in their inbox (and by email), each in their own language."""
    notify_each(role_holders(Role.DEPARTMENT_STAFF), subject, body, url=url)

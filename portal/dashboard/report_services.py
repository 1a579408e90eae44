"""The weekly report's writes and its schedule: archiving a report (its PDF and XLSX stored as
private files attached to it), mailing it to the subscribed staff, the subscriptions
themselves, and the weekly job `dashboard.weekly` (snapshot, report, mail).

The files are written in the portal's first language (Vietnamese): the report is the steering
committee's document; each subscriber's email around it is in their own language.
"""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.admin import DEPARTMENT_ROLES, role_members
from portal.core.audit import audit_log
from portal.core.exceptions import PortalError
from portal.files.kinds import FileKind
from portal.files.services import private_file_create
from portal.notifications.services import notification_send

from . import reports, services
from .models import ReportSubscription, Snapshot, SnapshotTrigger, WeeklyReport

WEEKLY_JOB = "dashboard.weekly"


def _files_owner(user: User | None) -> User:
    """Who owns the stored files: the person who asked for the report; for the schedule, the
    longest-standing administrator (else member of department staff), since a private file
    always has an owner."""
    if user is not None:
        return user
    for candidates in (role_members((Role.ADMINISTRATOR,)), role_members(DEPARTMENT_ROLES)):
        owner = candidates.order_by("date_joined", "pk").first()
        if owner is not None:
            return owner
    raise PortalError(
        _("No administrator or department staff account exists to keep the report's files."),
        code="no_staff",
    )


def _store(report: WeeklyReport, owner: User, name: str, content: bytes, kind: FileKind):
    return private_file_create(
        owner=owner,
        upload=SimpleUploadedFile(name, content, content_type=kind.mime),
        allowed=(kind,),
        attach_to=report,
    )


@transaction.atomic
def report_archive(*, snapshot: Snapshot, user: User | None) -> WeeklyReport:
    """Builds the report of `snapshot` and keeps it with its PDF and XLSX. `user` None is the
    weekly schedule."""
    if user is not None:
        services.check_manager(user)
    if WeeklyReport.objects.filter(snapshot=snapshot).exists():
        raise PortalError(_("This snapshot already has its report."), code="report_exists")
    with translation.override(settings.LANGUAGE_CODE):
        data = reports.build_report(snapshot)
        pdf, xlsx = reports.render_pdf(data), reports.render_xlsx(data)
    owner = _files_owner(user)
    report = WeeklyReport.objects.create(snapshot=snapshot, generated_at=timezone.now())
    name = f"weekly-report-{data.week}"
    report.pdf = _store(report, owner, f"{name}.pdf", pdf, FileKind.PDF)
    report.xlsx = _store(report, owner, f"{name}.xlsx", xlsx, FileKind.XLSX)
    report.save(update_fields=["pdf", "xlsx"])
    audit_log(
        report,
        "dashboard.report",
        user=user,
        data={"snapshot": snapshot.pk, "overdue": data.overdue_count},
    )
    return report


@transaction.atomic
def report_generate(*, user: User) -> WeeklyReport:
    """ "Generate now": the figures as they are now, frozen in a snapshot taken for the report."""
    services.check_manager(user)
    snapshot = services.snapshot_take(
        user=user,
        trigger=SnapshotTrigger.ON_DEMAND,
        note=_("Taken for a weekly report generated on demand"),
    )
    return report_archive(snapshot=snapshot, user=user)


def report_subscribers() -> QuerySet:
    """Subscribed users who are still department staff (a former member of staff gets nothing)."""
    return role_members(DEPARTMENT_ROLES).filter(report_subscription__isnull=False).order_by("pk")


def _email_text(report: WeeklyReport, recipient: User) -> tuple[str, str, str]:
    """Subject, body and inbox text in the active language."""
    week = reports.week_label(report.snapshot.taken_at)
    archive = settings.PORTAL_BASE_URL + reverse("dashboard_admin_reports:index")
    subject = _("Weekly report of the innovation ecosystem, %(week)s") % {"week": week}
    summary = _(
        "The weekly report for the steering committee (%(week)s, figures frozen on %(taken)s) "
        "is attached as a PDF and as a spreadsheet."
    ) % {
        "week": week,
        "taken": timezone.localtime(report.snapshot.taken_at).strftime("%d/%m/%Y %H:%M"),
    }
    body = "\n\n".join(
        [
            _("Hello %(name)s,") % {"name": recipient.get_short_name()},
            summary,
            _("Every weekly report is kept in the admin: %(url)s") % {"url": archive},
            _("You receive it because you subscribed; you can unsubscribe on that page."),
            "— " + _("Hanoi Innovation Portal"),
        ]
    )
    return subject, body, summary


def report_email(*, report: WeeklyReport) -> int:
    """Mails the report, both files attached, to each subscriber in their language, and puts a
    message in their inbox. Returns how many were sent."""
    attachments = []
    for stored in (report.pdf, report.xlsx):
        with stored.file.open("rb") as handle:
            attachments.append((stored.original_name, handle.read(), stored.mime_type))
    recipients = list(report_subscribers())
    connection = get_connection()
    for recipient in recipients:
        with translation.override(recipient.language):
            subject, body, summary = _email_text(report, recipient)
            # The email carries the files itself; the inbox keeps a note of it.
            notification_send(
                recipient=recipient,
                subject=subject,
                body=summary,
                url=reverse("dashboard_admin_reports:index"),
                email=False,
            )
        message = EmailMessage(subject, body, to=[recipient.email], connection=connection)
        for attachment in attachments:
            message.attach(*attachment)
        message.send()
    WeeklyReport.objects.filter(pk=report.pk).update(emailed_to=len(recipients))
    report.emailed_to = len(recipients)
    return len(recipients)


@transaction.atomic
def subscription_set(*, user: User, subscribed: bool) -> bool:
    """Starts or stops the weekly email for `user`; returns whether they are now subscribed."""
    services.check_manager(user)
    if subscribed:
        ReportSubscription.objects.get_or_create(user=user)
    else:
        ReportSubscription.objects.filter(user=user).delete()
    return subscribed


def weekly_job(previous_run) -> str:
    """`dashboard.weekly`: this week's snapshot, its report archived, then mailed."""
    snapshot = services.snapshot_take(user=None, trigger=SnapshotTrigger.SCHEDULED)
    report = report_archive(snapshot=snapshot, user=None)
    sent = report_email(report=report)
    return f"snapshot {snapshot.pk} taken, report {report.pk} archived, emailed to {sent}"

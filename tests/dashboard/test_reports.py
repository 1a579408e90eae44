"""The steering committee's weekly report: what it holds (figures, changes, targets,
trajectories, overdue items from the apps), checked in the XLSX parsed with openpyxl and in the
PDF's text extracted with pypdf; and the weekly job that snapshots, archives and mails it."""

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pypdf
import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from fund import services as fund_services
from fund.models import ApplicationStatus
from portal.accounts.roles import Role
from portal.accounts.services import user_revoke_role
from portal.core.exceptions import PortalError
from portal.core.scheduling import run_due_jobs
from portal.dashboard import report_services, reports, services
from portal.dashboard.models import (
    Indicator,
    Method,
    ReportSubscription,
    Snapshot,
    SnapshotTrigger,
    WeeklyReport,
)
from portal.dashboard.sources import OverdueRow, OverdueSection
from portal.notifications.models import Notification
from startups import services as startup_services
from startups.models import Startup, Status
from tests.factories import make_user
from tests.factories.fund import BILLION, make_application, make_investment
from tests.factories.sandbox import make_entry
from tests.factories.startups import make_startup
from tests.factories.tech_exchange import make_enquiry

pytestmark = pytest.mark.django_db

STARTUPS_NAME = "Doanh nghiệp khởi nghiệp sáng tạo đã xác minh"
BUDGET_NAME = "Tỷ lệ giải ngân vốn khoa học và công nghệ được giao"


def xlsx_rows(content: bytes, sheet: str) -> list[dict]:
    """The rows of a sheet below its headings, as dicts keyed by heading."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    rows = list(book[sheet].iter_rows(min_row=reports.HEADER_ROW, values_only=True))
    heading, *data = rows
    return [dict(zip(heading, row, strict=True)) for row in data]


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def read(private_file) -> bytes:
    with private_file.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def dataset(db):
    """Two indicators with a snapshot a week ago, and one late item of each kind: a fund
    application past its stage deadline, a tranche past its planned date, a stale startup, a
    sandbox test ending in 10 days and an enquiry unanswered past its deadline."""
    staff, second = make_user(Role.DEPARTMENT_STAFF), make_user(Role.DEPARTMENT_STAFF)
    startups = Indicator.objects.create(
        code="startups",
        name=STARTUPS_NAME,
        name_en="Verified innovative startups",
        unit="count",
        target_value=5000,
        target_deadline=date(2030, 12, 31),
        method=Method.COMPUTED,
        source_key="startups.verified",
        position=0,
    )
    budget = Indicator.objects.create(
        code="st-budget-disbursement",
        name=BUDGET_NAME,
        name_en="Disbursement of allocated S&T budget",
        unit="percent",
        target_value=100,
        target_deadline=date(2030, 12, 31),
        method=Method.MANUAL,
        position=1,
    )
    last_week = timezone.now() - timedelta(days=7)
    services.snapshot_import(
        user=None,
        taken_at=last_week,
        values={"startups": Decimal(0), "st-budget-disbursement": Decimal("30")},
        note="Báo cáo tuần trước",
    )
    value = services.value_enter(
        user=staff,
        indicator=budget,
        value=Decimal("33.5"),
        as_of=timezone.localdate(),
        source="Sở Tài chính Hà Nội",
    )
    services.value_approve(user=second, value=value)

    with time_machine.travel(timezone.now() - timedelta(days=7), tick=False):
        late = make_application(
            status=ApplicationStatus.SUBMITTED,
            startup=make_startup(name="Công ty Quá Hạn Hồ Sơ", status=Status.VERIFIED),
        )
    investment = make_investment(
        startup=make_startup(name="Công ty Chậm Giải Ngân", status=Status.VERIFIED)
    )
    tranche = fund_services.tranche_add(
        user=investment.decided_by,
        investment=investment,
        amount_vnd=2 * BILLION,
        planned_on=timezone.localdate() - timedelta(days=10),
        conditions="",
    )
    stale = make_startup(name="Công ty Dữ Liệu Cũ", status=Status.VERIFIED)
    Startup.objects.filter(pk=stale.pk).update(
        confirmation_due_on=timezone.localdate() - timedelta(days=3)
    )
    startup_services.reconfirmation_sweep()
    # A year's test that started 355 days ago ends in 10 days.
    entry = make_entry(status="testing", start=timezone.localdate() - timedelta(days=355))
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        enquiry = make_enquiry()
    return {
        "startups": startups,
        "budget": budget,
        "application": late,
        "tranche": tranche,
        "stale": stale,
        "entry": entry,
        "enquiry": enquiry,
        "staff": staff,
    }


def test_the_report_data_holds_figures_changes_and_every_overdue_kind(dataset):
    snapshot = services.snapshot_take(user=None, trigger=SnapshotTrigger.SCHEDULED)
    data = reports.build_report(snapshot)
    figures = {figure.code: figure for figure in data.figures}
    # Verified and not stale: the fund's applicants; nothing was verified a week ago.
    verified = Startup.objects.filter(status=Status.VERIFIED, is_stale=False).count()
    assert figures["startups"].value == verified
    assert figures["startups"].change == verified
    budget = figures["st-budget-disbursement"]
    assert (budget.value, budget.previous, budget.change) == (
        Decimal("33.5"),
        Decimal("30"),
        Decimal("3.5"),
    )
    assert budget.source == "Sở Tài chính Hà Nội"
    assert budget.trajectory.projected is not None
    sections = {section.key: section for section in data.overdue}
    assert set(sections) >= {
        "fund.applications",
        "fund.tranches",
        "startups.stale",
        "sandbox.ending",
        "exchange.enquiries",
    }
    application = dataset["application"]
    [row] = sections["fund.applications"].rows
    assert "Công ty Quá Hạn Hồ Sơ" in row.text
    assert row.url == f"/admin/fund/applications/{application.pk}/"
    assert row.due == timezone.localdate(application.stage_due_at)
    [row] = sections["fund.tranches"].rows
    assert "Công ty Chậm Giải Ngân" in row.text and "2.000.000.000 ₫" in row.text
    assert row.url == f"/admin/fund/tranches/{dataset['tranche'].pk}/"
    [row] = sections["startups.stale"].rows
    assert "Công ty Dữ Liệu Cũ" in row.text
    assert row.url == f"/admin/startups/review/{dataset['stale'].pk}/"
    [row] = sections["sandbox.ending"].rows
    assert dataset["entry"].participant in row.text
    assert row.url == f"/admin/sandbox/entries/{dataset['entry'].pk}/"
    assert data.days_late(row.due) == -10
    [row] = sections["exchange.enquiries"].rows
    listing = dataset["enquiry"].listing
    assert listing.title in row.text
    assert row.url == f"/admin/technologies/listings/{listing.pk}/#enquiries"


def test_the_xlsx_has_the_figures_as_numbers_and_the_overdue_rows(dataset):
    snapshot = services.snapshot_take(user=None, trigger=SnapshotTrigger.SCHEDULED)
    with translation.override("en"):
        content = reports.render_xlsx(reports.build_report(snapshot))
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == [reports.FIGURES_SHEET, reports.OVERDUE_SHEET]
    week = timezone.localdate(snapshot.taken_at).isocalendar().week
    assert f"week {week} of" in book[reports.FIGURES_SHEET]["A1"].value
    figures = {row["Indicator code"]: row for row in xlsx_rows(content, reports.FIGURES_SHEET)}
    budget = figures["st-budget-disbursement"]
    assert budget["Indicator"] == "Disbursement of allocated S&T budget"
    assert budget["Unit"] == "Percent"
    assert budget["Trajectory"] in {"On track", "At risk", "Off track"}
    assert (budget["Value"], budget["Previous value"]) == (33.5, 30)
    assert budget["Change"] == pytest.approx(3.5)
    assert budget["Target"] == 100
    assert budget["Target deadline"].date() == date(2030, 12, 31)
    assert isinstance(budget["Projected at the deadline"], int | float)
    assert budget["Source"] == "Sở Tài chính Hà Nội"
    assert budget["As of"].date() == timezone.localdate()
    assert figures["startups"]["Indicator"] == "Verified innovative startups"
    assert isinstance(figures["startups"]["Value"], int)

    overdue = xlsx_rows(content, reports.OVERDUE_SHEET)
    by_text = {row["Item"]: row for row in overdue}
    application = next(row for text, row in by_text.items() if "Công ty Quá Hạn Hồ Sơ" in text)
    assert application["Link"].endswith(f"/admin/fund/applications/{dataset['application'].pk}/")
    tranche = next(row for text, row in by_text.items() if "Công ty Chậm Giải Ngân" in text)
    assert tranche["Days past due (negative: days left)"] == 10
    assert tranche["Due"].date() == timezone.localdate() - timedelta(days=10)
    stale = next(row for text, row in by_text.items() if "Công ty Dữ Liệu Cũ" in text)
    assert stale["Days past due (negative: days left)"] == 3
    ending = next(row for text, row in by_text.items() if dataset["entry"].participant in text)
    assert ending["Days past due (negative: days left)"] == -10
    assert len(overdue) == 5


def test_the_pdf_text_has_the_same_facts_in_vietnamese(dataset):
    snapshot = services.snapshot_take(user=None, trigger=SnapshotTrigger.SCHEDULED)
    with translation.override("vi"):
        text = pdf_text(reports.render_pdf(reports.build_report(snapshot)))
    for fact in (
        "Doanh nghiệp khởi nghiệp",
        "giải ngân vốn khoa học và công nghệ",
        "33,5 %",
        "Sở Tài chính Hà Nội",
        "Công ty Quá Hạn Hồ Sơ",
        "Công ty Chậm Giải Ngân",
        "2.000.000.000 ₫",
        "Công ty Dữ Liệu Cũ",
        dataset["entry"].participant,
        dataset["enquiry"].listing.title,
    ):
        assert fact in " ".join(text.split()), fact


def test_the_pdf_says_when_nothing_is_overdue(db):
    snapshot = services.snapshot_take(user=None, trigger=SnapshotTrigger.SCHEDULED)
    with translation.override("en"):
        data = reports.build_report(snapshot)
        text = pdf_text(reports.render_pdf(data))
    assert data.previous_taken_at is None
    assert data.overdue_count == 0
    assert "there is no earlier snapshot" in text
    assert text.count("Nothing overdue.") == len(data.overdue) >= 5


def test_a_report_is_built_from_its_snapshot_not_from_todays_data(dataset):
    snapshot = services.snapshot_take(user=None, trigger=SnapshotTrigger.SCHEDULED)
    staff, second = dataset["staff"], make_user(Role.DEPARTMENT_STAFF)
    later = services.value_enter(
        user=staff,
        indicator=dataset["budget"],
        value=Decimal("60"),
        as_of=timezone.localdate(),
        source="Sở Tài chính Hà Nội",
    )
    services.value_approve(user=second, value=later)
    figures = {figure.code: figure for figure in reports.build_report(snapshot).figures}
    assert figures["st-budget-disbursement"].value == Decimal("33.5")


# --- the weekly job --------------------------------------------------------------------------


def run_weekly() -> str:
    [(name, succeeded, message)] = list(run_due_jobs(only=report_services.WEEKLY_JOB, force=True))
    assert (name, succeeded) == (report_services.WEEKLY_JOB, True), message
    return message


def test_the_weekly_job_snapshots_archives_and_mails_each_subscriber(dataset):
    english = make_user(Role.DEPARTMENT_STAFF, language="en", first_name="Lan")
    vietnamese = make_user(Role.ADMINISTRATOR, language="vi")
    former = make_user(Role.DEPARTMENT_STAFF)
    founder = make_user(Role.FOUNDER)
    for user in (english, vietnamese, former, founder):
        ReportSubscription.objects.create(user=user)
    user_revoke_role(user=former, role=Role.DEPARTMENT_STAFF, actor=None)
    before = Snapshot.objects.count()
    mail.outbox.clear()

    message = run_weekly()

    assert Snapshot.objects.count() == before + 1
    snapshot = Snapshot.objects.first()
    assert snapshot.trigger == SnapshotTrigger.SCHEDULED and snapshot.taken_by is None
    report = WeeklyReport.objects.get(snapshot=snapshot)
    assert report.pdf.mime_type == "application/pdf"
    assert report.xlsx.extension == "xlsx"
    assert report.pdf.attached_to == report and report.xlsx.attached_to == report
    assert report.emailed_to == 2
    assert message.endswith("emailed to 2")
    assert sorted(email.to[0] for email in mail.outbox) == sorted([english.email, vietnamese.email])
    for email in mail.outbox:
        names = [name for name, _content, _mime in email.attachments]
        assert names == [report.pdf.original_name, report.xlsx.original_name]
        assert [mime for _name, _content, mime in email.attachments] == [
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ]
        assert email.attachments[0][1] == read(report.pdf)
    sent = next(email for email in mail.outbox if email.to == [english.email])
    assert (
        sent.subject
        == f"Weekly report of the innovation ecosystem, {reports.week_label(snapshot.taken_at)}"
    )
    assert "Hello Lan," in sent.body
    assert "/admin/dashboard/reports/" in sent.body
    # Every email also leaves a message in the inbox.
    assert set(
        Notification.objects.filter(url="/admin/dashboard/reports/").values_list(
            "recipient", flat=True
        )
    ) == {english.pk, vietnamese.pk}

    # The files hold the report of this snapshot, in the portal's first language.
    with translation.override("vi"):
        code, value = gettext("Indicator code"), gettext("Value")
    figures = {row[code]: row for row in xlsx_rows(read(report.xlsx), reports.FIGURES_SHEET)}
    assert figures["st-budget-disbursement"][value] == 33.5
    text = " ".join(pdf_text(read(report.pdf)).split())
    assert "Doanh nghiệp khởi nghiệp" in text and "Công ty Quá Hạn Hồ Sơ" in text


def test_the_weekly_job_runs_once_a_week(dataset):
    run_weekly()
    assert list(run_due_jobs(only=report_services.WEEKLY_JOB)) == []
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        [(name, succeeded, _message)] = list(run_due_jobs(only=report_services.WEEKLY_JOB))
    assert succeeded
    assert WeeklyReport.objects.count() == 2


def test_a_snapshot_has_one_report(dataset):
    snapshot = services.snapshot_take(user=None, trigger=SnapshotTrigger.SCHEDULED)
    report_services.report_archive(snapshot=snapshot, user=None)
    with pytest.raises(PortalError):
        report_services.report_archive(snapshot=snapshot, user=None)
    assert WeeklyReport.objects.count() == 1


def test_only_department_staff_generate_or_subscribe(db):
    manager = make_user(Role.FUND_MANAGER)
    with pytest.raises(PortalError):
        report_services.report_generate(user=manager)
    with pytest.raises(PortalError):
        report_services.subscription_set(user=manager, subscribed=True)
    assert not WeeklyReport.objects.exists() and not Snapshot.objects.exists()
    assert not ReportSubscription.objects.exists()


def test_a_long_section_is_cut_in_the_pdf_and_whole_in_the_xlsx():
    today = date(2026, 11, 23)
    rows = [OverdueRow(f"Hồ sơ số {n:03d}", today - timedelta(days=n), "") for n in range(53)]
    data = reports.ReportData(
        title="Báo cáo tuần",
        week="2026-W48",
        taken_at=timezone.now(),
        previous_taken_at=None,
        today=today,
        figures=[],
        overdue=[OverdueSection("test.long", "Hồ sơ quá hạn", rows)],
    )
    with translation.override("en"):
        text = " ".join(pdf_text(reports.render_pdf(data)).split())
        content = reports.render_xlsx(data)
    assert "Hồ sơ số 049" in text and "Hồ sơ số 050" not in text
    assert "And 3 more items, listed in the spreadsheet." in text
    overdue = xlsx_rows(content, reports.OVERDUE_SHEET)
    assert [row["Item"] for row in overdue] == [row.text for row in rows]
    assert overdue[52]["Days past due (negative: days left)"] == 52

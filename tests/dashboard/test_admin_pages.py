"""The dashboard's staff pages in the Wagtail admin: who may reach them, the indicators'
configuration, snapshots taken on demand, the archive of weekly reports with its downloads, the
"generate now" button and the subscription toggle, and constant query counts on the lists."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from portal.accounts.roles import Role
from portal.dashboard import report_services, services
from portal.dashboard.models import (
    Indicator,
    IndicatorValue,
    Method,
    ReportSubscription,
    Snapshot,
    SnapshotTrigger,
    SnapshotValue,
    WeeklyReport,
)
from portal.dashboard.sources import source_choices
from tests.conftest import count_queries
from tests.dashboard.test_values import enter, manual_indicator, staff_member
from tests.factories import make_user, with_mfa

pytestmark = pytest.mark.django_db

INDICATORS = "/admin/dashboard/indicators/"
NEW_INDICATOR = "/admin/dashboard/indicators/new/"
VALUES = "/admin/dashboard/values/"
ENTER = "/admin/dashboard/values/new/"
SNAPSHOTS = "/admin/dashboard/snapshots/"
TAKE = "/admin/dashboard/snapshots/take/"
REPORTS = "/admin/dashboard/reports/"
GENERATE = "/admin/dashboard/reports/generate/"
SUBSCRIPTION = "/admin/dashboard/reports/subscription/"


@pytest.fixture
def staff(client):
    user = staff_member()
    client.force_login(user)
    return user


@pytest.fixture
def records(db):
    """One of each record the pages show: a manual indicator with an approved value and a
    correction waiting, a snapshot and its weekly report."""
    indicator = manual_indicator()
    approved = services.value_approve(
        user=staff_member(), value=enter(staff_member(), indicator, value="2.3")
    )
    correction = enter(staff_member(), indicator, value="2.4", corrects=approved, note="Sửa")
    report = report_services.report_generate(user=staff_member())
    return {
        "indicator": indicator,
        "approved": approved,
        "correction": correction,
        "snapshot": report.snapshot,
        "report": report,
    }


def pages(records) -> list[str]:
    return [
        INDICATORS,
        NEW_INDICATOR,
        f"/admin/dashboard/indicators/edit/{records['indicator'].pk}/",
        VALUES,
        ENTER,
        f"/admin/dashboard/values/{records['correction'].pk}/",
        f"/admin/dashboard/values/{records['approved'].pk}/correct/",
        SNAPSHOTS,
        TAKE,
        f"/admin/dashboard/snapshots/{records['snapshot'].pk}/",
        REPORTS,
        GENERATE,
        SUBSCRIPTION,
    ]


def posts(records) -> dict[str, dict]:
    """Every form, filled in as a member of staff would."""
    form = {"value": "9", "as_of": "2026-09-30", "source": "Sở", "note": "Thử"}
    return {
        NEW_INDICATOR: {"code": "x", "name": "X", "name_en": "X", "unit": "count",
                        "method": "manual"},
        f"/admin/dashboard/indicators/edit/{records['indicator'].pk}/": {
            "name": "Đổi tên", "name_en": "Renamed", "direction": "increase", "position": "3",
        },
        ENTER: {**form, "indicator": records["indicator"].pk},
        f"/admin/dashboard/values/{records['correction'].pk}/": {"decision": "approve"},
        f"/admin/dashboard/values/{records['approved'].pk}/correct/": form,
        TAKE: {"note": "Thử"},
        GENERATE: {},
        SUBSCRIPTION: {},
    }  # fmt: skip


def state() -> tuple:
    return (
        Indicator.objects.count(),
        list(Indicator.objects.values_list("name", flat=True)),
        IndicatorValue.objects.count(),
        list(IndicatorValue.objects.values_list("status", flat=True)),
        Snapshot.objects.count(),
        WeeklyReport.objects.count(),
        ReportSubscription.objects.count(),
    )


# --- who may enter ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, records):
    for url in pages(records):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


@pytest.mark.parametrize("role", [Role.FOUNDER, Role.FUND_MANAGER, Role.REVIEWER])
def test_people_outside_department_staff_are_refused_everywhere(client, records, role):
    client.force_login(with_mfa(make_user(role, language="en")))
    for url in pages(records):
        response = client.get(url)
        # Refused: sent to log in with an account that may use the admin, or forbidden.
        assert response.status_code in (302, 403), url
    before = state()
    for url, data in posts(records).items():
        assert client.post(url, data).status_code in (302, 403), url
    assert state() == before
    report = records["report"]
    for stored in (report.pdf, report.xlsx):
        assert client.get(f"/files/{stored.pk}/").status_code == 403


def test_staff_without_a_second_factor_set_it_up_first(client, records):
    client.force_login(make_user(Role.DEPARTMENT_STAFF, language="en"))
    response = client.get(VALUES)
    assert response.status_code == 302
    assert "login" not in response["Location"]


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR])
def test_staff_and_administrators_with_mfa_see_every_page_and_the_menu(client, records, role):
    client.force_login(with_mfa(make_user(role, language="en")))
    for url in pages(records):
        assert client.get(url).status_code == 200, url
    home = client.get("/admin/").content.decode()
    for url in (INDICATORS, VALUES, SNAPSHOTS, REPORTS):
        assert url in home


# --- indicators ------------------------------------------------------------------------------


def test_staff_create_a_manual_and_a_computed_indicator(client, staff):
    assert "startups.verified" in dict(source_choices())
    response = client.post(
        NEW_INDICATOR,
        {
            "code": "digital-skills",
            "name": "Lực lượng lao động có kỹ năng số",
            "name_en": "Workforce with digital skills",
            "unit": "percent",
            "method": "manual",
            "source_key": "",
            "target_value": "50",
            "target_deadline": "2030-12-31",
            "direction": "increase",
            "position": "5",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    manual = Indicator.objects.get(code="digital-skills")
    assert (manual.method, manual.target_value) == (Method.MANUAL, Decimal(50))
    client.post(
        NEW_INDICATOR,
        {
            "code": "startups",
            "name": "Doanh nghiệp khởi nghiệp",
            "name_en": "Startups",
            "unit": "count",
            "method": "computed",
            "source_key": "startups.verified",
            "direction": "increase",
            "position": "0",
        },
    )
    assert Indicator.objects.get(code="startups").source_key == "startups.verified"


def test_an_indicator_that_does_not_add_up_is_refused_with_a_message(client, staff):
    base = {"name": "X", "name_en": "X", "unit": "count", "direction": "increase", "position": 0}
    for data, message in (
        ({"code": "a", "method": "computed", "source_key": ""}, "Choose the source"),
        (
            {"code": "b", "method": "manual", "source_key": "startups.verified"},
            "no computed source",
        ),
        ({"code": "c", "method": "manual", "target_value": "10"}, "A target needs a deadline"),
        ({"code": "d", "method": "computed", "source_key": "nowhere.at_all"}, "valid choice"),
    ):
        response = client.post(NEW_INDICATOR, {**base, **data})
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert not Indicator.objects.exists()


def test_staff_edit_the_target_but_not_what_the_history_depends_on(client, staff):
    indicator = manual_indicator()
    edit = f"/admin/dashboard/indicators/edit/{indicator.pk}/"
    page = client.get(edit).content.decode()
    assert 'name="target_value"' in page
    assert 'name="unit"' not in page and 'name="method"' not in page and 'name="code"' not in page
    response = client.post(
        edit,
        {
            "name": indicator.name,
            "name_en": indicator.name_en,
            "source_key": "",
            "target_value": "4.5",
            "target_deadline": "2031-12-31",
            "direction": "increase",
            "position": "2",
            "code": "hijacked",
            "unit": "vnd",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.target_value, indicator.target_deadline) == (
        Decimal("4.5"),
        date(2031, 12, 31),
    )
    assert (indicator.code, indicator.unit) == ("st-spending-budget", "percent")


def test_indicators_cannot_be_deleted(client, staff):
    indicator = manual_indicator()
    assert client.get(f"/admin/dashboard/indicators/delete/{indicator.pk}/").status_code == 404
    assert client.post(f"/admin/dashboard/indicators/delete/{indicator.pk}/").status_code == 404
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_indicator_list_shows_targets_in_their_unit(client, staff):
    manual_indicator()
    page = client.get(INDICATORS).content.decode()
    assert "S&amp;T spending as a share of the city budget" in page
    assert "4 % by 31/12/2030" in page


# --- snapshots -------------------------------------------------------------------------------


def test_staff_take_a_snapshot_on_demand_and_read_its_frozen_figures(client, staff):
    indicator = manual_indicator()
    value = enter(staff_member(), indicator, value="2.3")
    services.value_approve(user=staff_member(), value=value)
    assert TAKE in client.get(SNAPSHOTS).content.decode()
    response = client.post(TAKE, {"note": "Họp Ban chỉ đạo tháng 11"})
    snapshot = Snapshot.objects.get()
    assert response["Location"] == f"/admin/dashboard/snapshots/{snapshot.pk}/"
    assert (snapshot.trigger, snapshot.taken_by, snapshot.note) == (
        SnapshotTrigger.ON_DEMAND,
        staff,
        "Họp Ban chỉ đạo tháng 11",
    )
    assert SnapshotValue.objects.get(snapshot=snapshot).value == Decimal("2.3")
    page = client.get(f"/admin/dashboard/snapshots/{snapshot.pk}/").content.decode()
    assert "S&amp;T spending as a share of the city budget" in page
    assert "2.3 %" in page
    assert "Sở Tài chính Hà Nội" in page
    listing = client.get(SNAPSHOTS).content.decode()
    assert f"/admin/dashboard/snapshots/{snapshot.pk}/" in listing
    assert "Họp Ban chỉ đạo tháng 11" in listing


# --- weekly reports --------------------------------------------------------------------------


def test_generate_now_archives_a_report_that_staff_download(client, staff):
    manual_indicator()
    mail.outbox.clear()
    response = client.post(GENERATE)
    assert response.status_code == 302 and response["Location"] == REPORTS
    report = WeeklyReport.objects.get()
    assert report.snapshot.trigger == SnapshotTrigger.ON_DEMAND
    assert report.snapshot.taken_by == staff
    assert mail.outbox == []  # subscribers get the scheduled one
    page = client.get(REPORTS).content.decode()
    for stored, mime in ((report.pdf, "application/pdf"), (report.xlsx, "spreadsheetml")):
        assert f"/files/{stored.pk}/" in page
        download = client.get(f"/files/{stored.pk}/")
        assert download.status_code == 200
        assert mime in download["Content-Type"]
    # Any member of department staff may download them, not only who generated them.
    client.force_login(staff_member())
    assert client.get(f"/files/{report.pdf.pk}/").status_code == 200


def test_staff_subscribe_and_unsubscribe_themselves(client, staff):
    assert "Subscribe to the weekly email" in client.get(REPORTS).content.decode()
    assert "You do not receive" in client.get(SUBSCRIPTION).content.decode()
    client.post(SUBSCRIPTION)
    assert ReportSubscription.objects.filter(user=staff).exists()
    assert "Unsubscribe from the weekly email" in client.get(REPORTS).content.decode()
    assert "You receive the weekly report" in client.get(SUBSCRIPTION).content.decode()
    client.post(SUBSCRIPTION)
    assert not ReportSubscription.objects.exists()


# --- query counts ----------------------------------------------------------------------------


def test_the_lists_make_the_same_number_of_queries_whatever_their_length(client, staff, records):
    urls = [INDICATORS, VALUES, VALUES + "?status=", SNAPSHOTS, REPORTS]
    few = {url: count_queries(client, url) for url in urls}
    for n in range(3):
        indicator = manual_indicator(code=f"more-{n}", name=f"Chỉ tiêu {n}", name_en=f"More {n}")
        approved = services.value_approve(
            user=staff_member(), value=enter(staff_member(), indicator)
        )
        enter(staff_member(), indicator, corrects=approved, note="Sửa")
        report_services.report_generate(user=staff_member())
        services.snapshot_take(user=staff_member())
    assert {url: count_queries(client, url) for url in urls} == few

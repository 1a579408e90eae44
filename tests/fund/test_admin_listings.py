"""The fund managers' listings and figures in the Wagtail admin: the applications and tranches
queues (filters, search, CSV/XLSX export, query counts), the fund dashboard, the fund snippet
and the daily digest of what is overdue."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from fund import services
from fund.jobs import OVERDUE_DIGEST
from fund.models import ApplicationStatus, Fund
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.scheduling import run_due_jobs
from portal.notifications.models import Notification
from tests.conftest import count_queries, read_csv, read_xlsx
from tests.factories import english_admin_user, make_user, with_mfa
from tests.factories.fund import BILLION, make_application, make_call, make_fund, make_investment
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

QUEUE = "/admin/fund/applications/"
TRANCHES = "/admin/fund/tranches/"
DASHBOARD = "/admin/fund/dashboard/"
FUNDS = "/admin/snippets/fund/fund/"


@pytest.fixture
def manager(client):
    user = english_admin_user(Role.FUND_MANAGER)
    client.force_login(user)
    return user


def text(response) -> str:
    return response.content.decode()


def named(name: str, status: str, **fields):
    return make_application(
        status=status, startup=make_startup(name=name, status="verified"), **fields
    )


def a_week_ago():
    """Records made inside are a week old: a submitted application is past its deadline."""
    return time_machine.travel(timezone.now() - timedelta(days=7), tick=False)


def plan(investment, amount: int, planned_on: date, conditions: str = ""):
    return services.tranche_add(
        user=investment.decided_by,
        investment=investment,
        amount_vnd=amount,
        planned_on=planned_on,
        conditions=conditions,
    )


def disburse(tranche):
    user = tranche.investment.decided_by
    services.tranche_approve_requirements(user=user, tranche=tranche)
    return services.tranche_disburse(user=user, tranche=tranche)


# --- the applications queue ------------------------------------------------------------------


def test_the_queue_opens_on_open_applications_and_filters(client, manager):
    call = make_call(title="Đợt gọi vốn Thành phố thông minh")
    named("Công ty Đang Sàng Lọc", ApplicationStatus.SCREENING, call=call)
    named("Công ty Bị Từ Chối", ApplicationStatus.REJECTED)
    named("Công ty Chuyển Đổi", ApplicationStatus.SUBMITTED, instrument="convertible_note")
    make_application(startup=make_startup(name="Công ty Bản Nháp", status="verified"))
    page = text(client.get(QUEUE))
    assert "Công ty Đang Sàng Lọc" in page and "Công ty Chuyển Đổi" in page
    assert "Công ty Bị Từ Chối" not in page
    assert "Công ty Bản Nháp" not in page  # drafts never reach the fund
    everything = text(client.get(QUEUE + "?status="))
    assert "Công ty Bị Từ Chối" in everything and "Công ty Bản Nháp" not in everything
    closed = text(client.get(QUEUE + "?status=closed"))
    assert "Công ty Bị Từ Chối" in closed and "Công ty Đang Sàng Lọc" not in closed
    screening = text(client.get(QUEUE + "?status=screening"))
    assert "Công ty Đang Sàng Lọc" in screening and "Công ty Chuyển Đổi" not in screening
    by_call = text(client.get(QUEUE, {"call": call.pk}))
    assert "Công ty Đang Sàng Lọc" in by_call and "Công ty Chuyển Đổi" not in by_call
    notes = text(client.get(QUEUE, {"instrument": "convertible_note"}))
    assert "Công ty Chuyển Đổi" in notes and "Công ty Đang Sàng Lọc" not in notes
    found = text(client.get(QUEUE, {"q": "sàng lọc", "status": ""}))
    assert "Công ty Đang Sàng Lọc" in found and "Công ty Bị Từ Chối" not in found


def test_the_queue_flags_and_filters_overdue_applications(client, manager):
    with a_week_ago():  # 5 days to start screening
        late = named("Công ty Quá Hạn", ApplicationStatus.SUBMITTED)
    named("Công ty Đúng Hạn", ApplicationStatus.SUBMITTED)
    page = text(client.get(QUEUE))
    assert len(re.findall(r'w-status--primary">\s*Overdue\s*</span>', page)) == 1
    assert f"/admin/fund/applications/{late.pk}/" in page
    overdue = text(client.get(QUEUE, {"overdue": "true"}))
    assert "Công ty Quá Hạn" in overdue and "Công ty Đúng Hạn" not in overdue
    on_time = text(client.get(QUEUE, {"overdue": "false"}))
    assert "Công ty Đúng Hạn" in on_time and "Công ty Quá Hạn" not in on_time


def test_the_queues_make_the_same_number_of_queries_whatever_their_length(client, manager):
    investment = make_investment()
    plan(investment, BILLION, date.today())
    make_application(status=ApplicationStatus.SCREENING)
    few = count_queries(client, QUEUE + "?status=")
    few_tranches = count_queries(client, TRANCHES)
    for status in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.COMMITTEE,
        ApplicationStatus.INFO_REQUESTED,
    ):
        make_application(status=status)
    other = make_investment()
    plan(investment, BILLION, date.today() + timedelta(days=10))
    plan(other, 2 * BILLION, date.today() - timedelta(days=3))
    assert count_queries(client, QUEUE + "?status=") == few
    assert count_queries(client, TRANCHES) == few_tranches


def test_the_applications_export_as_csv_and_xlsx_with_the_filters(client, manager):
    named("Công ty Xuất Dữ Liệu", ApplicationStatus.COMMITTEE)
    named("Công ty Đã Rút", ApplicationStatus.WITHDRAWN)
    rows = read_csv(client.get(QUEUE + "?export=csv"))
    assert [row["Startup"] for row in rows] == ["Công ty Xuất Dữ Liệu"]
    row = rows[0]
    assert row["Status"] == "Investment committee"
    assert row["Amount requested (VND)"] == "5000000000"
    assert row["Instrument"] == "Equity"
    assert (row["Reviewers"], row["Reviews submitted"], row["Overdue"]) == ("2", "2", "No")

    sheet = read_xlsx(client.get(QUEUE + "?export=xlsx&status="))
    assert sorted(row["Startup"] for row in sheet) == ["Công ty Xuất Dữ Liệu", "Công ty Đã Rút"]
    withdrawn = next(row for row in sheet if row["Startup"] == "Công ty Đã Rút")
    assert withdrawn["Status"] == "Withdrawn"
    assert withdrawn["Amount requested (VND)"] == 5 * BILLION


# --- the tranches queue ----------------------------------------------------------------------


def test_the_tranches_queue_filters_by_status_and_lateness(client, manager):
    investment = make_investment(startup=make_startup(name="Công ty Giải Ngân", status="verified"))
    late = plan(investment, BILLION, date.today() - timedelta(days=4))
    plan(investment, 2 * BILLION, date.today() + timedelta(days=30))
    page = text(client.get(TRANCHES))
    assert f"/admin/fund/tranches/{late.pk}/" in page
    assert "Công ty Giải Ngân" in page
    overdue = client.get(TRANCHES, {"overdue": "true"})
    assert len(overdue.context["object_list"]) == 1
    assert "1.000.000.000 ₫" in text(overdue)
    disburse(late)
    assert len(client.get(TRANCHES, {"overdue": "true"}).context["object_list"]) == 0
    disbursed = client.get(TRANCHES, {"status": "disbursed"}).context["object_list"]
    assert [tranche.pk for tranche in disbursed] == [late.pk]


def test_the_tranches_export_as_csv_and_xlsx(client, manager):
    investment = make_investment(startup=make_startup(name="Công ty Giải Ngân", status="verified"))
    plan(investment, BILLION, date.today() - timedelta(days=4), conditions="Báo cáo quý 1.")
    plan(investment, 2 * BILLION, date.today() + timedelta(days=30))
    rows = read_csv(client.get(TRANCHES + "?export=csv"))
    assert [(row["Tranche"], row["Amount (VND)"], row["Days late"]) for row in rows] == [
        ("1", "1000000000", "4"),
        ("2", "2000000000", "0"),
    ]
    assert rows[0]["Startup"] == "Công ty Giải Ngân"
    assert rows[0]["Status"] == "Planned"
    assert rows[0]["Conditions and milestones"] == "Báo cáo quý 1."
    sheet = read_xlsx(client.get(TRANCHES + "?export=xlsx&overdue=true"))
    assert len(sheet) == 1
    assert sheet[0]["Amount (VND)"] == BILLION
    assert sheet[0]["Planned date"] == date.today() - timedelta(days=4)


# --- the dashboard ---------------------------------------------------------------------------


def test_the_dashboard_shows_no_disbursement_rate_before_any_investment(client, manager):
    make_fund(capital=(("city_budget", "UBND TP Hà Nội", 600 * BILLION),))
    page = text(client.get(DASHBOARD))
    assert '<dd id="disbursement-rate">—</dd>' in page
    assert "600.000.000.000 ₫" in page
    assert "60.0 %" in page  # 600 of the 1,000 billion target


def test_the_dashboard_shows_the_fund_figures(client, manager):
    make_fund(
        capital=(
            ("city_budget", "UBND TP Hà Nội", 600 * BILLION),
            ("private_investor", "Quỹ Đối Ứng Tư Nhân", 150 * BILLION),
        )
    )
    investment = make_investment(co_investors=[("Nhà đầu tư thiên thần", 3 * BILLION)])
    disburse(plan(investment, 2 * BILLION, date.today()))
    late = plan(investment, BILLION, date.today() - timedelta(days=2))
    with a_week_ago():
        named("Công ty Chờ Sàng Lọc", ApplicationStatus.SUBMITTED)
    make_application(status=ApplicationStatus.REJECTED)

    page = text(client.get(DASHBOARD))
    assert '<dd id="disbursement-rate">40.0 %</dd>' in page  # 2 of the 5 billion invested
    assert "5.000.000.000 ₫ · 1 investment" in page
    assert '<dd id="disbursed">2.000.000.000 ₫</dd>' in page
    assert '<dd id="remaining">3.000.000.000 ₫</dd>' in page
    assert '<dd id="co-investment">3.000.000.000 ₫</dd>' in page
    assert "750.000.000.000 ₫" in page and "150.000.000.000 ₫" in page
    # The funnel: three submitted, one went all the way, one was rejected at once.
    funnel = dict(re.findall(r'<th scope="row">([^<]+)</th>\s*<td>(\d+)</td>', page))
    assert funnel == {
        "Submitted": "3",
        "Screening": "1",
        "Due diligence": "1",
        "Investment committee": "1",
        "Approved": "1",
        "Rejected": "1",
        "Withdrawn": "0",
    }
    assert "Overdue applications (1)" in page
    assert "Công ty Chờ Sàng Lọc" in page
    assert f"/admin/fund/tranches/{late.pk}/" in page


# --- the fund snippet ------------------------------------------------------------------------


def test_fund_managers_edit_the_fund_but_cannot_delete_it(client, manager):
    fund = make_fund()
    commitment = fund.commitments.get()
    data = {
        "name": "Quỹ Đầu tư mạo hiểm Hà Nội",
        "target_vnd": str(1_200 * BILLION),
        "submitted_days": "3",
        "screening_days": "10",
        "due_diligence_days": "30",
        "committee_days": "14",
        "info_response_days": "14",
        "commitments-TOTAL_FORMS": "1",
        "commitments-INITIAL_FORMS": "1",
        "commitments-MIN_NUM_FORMS": "0",
        "commitments-MAX_NUM_FORMS": "1000",
        "commitments-0-id": str(commitment.pk),
        "commitments-0-ORDER": "1",
        "commitments-0-source": "city_budget",
        "commitments-0-investor": "UBND TP Hà Nội",
        "commitments-0-amount_vnd": str(700 * BILLION),
        "commitments-0-committed_on": "2026-01-15",
        "commitments-0-note": "",
    }
    response = client.post(f"{FUNDS}edit/{fund.pk}/", data)
    assert response.status_code == 302
    fund.refresh_from_db()
    assert (fund.target_vnd, fund.submitted_days) == (1_200 * BILLION, 3)
    assert fund.commitments.get().amount_vnd == 700 * BILLION
    assert client.get(f"{FUNDS}add/").status_code == 200
    client.post(f"{FUNDS}delete/{fund.pk}/")
    assert Fund.objects.filter(pk=fund.pk).exists()


def test_department_staff_cannot_edit_the_fund(client):
    fund = make_fund()
    client.force_login(with_mfa(make_user(Role.DEPARTMENT_STAFF)))
    assert client.get(f"{FUNDS}edit/{fund.pk}/").status_code == 302
    client.post(f"{FUNDS}edit/{fund.pk}/", {"name": "Đổi tên", "target_vnd": "1"})
    fund.refresh_from_db()
    assert fund.name == "Quỹ Đầu tư mạo hiểm Hà Nội"


# --- the daily digest ------------------------------------------------------------------------


def digests():
    return Notification.objects.filter(url=DASHBOARD)


def run_digest() -> str:
    [(name, succeeded, message)] = list(run_due_jobs(only=OVERDUE_DIGEST, force=True))
    assert (name, succeeded) == (OVERDUE_DIGEST, True)
    return message


def test_the_digest_is_not_sent_when_nothing_is_overdue(manager):
    investment = make_investment()
    plan(investment, BILLION, date.today() + timedelta(days=5))
    assert run_digest() == "nothing overdue"
    assert not digests().exists()


def test_each_fund_manager_gets_one_digest_of_what_is_overdue(manager):
    with a_week_ago():
        late = named("Công ty Chậm Trễ", ApplicationStatus.SUBMITTED)
    investment = make_investment(startup=make_startup(name="Công ty Giải Ngân", status="verified"))
    plan(investment, BILLION, date.today() - timedelta(days=10))
    managers = set(User.objects.filter(groups__name=Role.FUND_MANAGER.group_name))
    message = run_digest()
    assert message.startswith("1 overdue applications and 1 overdue tranches")
    assert {notification.recipient for notification in digests()} == managers
    assert digests().count() == len(managers)
    digest = digests().get(recipient=manager)
    assert digest.subject == "Venture fund: 1 application and 1 tranche overdue"
    assert "Công ty Chậm Trễ" in digest.body and late.call.title in digest.body
    assert "Công ty Giải Ngân · tranche 1: 1.000.000.000 ₫" in digest.body
    assert "(10 days late)" in digest.body

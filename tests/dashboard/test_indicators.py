"""Each computed indicator source (every app's `dashboard_hooks.py`) against values computed by
hand on a known dataset built through the services, and the dashboard reading them through its
indicators. The helpers here build indicators and approved staff values for the other tests."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from fund import services as fund_services
from fund.models import ApplicationStatus as FundStatus
from portal.accounts.roles import Role
from portal.dashboard import services
from portal.dashboard.demo import INDICATORS
from portal.dashboard.models import Indicator, IndicatorValue, Method
from portal.dashboard.selectors import current_reading, figures
from portal.dashboard.sources import indicator_sources
from sandbox.models import EntryStatus
from startups import services as startup_services
from startups.models import Status
from tech_exchange.models import EnquiryStatus
from tests.factories import make_user
from tests.factories.fund import BILLION, make_application, make_call, make_fund
from tests.factories.sandbox import make_entry
from tests.factories.startups import make_startup
from tests.factories.tech_exchange import make_enquiry

pytestmark = pytest.mark.django_db

COMPUTED_SOURCES = {
    "startups.verified",
    "startups.revenue_share",
    "fund.committed_capital",
    "fund.city_budget",
    "fund.disbursement_rate",
    "fund.applications",
    "fund.co_investment",
    "exchange.deals",
    "exchange.deal_value",
    "sandbox.under_way",
}


def make_indicator(
    code: str,
    *,
    source: str = "",
    target=None,
    deadline: date | None = None,
    unit: str = "count",
    direction: str = "increase",
    public: bool = True,
    position: int = 0,
    target_source: str = "",
) -> Indicator:
    """An indicator as staff define it: computed when it names a source, else entered."""
    indicator = Indicator(
        code=code,
        name=f"Chỉ tiêu {code}",
        name_en=f"Indicator {code}",
        unit=unit,
        target_value=target,
        target_deadline=deadline,
        direction=direction,
        method=Method.COMPUTED if source else Method.MANUAL,
        source_key=source,
        target_source=target_source,
        position=position,
        is_public=public,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


def approved_value(
    indicator: Indicator,
    value,
    as_of: date,
    *,
    source: str = "Cục Thống kê Hà Nội",
    corrects: IndicatorValue | None = None,
    note: str = "",
) -> IndicatorValue:
    """A staff-entered value approved by a second member of staff."""
    entered = services.value_enter(
        user=make_user(Role.DEPARTMENT_STAFF),
        indicator=indicator,
        value=Decimal(value),
        as_of=as_of,
        source=source,
        corrects=corrects,
        note=note,
    )
    return services.value_approve(user=make_user(Role.DEPARTMENT_STAFF), value=entered)


def read(key: str) -> Decimal | None:
    return indicator_sources()[key].read().value


def test_every_source_the_demo_indicators_name_is_registered():
    assert set(indicator_sources()) >= COMPUTED_SOURCES
    named = {source for *_fields, source in INDICATORS if source}
    assert named == COMPUTED_SOURCES


def test_each_source_reads_today_with_its_source_and_verification():
    for key in COMPUTED_SOURCES:
        reading = indicator_sources()[key].read()
        assert reading.as_of == timezone.localdate(), key
        assert reading.source and reading.verification, key


# --- startups ----------------------------------------------------------------------------------


def test_registry_sources_without_startups():
    assert read("startups.verified") == 0
    assert read("startups.revenue_share") is None


@pytest.fixture
def registry():
    """Verified: A (150 bn audited), B (120 bn tax-verified), C (200 bn self-declared), D (2 bn
    audited). E (500 bn audited) was verified 13 months ago and is stale. F submitted, G draft,
    H rejected: none of E-H counts."""
    staff = make_user(Role.DEPARTMENT_STAFF)

    def startup(status=Status.VERIFIED, revenue=2, source="self_declared"):
        return make_startup(
            status=status, staff=staff, revenue_vnd=revenue * BILLION, revenue_source=source
        )

    startup(revenue=150, source="audited")
    startup(revenue=120, source="tax_verified")
    startup(revenue=200, source="self_declared")
    startup(revenue=2, source="audited")
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        startup(revenue=500, source="audited")
    assert startup_services.reconfirmation_sweep() == (0, 1)
    startup(status=Status.SUBMITTED, revenue=300, source="audited")
    startup(status=Status.DRAFT, revenue=300, source="audited")
    startup(status=Status.REJECTED, revenue=300, source="audited")


def test_registry_sources_match_the_hand_computed_values(registry):
    assert read("startups.verified") == 4
    # A and B of the four: 2 / 4.
    assert read("startups.revenue_share") == Decimal("50.00")


def test_revenue_share_is_rounded_to_two_decimals():
    staff = make_user(Role.DEPARTMENT_STAFF)
    make_startup(
        status=Status.VERIFIED, staff=staff, revenue_vnd=100 * BILLION, revenue_source="audited"
    )
    make_startup(status=Status.VERIFIED, staff=staff)
    make_startup(status=Status.VERIFIED, staff=staff)
    assert read("startups.revenue_share") == Decimal("33.33")


# --- fund --------------------------------------------------------------------------------------


def test_fund_sources_without_a_fund():
    assert read("fund.committed_capital") == 0
    assert read("fund.city_budget") == 0
    assert read("fund.disbursement_rate") is None
    assert read("fund.applications") == 0
    assert read("fund.co_investment") == 0


@pytest.fixture
def fund_dataset():
    """Capital: 600 bn from the city, 150 bn private. A approved at 10 bn with co-investors 3 + 1
    bn, tranches 4 bn disbursed and 6 bn planned; B approved at 5 bn with a 2 bn co-investor, 5 bn
    disbursed; C submitted with a 9 bn co-investor (not approved: not counted); D rejected after
    submission; E withdrawn as a draft; F a draft; G in screening."""
    manager = make_user(Role.FUND_MANAGER)
    fund = make_fund(
        capital=(
            ("city_budget", "UBND TP Hà Nội", 600 * BILLION),
            ("private_investor", "Quỹ Đổi mới Sông Hồng", 150 * BILLION),
        )
    )
    call = make_call(fund=fund)
    today = timezone.localdate()

    def application(status, **fields):
        return make_application(status=status, call=call, manager=manager, **fields)

    def tranche(investment, amount, *, disbursed):
        added = fund_services.tranche_add(
            user=manager, investment=investment, amount_vnd=amount, planned_on=today
        )
        if disbursed:
            fund_services.tranche_approve_requirements(user=manager, tranche=added)
            fund_services.tranche_disburse(user=manager, tranche=added, disbursed_on=today)

    a = application(
        FundStatus.APPROVED,
        amount_requested_vnd=10 * BILLION,
        co_investors=[("VinaCapital", 3 * BILLION), ("Nhà đầu tư thiên thần", BILLION)],
    ).investment
    tranche(a, 4 * BILLION, disbursed=True)
    tranche(a, 6 * BILLION, disbursed=False)
    b = application(
        FundStatus.APPROVED,
        amount_requested_vnd=5 * BILLION,
        co_investors=[("ESP Capital", 2 * BILLION)],
    ).investment
    tranche(b, 5 * BILLION, disbursed=True)
    application(FundStatus.SUBMITTED, co_investors=[("Không tính", 9 * BILLION)])
    application(FundStatus.REJECTED)
    application(FundStatus.WITHDRAWN)
    application(FundStatus.DRAFT)
    application(FundStatus.SCREENING)


def test_fund_sources_match_the_hand_computed_values(fund_dataset):
    assert read("fund.committed_capital") == 750 * BILLION
    assert read("fund.city_budget") == 600 * BILLION
    # (4 + 5) disbursed of (10 + 5) invested.
    assert read("fund.disbursement_rate") == Decimal("60.00")
    # A, B, C, D and G were submitted; E was withdrawn before submission, F is a draft.
    assert read("fund.applications") == 5
    assert read("fund.co_investment") == (3 + 1 + 2) * BILLION


# --- technology exchange -----------------------------------------------------------------------


def test_exchange_sources_match_the_hand_computed_values():
    assert (read("exchange.deals"), read("exchange.deal_value")) == (0, 0)
    make_enquiry(status=EnquiryStatus.DEAL, amount=300_000_000)
    make_enquiry(status=EnquiryStatus.DEAL, amount=450_000_000)
    make_enquiry(status=EnquiryStatus.NEGOTIATING)
    make_enquiry(status=EnquiryStatus.DECLINED)
    make_enquiry(status=EnquiryStatus.OPEN)
    assert read("exchange.deals") == 2
    assert read("exchange.deal_value") == 750_000_000


# --- sandbox -----------------------------------------------------------------------------------


def test_sandbox_source_counts_tests_under_way():
    assert read("sandbox.under_way") == 0
    staff = make_user(Role.DEPARTMENT_STAFF)
    for status in (
        EntryStatus.TESTING,
        EntryStatus.EXTENDED,
        EntryStatus.APPROVED,
        EntryStatus.SUSPENDED,
        EntryStatus.EXITED,
        EntryStatus.REVOKED,
    ):
        make_entry(status=status, staff=staff)
    # Testing and extended; approved has not started, the others have stopped.
    assert read("sandbox.under_way") == 2


# --- through the dashboard ---------------------------------------------------------------------


def test_indicators_read_their_source_or_their_latest_approved_value(registry):
    make_indicator("startups", source="startups.verified", target=5000, deadline=date(2030, 12, 31))
    manual = make_indicator("st-budget", unit="percent", target=4, deadline=date(2030, 12, 31))
    assert current_reading(manual).value is None
    approved_value(manual, "1.1", date(2026, 3, 31))
    latest = approved_value(manual, "1.4", date(2026, 6, 30))
    services.value_enter(
        user=make_user(Role.DEPARTMENT_STAFF),
        indicator=manual,
        value=Decimal("9"),
        as_of=timezone.localdate(),
        source="Chưa duyệt",
    )
    shown = {figure.indicator.code: figure for figure in figures()}
    assert shown["startups"].reading.value == 4
    # The pending 9 is not published; the latest approved value is.
    assert shown["st-budget"].reading.value == latest.value == Decimal("1.40")
    assert shown["st-budget"].reading.as_of == date(2026, 6, 30)
    assert shown["st-budget"].reading.source == "Cục Thống kê Hà Nội"


def test_an_indicator_naming_no_registered_source_has_no_data():
    indicator = make_indicator("retired", source="retired.source")
    reading = current_reading(indicator)
    assert reading.value is None and reading.verification

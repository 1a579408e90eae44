"""Dashboard demo data: the city's targets (CONTEXT.md) as indicators, illustrative staff-entered
values approved by a second member of staff, twelve weeks of history imported as earlier weekly
reports, and this week's snapshot of what the other apps seeded. Safe to run again."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Locale

from portal.accounts.demo import demo_user
from portal.pages.demo import menu_add
from portal.pages.models import MenuSlot

from . import selectors, services
from .models import Indicator, Method, Snapshot, SnapshotTrigger

BILLION = 1_000_000_000
DEADLINE_2030 = date(2030, 12, 31)
RESOLUTION = "Nghị quyết 57-NQ/TW; Kế hoạch của UBND Thành phố Hà Nội"
# (code, Vietnamese name, English name, unit, target, deadline, computed source or None)
INDICATORS = [
    (
        "startups",
        "Doanh nghiệp khởi nghiệp sáng tạo đã xác minh",
        "Verified innovative startups",
        "count",
        5_000,
        DEADLINE_2030,
        "startups.verified",
    ),
    (
        "startup-revenue-share",
        "Tỷ lệ doanh nghiệp khởi nghiệp có doanh thu từ 100 tỷ đồng",
        "Share of startups with revenue of at least 100 billion VND",
        "percent",
        20,
        DEADLINE_2030,
        "startups.revenue_share",
    ),
    (
        "fund-size",
        "Quy mô Quỹ đầu tư mạo hiểm",
        "Venture fund size",
        "vnd",
        1_000 * BILLION,
        DEADLINE_2030,
        "fund.committed_capital",
    ),
    (
        "fund-city-contribution",
        "Vốn ngân sách Thành phố góp vào Quỹ (2026)",
        "City budget contribution to the fund (2026)",
        "vnd",
        600 * BILLION,
        date(2026, 12, 31),
        "fund.city_budget",
    ),
    (
        "fund-disbursement",
        "Tỷ lệ giải ngân vốn đầu tư của Quỹ",
        "Disbursement rate of the fund",
        "percent",
        100,
        DEADLINE_2030,
        "fund.disbursement_rate",
    ),
    (
        "fund-applications",
        "Hồ sơ đề nghị Quỹ đầu tư",
        "Fund applications submitted",
        "count",
        None,
        None,
        "fund.applications",
    ),
    (
        "fund-co-investment",
        "Vốn đồng đầu tư tư nhân",
        "Private co-investment matched",
        "vnd",
        None,
        None,
        "fund.co_investment",
    ),
    (
        "technology-deals",
        "Giao dịch công nghệ thành công",
        "Technology deals concluded",
        "count",
        None,
        None,
        "exchange.deals",
    ),
    (
        "technology-deal-value",
        "Giá trị giao dịch công nghệ",
        "Value of technology deals",
        "vnd",
        None,
        None,
        "exchange.deal_value",
    ),
    (
        "sandbox-under-way",
        "Thử nghiệm có kiểm soát đang triển khai",
        "Sandbox tests under way",
        "count",
        None,
        None,
        "sandbox.under_way",
    ),
    (
        "st-spending-grdp",
        "Chi cho khoa học và công nghệ trên GRDP",
        "S&T spending as a share of GRDP",
        "percent",
        4,
        DEADLINE_2030,
        None,
    ),
    (
        "st-spending-budget",
        "Chi khoa học và công nghệ trong ngân sách Thành phố",
        "S&T spending as a share of the city budget",
        "percent",
        4,
        DEADLINE_2030,
        None,
    ),
    (
        "digital-economy-share",
        "Tỷ trọng kinh tế số trong GRDP",
        "Digital economy share of GRDP",
        "percent",
        40,
        DEADLINE_2030,
        None,
    ),
    (
        "digital-skills",
        "Lực lượng lao động có kỹ năng số",
        "Workforce with digital skills",
        "percent",
        50,
        DEADLINE_2030,
        None,
    ),
    (
        "digital-hr-trained",
        "Nhân lực số được đào tạo trong năm",
        "Digital human resources trained this year",
        "count",
        50_000,
        date(2026, 12, 31),
        None,
    ),
    (
        "broadband",
        "Hộ gia đình và doanh nghiệp có băng thông rộng",
        "Households and businesses with broadband",
        "percent",
        100,
        DEADLINE_2030,
        None,
    ),
    (
        "online-public-services",
        "Thủ tục hành chính cho doanh nghiệp trực tuyến toàn trình",
        "Business procedures fully online",
        "percent",
        100,
        DEADLINE_2030,
        None,
    ),
    (
        "st-budget-disbursement",
        "Tỷ lệ giải ngân vốn khoa học và công nghệ được giao",
        "Disbursement of allocated S&T budget",
        "percent",
        100,
        date(2026, 12, 31),
        None,
    ),
]
DEMO_SOURCE = "Số liệu minh hoạ cho bản demo (chưa phải số liệu chính thức)"
# Illustrative staff-entered values: (code, value, as of).
MANUAL_VALUES = [
    ("st-spending-grdp", Decimal("1.1"), date(2026, 9, 30)),
    ("st-spending-budget", Decimal("2.3"), date(2026, 9, 30)),
    ("digital-economy-share", Decimal("24.5"), date(2026, 9, 30)),
    ("digital-skills", Decimal("31"), date(2026, 6, 30)),
    ("digital-hr-trained", Decimal("18500"), date(2026, 10, 31)),
    ("broadband", Decimal("92"), date(2026, 6, 30)),
    ("online-public-services", Decimal("68"), date(2026, 10, 31)),
    # CONTEXT.md: of 33,389 billion VND planned for 2025, 33 % was disbursed by 22 November.
    ("st-budget-disbursement", Decimal("33"), date(2025, 11, 22)),
]
HISTORY_WEEKS = 12
# How far below today's figure each computed indicator stood twelve weeks ago.
HISTORY_START_SHARE = Decimal("0.7")


def _indicators() -> None:
    for position, (code, name, name_en, unit, target, deadline, source) in enumerate(INDICATORS):
        if Indicator.objects.filter(code=code).exists():
            continue
        indicator = Indicator(
            code=code,
            name=name,
            name_en=name_en,
            unit=unit,
            target_value=target,
            target_deadline=deadline,
            method=Method.COMPUTED if source else Method.MANUAL,
            source_key=source or "",
            target_source=RESOLUTION if target is not None else "",
            position=position,
        )
        indicator.full_clean()
        indicator.save()


def _manual_values() -> None:
    staff, second = demo_user("staff@example.org"), demo_user("admin@example.org")
    for code, value, as_of in MANUAL_VALUES:
        indicator = Indicator.objects.get(code=code)
        if indicator.values.exists():
            continue
        entered = services.value_enter(
            user=staff, indicator=indicator, value=value, as_of=as_of, source=DEMO_SOURCE
        )
        services.value_approve(user=second, value=entered)


def _history() -> None:
    """Earlier weekly reports, rising steadily to today's figures."""
    now = timezone.now()
    current = {
        indicator.code: selectors.current_reading(indicator).value
        for indicator in Indicator.objects.all()
    }
    for weeks_ago in range(HISTORY_WEEKS, 0, -1):
        share = (
            HISTORY_START_SHARE
            + (1 - HISTORY_START_SHARE) * (HISTORY_WEEKS - weeks_ago) / HISTORY_WEEKS
        )
        services.snapshot_import(
            user=None,
            taken_at=now - timedelta(weeks=weeks_ago),
            values={
                code: None if value is None else (value * share).quantize(Decimal("0.01"))
                for code, value in current.items()
            },
            note=DEMO_SOURCE,
        )


def seed_demo_indicators(write) -> None:
    vi = Locale.get_default()
    en, _created = Locale.objects.get_or_create(language_code="en")
    menu_add(MenuSlot.MAIN, vi, "Số liệu hệ sinh thái", url="/dashboard/")
    menu_add(MenuSlot.MAIN, en, "Ecosystem dashboard", url="/en/dashboard/")
    _indicators()
    _manual_values()
    if Snapshot.objects.exists():
        write("Dashboard: demo data already there")
        return
    _history()
    services.snapshot_take(user=None, trigger=SnapshotTrigger.SCHEDULED, note="Demo")
    write(
        f"Dashboard: {Indicator.objects.count()} indicators with the city's targets, "
        f"{len(MANUAL_VALUES)} staff-entered values, {HISTORY_WEEKS + 1} weekly snapshots"
    )

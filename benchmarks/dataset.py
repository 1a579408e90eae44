"""The dataset at 10× the 2030 targets (ARCHITECTURE.md): 50,000 startups, 20,000 technology
listings, 2,000 sandbox entries and 10,000 fund applications, with Vietnamese names, sectors,
stages and the real 126 communes; and for the dashboard, a year of weekly snapshots of the
indicators.

Startups and sandbox register entries are real rows (`load_startups`, `load_sandbox_entries`:
bulk-inserted, then indexed through their apps' own adapters). Until the exchange exists, its
listings are indexed through a benchmark-only adapter (`bench_technologies`) shaped like it; that
issue replaces it with its real model. Fund applications are private and never indexed: they are
real rows (`load_fund_applications`) in every stage of the pipeline with the steps that took them
there, the committee's investments and their tranches, which the dashboard's fund figures read.
The indicators are the demo's; `load_indicator_history` imports weekly snapshots before the
demo's own history until there is a year of them.
"""

import random
from datetime import UTC, datetime, timedelta

from elasticsearch_dsl import Keyword

from portal.core.models import Commune
from search import registry
from search.documents import DiscoveryDocument
from search.registry import DiscoveryAdapter

STARTUPS = 50_000
SANDBOX_ENTRIES = 2_000
FUND_APPLICATIONS = 10_000
FUND_CALLS = 10
HISTORY_WEEKS = 52
SIZES = {"bench_technologies": 20_000}
# Enterprise codes of benchmark startups start with this; no demo or real code does.
CODE_PREFIX = "08"

SECTORS = [
    "ai",
    "fintech",
    "agritech",
    "edtech",
    "healthtech",
    "cleantech",
    "mobility",
    "ecommerce",
    "deeptech",
    "biotech",
    "smartcity",
    "media",
    "other",
]
LICENSING = ["exclusive", "non_exclusive", "assignment", "co_development", "research"]
WORDS = [
    "Công nghệ",
    "Giải pháp",
    "Nông nghiệp",
    "Dữ liệu",
    "Thông minh",
    "Số",
    "Xanh",
    "Y tế",
    "Giáo dục",
    "Tài chính",
    "Năng lượng",
    "Robot",
    "Bán dẫn",
    "Sinh học",
    "Đô thị",
    "Vận tải",
    "Thanh toán",
    "Cảm biến",
    "Nhân tạo",
    "Trí tuệ",
    "Điện tử",
    "Môi trường",
    "Nước sạch",
    "Logistics",
    "Du lịch",
    "Thực phẩm",
    "Chuỗi khối",
    "An ninh mạng",
]
SENTENCES = [
    "Nền tảng {w} giúp doanh nghiệp nhỏ ở {c} tiết kiệm chi phí vận hành.",
    "Sản phẩm ứng dụng {w} cho hộ kinh doanh và hợp tác xã tại {c}.",
    "Đội ngũ sáng lập từ Đại học Bách khoa Hà Nội phát triển {w} cho thị trường Việt Nam.",
    "Giải pháp {w} đã thử nghiệm với khách hàng đầu tiên ở {c}, doanh thu tăng trưởng hàng quý.",
    "Công nghệ {w} được bảo hộ sáng chế, sẵn sàng chuyển giao cho đối tác sản xuất.",
]


class BenchTechnologyDocument(DiscoveryDocument):
    sector = Keyword()
    trl = Keyword()
    licensing = Keyword()


def _adapter(name, document, facets):
    return DiscoveryAdapter(
        name=name,
        label=name,
        model=Commune,
        document=document,
        to_document=lambda instance: {},
        is_public=lambda instance: True,
        public_queryset=Commune.objects.none,
        facets=facets,
    )


ADAPTERS = [
    _adapter("bench_technologies", BenchTechnologyDocument, ("sector", "trl", "licensing")),
]


def register_adapters() -> None:
    for adapter in ADAPTERS:
        registry.register(adapter)


def _text(rng: random.Random, communes: list[str]) -> tuple[str, str]:
    words = rng.sample(WORDS, 3)
    company = rng.choice(["Công ty CP", "Công ty TNHH", ""])
    title = f"{company} {words[0]} {words[1]} {rng.choice(communes)}"
    body = " ".join(
        rng.choice(SENTENCES).format(w=rng.choice(words).lower(), c=rng.choice(communes))
        for _ in range(4)
    )
    return title.strip(), body


def documents(name: str, count: int, seed: int = 2026):
    rng = random.Random(f"{seed}-{name}")  # noqa: S311 -- repeatable data, not secrets
    communes = list(Commune.objects.values_list("name", flat=True)) or ["Ba Đình"]
    start = datetime(2025, 7, 1, tzinfo=UTC)
    for number in range(1, count + 1):
        title, body = _text(rng, communes)
        document = {
            "id": str(number),
            "doc_type": name,
            "title": title,
            "body": body,
            "url": f"/{name}/{number}/",
            "language": "vi",
            "published_at": start + timedelta(minutes=rng.randrange(0, 500 * 24 * 60)),
        }
        document |= {
            "sector": rng.choice(SECTORS),
            "trl": str(rng.randint(1, 9)),
            "licensing": rng.choice(LICENSING),
        }
        yield document


def load_startups(count: int = STARTUPS, seed: int = 2026) -> int:
    """Inserts `count` verified startups (5 % of them stale) unless they are there already;
    returns how many it inserted. Bulk inserts send no signals: index them afterwards."""
    from django.utils.text import slugify

    from portal.core.text import fold
    from startups.models import Origin, Sector, Stage, Startup, StartupSector, Status

    present = Startup.objects.filter(enterprise_code__startswith=CODE_PREFIX).count()
    if present >= count:
        return 0
    rng = random.Random(f"{seed}-startups")  # noqa: S311 -- repeatable data, not secrets
    communes = list(Commune.objects.all())
    names = [commune.name for commune in communes]
    start = datetime(2025, 7, 1, tzinfo=UTC)
    sectors, stages = list(Sector.values), list(Stage.values)
    batch: list[Startup] = []
    chosen: list[list[str]] = []

    def flush():
        created = Startup.objects.bulk_create(batch)
        StartupSector.objects.bulk_create(
            StartupSector(startup=startup, sector=sector)
            for startup, picks in zip(created, chosen, strict=True)
            for sector in picks
        )
        batch.clear()
        chosen.clear()

    for number in range(present + 1, count + 1):
        title, body = _text(rng, names)
        verified = start + timedelta(minutes=rng.randrange(0, 500 * 24 * 60))
        batch.append(
            Startup(
                name=title,
                slug=f"{slugify(fold(title))[:200]}-{number}",
                enterprise_code=f"{CODE_PREFIX}{number:08d}",
                legal_form="llc",
                founded_on=(verified - timedelta(days=rng.randrange(100, 4000))).date(),
                commune=rng.choice(communes),
                stage=rng.choice(stages),
                team_size=rng.randint(2, 200),
                pitch=body[:300],
                description=body,
                status=Status.VERIFIED,
                origin=Origin.IMPORTED,
                verified_at=verified,
                confirmation_due_on=(verified + timedelta(days=365)).date(),
                is_stale=rng.random() < 0.05,
            )
        )
        chosen.append(rng.sample(sectors, rng.randint(1, 3)))
        if len(batch) == 2_000:
            flush()
    if batch:
        flush()
    return count - present


def load_sandbox_entries(count: int = SANDBOX_ENTRIES, seed: int = 2026) -> int:
    """Inserts `count` register entries in every status, each with its approval in the history,
    unless they are there already; returns how many it inserted."""
    from django.utils.text import slugify

    from portal.core.text import fold
    from sandbox.models import Agency, Amendment, AmendmentKind, Domain, Entry, EntryStatus

    present = Entry.objects.filter(decision_number__endswith="/QĐ-BENCH").count()
    if present >= count:
        return 0
    rng = random.Random(f"{seed}-sandbox")  # noqa: S311 -- repeatable data, not secrets
    communes = list(Commune.objects.values_list("name", flat=True))
    entries = []
    for number in range(present + 1, count + 1):
        title, body = _text(rng, communes)
        decided = (datetime(2025, 7, 1, tzinfo=UTC) + timedelta(days=rng.randrange(0, 500))).date()
        entries.append(
            Entry(
                slug=f"{slugify(fold(title))[:200]}-{number}",
                participant=title,
                participant_folded=fold(title),
                enterprise_code=f"07{number:08d}",
                title=body[:200],
                decision_number=f"{number}/QĐ-BENCH",
                decision_date=decided,
                agency=rng.choice(Agency.values),
                domain=rng.choice(Domain.values),
                test_space="online",
                scope=body,
                exemptions=body,
                conditions=body,
                start_date=decided + timedelta(days=7),
                end_date=decided + timedelta(days=372),
                status=rng.choice(EntryStatus.values),
            )
        )
    created = Entry.objects.bulk_create(entries, batch_size=1_000)
    Amendment.objects.bulk_create(
        Amendment(
            entry=entry,
            kind=AmendmentKind.APPROVAL,
            effective_on=entry.decision_date,
            decision_number=entry.decision_number,
            decision_date=entry.decision_date,
            to_status=EntryStatus.APPROVED,
        )
        for entry in created
    )
    return len(created)


# --- the dashboard's data: fund applications and a year of snapshots ---------------------------

BILLION = 1_000_000_000
BENCH_CALL_SLUG = "bench-call-"
BENCH_FOUNDERS = 500
BENCH_HISTORY_NOTE = "Benchmark: earlier weekly reports"
# How far applications got, per 100 (most never pass screening, as in any fund), and the
# statuses each passed through on the way.
OUTCOMES = [
    ("draft", 12, []),
    ("submitted", 14, ["submitted"]),
    ("screening", 12, ["submitted", "screening"]),
    ("info_requested", 4, ["submitted", "screening", "info_requested"]),
    ("due_diligence", 9, ["submitted", "screening", "due_diligence"]),
    ("committee", 4, ["submitted", "screening", "due_diligence", "committee"]),
    ("approved", 5, ["submitted", "screening", "due_diligence", "committee", "approved"]),
    ("rejected", 22, ["submitted", "screening", "rejected"]),
    ("rejected", 10, ["submitted", "screening", "due_diligence", "rejected"]),
    ("withdrawn", 5, ["submitted", "withdrawn"]),
    ("withdrawn", 3, ["withdrawn"]),
]
CO_INVESTORS = [
    "Công ty Cổ phần Sông Hồng Ventures",
    "Quỹ Thăng Long Capital",
    "VinaCapital Ventures",
    "Nhà đầu tư thiên thần Hà Nội",
    "Quỹ Đổi mới sáng tạo Hòa Lạc",
]


def _bench_calls(fund, count: int) -> list:
    """The fund's benchmark calls (CMS pages under the demo's fund index), created once."""
    from datetime import date

    from fund.models import CallPage, FundIndexPage

    calls = list(CallPage.objects.filter(slug__startswith=BENCH_CALL_SLUG).order_by("slug"))
    index = FundIndexPage.objects.first()
    for number in range(len(calls) + 1, count + 1):
        opens_on = date(2025, 7, 1) + timedelta(days=36 * (number - 1))
        calls.append(
            index.add_child(
                instance=CallPage(
                    title=f"Đợt gọi vốn thử tải {number}",
                    slug=f"{BENCH_CALL_SLUG}{number:02d}",
                    fund=fund,
                    summary="Đợt gọi vốn của bộ dữ liệu đo hiệu năng.",
                    thesis="<p>Doanh nghiệp công nghệ giai đoạn đầu tại Hà Nội.</p>",
                    sectors=[],
                    ticket_min_vnd=1 * BILLION,
                    ticket_max_vnd=20 * BILLION,
                    opens_on=opens_on,
                    closes_on=opens_on + timedelta(days=60),
                    eligibility="<p>Doanh nghiệp khởi nghiệp đã được xác minh.</p>",
                )
            )
        )
    return calls


def _bench_founders(count: int) -> list:
    from django.contrib.auth.hashers import make_password

    from portal.accounts.models import User

    emails = [f"bench-founder-{n}@example.invalid" for n in range(1, count + 1)]
    present = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        User(email=email, password=make_password(None)) for email in emails if email not in present
    )
    return list(User.objects.filter(email__in=emails))


def load_fund_applications(count: int = FUND_APPLICATIONS, seed: int = 2026) -> int:
    """Inserts `count` applications to the demo fund from benchmark startups (one per startup and
    call), spread over a year and over the pipeline as OUTCOMES says, with their steps, a
    co-investor on a third of them, and for the approved ones the investment and three tranches
    (the first disbursed, the second sometimes late). Needs the demo fund and `load_startups`;
    returns how many it inserted."""
    from fund.models import (
        Application,
        ApplicationStep,
        CoInvestor,
        Fund,
        Instrument,
        Investment,
        Tranche,
        TrancheStatus,
    )
    from startups.models import Startup

    present = Application.objects.filter(call__slug__startswith=BENCH_CALL_SLUG).count()
    if present:
        return 0
    rng = random.Random(f"{seed}-fund")  # noqa: S311 -- repeatable data, not secrets
    fund = Fund.objects.order_by("pk").first()
    calls = _bench_calls(fund, FUND_CALLS)
    founders = _bench_founders(BENCH_FOUNDERS)
    startups = list(
        Startup.objects.filter(enterprise_code__startswith=CODE_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    plans = [(status, path) for status, share, path in OUTCOMES for _ in range(share)]
    now = datetime.now(UTC)
    applications, paths = [], []
    for number, startup in enumerate(startups):
        status, path = rng.choice(plans)
        created = now - timedelta(days=rng.uniform(5, 365))
        amount = rng.randint(1, 20) * BILLION
        moved = created + timedelta(days=len(path) * rng.uniform(3, 20))
        closed = status in ("approved", "rejected", "withdrawn")
        days = fund.stage_days(status)
        applications.append(
            Application(
                call=calls[number % len(calls)],
                startup_id=startup,
                applicant=rng.choice(founders),
                amount_requested_vnd=amount,
                instrument=rng.choice(Instrument.values),
                pre_money_valuation_vnd=amount * rng.randint(4, 12),
                use_of_funds="60 % phát triển sản phẩm, 30 % mở rộng thị trường, 10 % vận hành.",
                traction=f"{rng.randint(5, 400)} khách hàng trả phí.",
                team="Đội ngũ sáng lập có kinh nghiệm kỹ thuật và kinh doanh tại Hà Nội.",
                status=status,
                stage_started_at=moved if path else None,
                stage_due_at=moved + timedelta(days=days) if days and path else None,
                submitted_at=created if "submitted" in path else None,
                decided_at=moved if closed else None,
            )
        )
        paths.append((path, created, moved))
    created = Application.objects.bulk_create(applications, batch_size=2_000)
    ApplicationStep.objects.bulk_create(
        (
            ApplicationStep(
                application=application,
                from_status=(["draft", *path])[n],
                to_status=to_status,
                created_at=start + (end - start) * (n + 1) / len(path),
            )
            for application, (path, start, end) in zip(created, paths, strict=True)
            for n, to_status in enumerate(path)
        ),
        batch_size=5_000,
    )
    CoInvestor.objects.bulk_create(
        (
            CoInvestor(
                application=application,
                name=rng.choice(CO_INVESTORS),
                amount_vnd=application.amount_requested_vnd // rng.choice((2, 3, 4)),
            )
            for application in created
            if rng.random() < 0.33
        ),
        batch_size=5_000,
    )
    approved = [a for a in created if a.status == "approved"]
    investments = Investment.objects.bulk_create(
        Investment(
            application=application,
            amount_vnd=application.amount_requested_vnd,
            instrument=application.instrument,
            pre_money_valuation_vnd=application.pre_money_valuation_vnd,
            conditions="Báo cáo tài chính hằng quý.",
            decided_on=application.decided_at.date(),
        )
        for application in approved
    )
    today = now.date()
    tranches = []
    for investment in investments:
        share = investment.amount_vnd // 3
        for number, (amount, after) in enumerate(
            [(share, 20), (share, rng.randint(60, 200)), (investment.amount_vnd - 2 * share, 300)],
            start=1,
        ):
            planned = investment.decided_on + timedelta(days=after)
            paid = number == 1 and planned <= today
            tranches.append(
                Tranche(
                    investment=investment,
                    number=number,
                    amount_vnd=amount,
                    planned_on=planned,
                    status=TrancheStatus.DISBURSED if paid else TrancheStatus.PLANNED,
                    disbursed_on=planned if paid else None,
                )
            )
    Tranche.objects.bulk_create(tranches, batch_size=5_000)
    return len(created)


def load_indicator_history(weeks: int = HISTORY_WEEKS) -> int:
    """Imports weekly reports before the earliest snapshot until the history spans `weeks`
    weeks, each figure rising steadily towards today's; returns how many it imported."""
    from decimal import Decimal

    from portal.dashboard import selectors, services
    from portal.dashboard.demo import HISTORY_START_SHARE
    from portal.dashboard.demo import HISTORY_WEEKS as DEMO_WEEKS
    from portal.dashboard.models import Indicator, Snapshot

    if Snapshot.objects.filter(note=BENCH_HISTORY_NOTE).exists():
        return 0
    now = datetime.now(UTC)
    earliest = Snapshot.objects.order_by("taken_at").values_list("taken_at", flat=True).first()
    earliest = earliest or now
    current = {
        indicator.code: selectors.current_reading(indicator).value
        for indicator in Indicator.objects.all()
    }
    imported = 0
    week = timedelta(weeks=1)
    taken_at = earliest - week
    while taken_at > now - weeks * week:
        # Continues the demo's history backwards: from its first share down to half of it.
        weeks_ago = round((now - taken_at) / week)
        share = HISTORY_START_SHARE * (
            1 - Decimal(weeks_ago - DEMO_WEEKS) / (2 * (weeks - DEMO_WEEKS))
        )
        services.snapshot_import(
            user=None,
            taken_at=taken_at,
            values={
                code: None if value is None else (value * share).quantize(Decimal("0.01"))
                for code, value in current.items()
            },
            note=BENCH_HISTORY_NOTE,
        )
        imported += 1
        taken_at -= week
    return imported

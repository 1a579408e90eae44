"""The discovery dataset at 10× the 2030 targets (ARCHITECTURE.md): 50,000 startups, 20,000
technology listings and 2,000 sandbox entries, with Vietnamese names, sectors, stages and the real
126 communes. Fund applications are private and never indexed, so they are not here.

Startups and sandbox register entries are real rows (`load_startups`, `load_sandbox_entries`:
bulk-inserted, then indexed through their apps' own adapters). Until the exchange exists, its
listings are indexed through a benchmark-only adapter (`bench_technologies`) shaped like it; that
issue replaces it with its real model.
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

"""The discovery dataset at 10× the 2030 targets (ARCHITECTURE.md): 50,000 startups, 20,000
technology listings and 2,000 sandbox entries, with Vietnamese names, sectors, stages and the real
126 communes. Fund applications are private and never indexed, so they are not here.

Startups are real registry rows (`load_startups`, bulk-inserted, then indexed through the
registry's own adapter). Until the exchange and sandbox apps exist, their documents are indexed
through benchmark-only adapters (`bench_*` types) shaped like theirs; those issues replace them
with their real models.
"""

import random
from datetime import UTC, datetime, timedelta

from elasticsearch_dsl import Keyword

from portal.core.models import Commune
from search import registry
from search.documents import DiscoveryDocument
from search.registry import DiscoveryAdapter

STARTUPS = 50_000
SIZES = {"bench_technologies": 20_000, "bench_sandbox": 2_000}
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
SANDBOX_STATUS = ["approved", "testing", "extended", "suspended", "exited", "graduated", "revoked"]
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


class BenchSandboxDocument(DiscoveryDocument):
    domain = Keyword()
    status = Keyword()


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
    _adapter("bench_sandbox", BenchSandboxDocument, ("domain", "status")),
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
        if name == "bench_technologies":
            document |= {
                "sector": rng.choice(SECTORS),
                "trl": str(rng.randint(1, 9)),
                "licensing": rng.choice(LICENSING),
            }
        else:
            document |= {"domain": rng.choice(SECTORS), "status": rng.choice(SANDBOX_STATUS)}
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

"""Synthetic discovery documents at 10× the 2030 targets (ARCHITECTURE.md): 50,000 startups,
20,000 technology listings and 2,000 sandbox entries, with Vietnamese names, sectors, stages and
the real 126 communes. Fund applications are private and never indexed, so they are not here.

Until the registry, exchange and sandbox apps exist, the documents are indexed through
benchmark-only adapters (`bench_*` types) shaped like theirs; those issues replace this with
factories for the real models.
"""

import random
from datetime import UTC, datetime, timedelta

from elasticsearch_dsl import Keyword

from portal.core.models import Commune
from search import registry
from search.documents import DiscoveryDocument
from search.registry import DiscoveryAdapter

SIZES = {"bench_startups": 50_000, "bench_technologies": 20_000, "bench_sandbox": 2_000}

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
STAGES = ["idea", "pre_seed", "seed", "series_a", "series_b_plus", "growth"]
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


class BenchStartupDocument(DiscoveryDocument):
    sector = Keyword()
    stage = Keyword()
    commune = Keyword()


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
    _adapter("bench_startups", BenchStartupDocument, ("sector", "stage", "commune")),
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
        if name == "bench_startups":
            document |= {
                "sector": rng.sample(SECTORS, rng.randint(1, 3)),
                "stage": rng.choice(STAGES),
                "commune": rng.choice(communes),
            }
        elif name == "bench_technologies":
            document |= {
                "sector": rng.choice(SECTORS),
                "trl": str(rng.randint(1, 9)),
                "licensing": rng.choice(LICENSING),
            }
        else:
            document |= {"domain": rng.choice(SECTORS), "status": rng.choice(SANDBOX_STATUS)}
        yield document

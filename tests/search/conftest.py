import datetime
import os

import pytest
from elasticsearch_dsl import Keyword

from portal.core.models import Commune, CommuneKind
from portal.core.services import communes_load
from search import registry
from search.documents import DiscoveryDocument
from search.engines.database import DatabaseEngine
from search.registry import DiscoveryAdapter


class ArticleDocument(DiscoveryDocument):
    sector = Keyword()

    class Index:
        name = "contract-articles"


class CommuneDocument(DiscoveryDocument):
    kind = Keyword()

    class Index:
        name = "contract-communes"


def _unused_model_source():
    return Commune.objects.none()


ARTICLES = DiscoveryAdapter(
    name="articles",
    label="Articles",
    model=Commune,  # documents are indexed directly in the contract tests
    document=ArticleDocument,
    to_document=lambda instance: {},
    is_public=lambda instance: True,
    public_queryset=_unused_model_source,
    facets=("sector", "language"),
)

# Wards are public and communes private: a real model source for rebuild and privacy tests.
WARDS = DiscoveryAdapter(
    name="wards",
    label="Wards",
    model=Commune,
    document=CommuneDocument,
    to_document=lambda commune: {
        "title": commune.full_name,
        "body": f"Đơn vị hành chính cấp xã của Hà Nội: {commune.name}",
        "url": f"/communes/{commune.slug}/",
        "language": "vi",
        "published_at": None,
        "kind": commune.kind,
    },
    is_public=lambda commune: commune.kind == CommuneKind.WARD,
    public_queryset=lambda: Commune.objects.order_by("pk"),
    facets=("kind",),
)


def article(id, title, body, sector, language="vi", published=(2026, 1, 1)):
    return {
        "id": id,
        "title": title,
        "body": body,
        "url": f"/articles/{id}/",
        "language": language,
        "published_at": datetime.datetime(*published, tzinfo=datetime.UTC),
        "sector": sector,
    }


ARTICLE_DOCUMENTS = [
    article(
        "1",
        "Công nghệ Hà Nội",
        "Nền tảng trí tuệ nhân tạo cho đô thị thông minh",
        "ai",
        published=(2026, 1, 10),
    ),
    article(
        "2",
        "Nông nghiệp thông minh Sóc Sơn",
        "Cảm biến và dữ liệu cho nông dân; công nghệ tưới tiêu tiết kiệm nước",
        "agritech",
        published=(2026, 3, 1),
    ),
    article(
        "3",
        "Thanh toán số Đống Đa",
        "Ví điện tử cho hộ kinh doanh ở Hà Nội <script>x</script>",
        "fintech",
        published=(2025, 12, 1),
    ),
    article(
        "4",
        "Fintech for Hanoi",
        "Digital payments for small shops",
        "fintech",
        language="en",
        published=(2026, 2, 1),
    ),
    article(
        "5",
        "Y tế từ xa",
        "Khám bệnh trực tuyến cho người cao tuổi",
        "healthtech",
        published=(2025, 6, 1),
    ),
]


def _engines():
    engines = ["database"]
    if os.environ.get("ELASTICSEARCH_URL"):
        engines.append("elasticsearch")
    return engines


@pytest.fixture(params=_engines())
def engine(request, db, monkeypatch):
    monkeypatch.setattr(registry, "_ADAPTERS", {"articles": ARTICLES, "wards": WARDS})
    if request.param == "elasticsearch":
        from search.engines.elasticsearch import ElasticsearchEngine

        instance = ElasticsearchEngine(prefix=f"contract-{os.getpid()}")
    else:
        instance = DatabaseEngine()
    yield instance
    for adapter in (ARTICLES, WARDS):
        instance.delete(adapter, [str(pk) for pk in range(0, 200)])


def settle(engine):
    """Makes writes visible to searches (Elasticsearch refreshes; the database needs nothing)."""
    refresh = getattr(engine, "refresh", None)
    if refresh:
        refresh()


@pytest.fixture
def articles(engine):
    engine.index(ARTICLES, ARTICLE_DOCUMENTS)
    settle(engine)
    return engine


@pytest.fixture
def communes(db):
    communes_load()

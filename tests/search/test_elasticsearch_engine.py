"""The Elasticsearch engine against a recording transport: exact index and request bodies, the
alias-swap workflow and response parsing, without any cluster or network."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from elastic_transport import ConnectionError as TransportConnectionError
from elasticsearch.helpers import BulkIndexError
from elasticsearch_dsl import Keyword

from portal.pages.discovery import PageDocument
from search import registry
from search.base import FacetValue, Hit, SearchRequest, Suggestion
from search.documents import DiscoveryDocument
from search.engines.elasticsearch import ElasticsearchEngine, index_body
from search.registry import DiscoveryAdapter
from tests.search.recording_transport import (
    RecordingCluster,
    Reply,
    Request,
    bulk_operations,
)


class CompanyDocument(DiscoveryDocument):
    sector = Keyword()

    class Index:
        name = "test-companies"


COMPANIES = DiscoveryAdapter(
    name="companies",
    label="Companies",
    model=Group,
    document=CompanyDocument,
    to_document=lambda group: {
        "title": group.name,
        "body": f"Doanh nghiệp {group.name}",
        "url": f"/companies/{group.pk}/",
        "language": "vi",
        "published_at": datetime.date(2026, 1, 2),
        "sector": "ai",
    },
    is_public=lambda group: "private" not in group.name,
    # Migrations create the portal's own groups; these tests' companies are the "Co." ones.
    public_queryset=lambda: Group.objects.filter(name__startswith="Co.").order_by("pk"),
    facets=("sector", "language"),
)

ALIAS = "test-companies"
OLD_INDEX = "test-companies-20250101000000000000"
VERSIONED = re.compile(r"^/test-companies-\d{20}$")

FOLDING_ANALYSIS = {
    "analyzer": {
        "vietnamese_folding": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "folding"],
        }
    },
    "filter": {"folding": {"type": "asciifolding", "preserve_original": True}},
    "normalizer": {"folded_keyword": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
}
SHARED_PROPERTIES = {
    "title": {
        "type": "text",
        "analyzer": "vietnamese_folding",
        "fields": {
            "raw": {"type": "keyword", "normalizer": "folded_keyword"},
            "suggest": {"type": "search_as_you_type", "analyzer": "vietnamese_folding"},
        },
    },
    "body": {"type": "text", "analyzer": "vietnamese_folding"},
    "url": {"type": "keyword", "index": False},
    "doc_type": {"type": "keyword"},
    "language": {"type": "keyword"},
    "published_at": {"type": "date"},
}
HIGHLIGHT = {
    "fields": {"title": {}, "body": {}},
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "encoder": "html",
    "fragment_size": 160,
    "number_of_fragments": 1,
}


@pytest.fixture(autouse=True)
def adapters(monkeypatch):
    pages = registry.adapter("pages")
    monkeypatch.setattr(registry, "_ADAPTERS", {"companies": COMPANIES, "pages": pages})


@pytest.fixture
def cluster():
    return RecordingCluster()


@pytest.fixture
def engine(cluster):
    return ElasticsearchEngine(client=cluster.client(), prefix="test")


def companies_query(**options):
    return SearchRequest(types=("companies",), **options)


def writes(cluster):
    """The requests that change the cluster, in order (lookups left out)."""
    return [call for call in cluster.calls() if call[0] not in {"GET", "HEAD"}]


COMPANIES_ONLY = {"terms": {"doc_type": ["companies"]}}
TYPE_COUNTS = {"terms": {"field": "doc_type", "size": 2}}


def facet_aggregation(field, *other_filters):
    scope = {"bool": {"filter": list(other_filters)}} if other_filters else {"match_all": {}}
    return {"filter": scope, "aggs": {"values": {"terms": {"field": field, "size": 50}}}}


# Index definitions


def test_index_body_is_exactly_what_the_document_declares():
    assert index_body(CompanyDocument) == {
        "settings": {"analysis": FOLDING_ANALYSIS},
        "mappings": {"properties": {**SHARED_PROPERTIES, "sector": {"type": "keyword"}}},
    }


def test_pages_index_body_comes_from_the_page_document():
    body = index_body(PageDocument)
    assert body == {
        "settings": {"analysis": FOLDING_ANALYSIS},
        "mappings": {"properties": {**SHARED_PROPERTIES, "kind": {"type": "keyword"}}},
    }
    assert body == PageDocument._index.to_dict()


def test_alias_and_versioned_names_carry_the_prefix(engine):
    assert engine.alias(COMPANIES) == ALIAS
    assert VERSIONED.match("/" + engine.versioned_index_name(COMPANIES))


# Search requests


def test_text_query_is_fuzzy_weights_the_title_and_boosts_title_phrases(engine):
    body = engine.build_search(companies_query(text="Hà Nội")).to_dict()
    assert body["query"] == {
        "bool": {
            "must": [
                {
                    "multi_match": {
                        "query": "Hà Nội",  # as typed: the analyzer folds
                        "fields": ["title^3", "body"],
                        "type": "best_fields",
                        "fuzziness": "AUTO",
                        "operator": "and",
                    }
                }
            ],
            "should": [{"match_phrase": {"title": {"query": "Hà Nội", "boost": 2}}}],
        }
    }


def test_any_word_matching_asks_for_at_least_one_word(engine):
    body = engine.build_search(companies_query(text="cảm biến bụi", match="any")).to_dict()
    [multi_match] = body["query"]["bool"]["must"]
    assert multi_match == {
        "multi_match": {
            "query": "cảm biến bụi",
            "fields": ["title^3", "body"],
            "type": "best_fields",
            "fuzziness": "AUTO",
            "operator": "or",
        }
    }
    assert body["query"]["bool"]["should"] == [
        {"match_phrase": {"title": {"query": "cảm biến bụi", "boost": 2}}}
    ]


def test_unknown_match_modes_are_refused():
    with pytest.raises(ValueError, match="unknown match"):
        SearchRequest(text="a", match="some")


def test_empty_text_matches_everything(engine):
    body = engine.build_search(companies_query(text="   ")).to_dict()
    assert body["query"] == {"match_all": {}}


def test_the_whole_request_for_a_plain_query(engine):
    assert engine.build_search(companies_query()).to_dict() == {
        "query": {"match_all": {}},
        "post_filter": {"bool": {"filter": [COMPANIES_ONLY]}},
        "aggs": {
            "facet:sector": facet_aggregation("sector", COMPANIES_ONLY),
            "facet:language": facet_aggregation("language", COMPANIES_ONLY),
            "types": TYPE_COUNTS,
        },
        "sort": ["_score", {"published_at": {"order": "desc", "missing": "_last"}}],
        "track_total_hits": True,
        "from": 0,
        "size": 20,
        "highlight": HIGHLIGHT,
    }


def test_filters_narrow_hits_only_and_each_facet_ignores_its_own_filter(engine):
    request = companies_query(filters={"sector": ("ai", "fintech"), "language": ("vi",)})
    body = engine.build_search(request).to_dict()
    sector = {"terms": {"sector": ["ai", "fintech"]}}
    language = {"terms": {"language": ["vi"]}}
    assert body["query"] == {"match_all": {}}
    assert body["post_filter"] == {"bool": {"filter": [sector, language, COMPANIES_ONLY]}}
    assert body["aggs"]["facet:sector"] == facet_aggregation("sector", language, COMPANIES_ONLY)
    assert body["aggs"]["facet:language"] == facet_aggregation("language", sector, COMPANIES_ONLY)


def test_a_field_without_values_does_not_filter(engine):
    body = engine.build_search(companies_query(filters={"sector": ()})).to_dict()
    assert body["post_filter"] == {"bool": {"filter": [COMPANIES_ONLY]}}


def test_language_narrows_everything_including_facets(engine):
    body = engine.build_search(companies_query(text="ai", language="en")).to_dict()
    assert body["query"]["bool"]["filter"] == [{"term": {"language": "en"}}]
    assert body["post_filter"] == {"bool": {"filter": [COMPANIES_ONLY]}}
    no_text = engine.build_search(companies_query(language="en")).to_dict()
    assert no_text["query"] == {"bool": {"filter": [{"term": {"language": "en"}}]}}


def test_published_after_is_a_range_filter_for_saved_search_alerts(engine):
    after = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.UTC)
    body = engine.build_search(companies_query(published_after=after)).to_dict()
    assert body["query"] == {
        "bool": {"filter": [{"range": {"published_at": {"gt": "2026-11-01T08:00:00+00:00"}}}]}
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("relevance", ["_score", {"published_at": {"order": "desc", "missing": "_last"}}]),
        ("newest", [{"published_at": {"order": "desc", "missing": "_last"}}]),
        ("title", [{"title.raw": {"order": "asc"}}]),
    ],
)
def test_sorts(engine, sort, expected):
    assert engine.build_search(companies_query(sort=sort)).to_dict()["sort"] == expected


def test_pagination_counts_every_hit(engine):
    body = engine.build_search(companies_query(page=3, page_size=15)).to_dict()
    assert (body["from"], body["size"], body["track_total_hits"]) == (30, 15, True)


def test_highlight_marks_matches_in_escaped_html(engine):
    assert engine.build_search(companies_query(text="ai")).to_dict()["highlight"] == HIGHLIGHT


def test_searches_every_alias_so_that_every_type_is_counted(engine):
    assert engine.build_search(companies_query())._index == ["test-companies", "test-pages"]
    every_type = engine.build_search(SearchRequest())
    assert "post_filter" not in every_type.to_dict()
    assert every_type._index == ["test-companies", "test-pages"]
    # Across every type only the facets they all share are counted.
    assert list(every_type.to_dict()["aggs"]) == ["facet:language", "types"]


def test_suggest_request_completes_the_last_word(engine):
    assert engine.build_suggest("nông ngh", limit=5).to_dict() == {
        "query": {
            "multi_match": {
                "query": "nông ngh",
                "type": "bool_prefix",
                "fields": ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"],
                "operator": "and",
            }
        },
        "_source": ["title", "url"],
        "size": 5,
    }


def test_blank_prefixes_and_unknown_types_ask_nothing(engine, cluster):
    assert engine.suggest("  ") == []
    assert engine.suggest("ha", types=("nonexistent",)) == []
    results = engine.search(SearchRequest(text="ha", types=("nonexistent",)))
    assert (results.hits, results.total, results.type_counts) == ([], 0, {})
    assert cluster.requests == []


# Writing and the alias swap


def test_first_index_creates_a_versioned_index_behind_the_alias(engine, cluster):
    engine.index(COMPANIES, [{"id": "7", **COMPANIES.to_document(Group(pk=7, name="Acme"))}])

    [lookup, create, load] = cluster.requests
    assert (lookup.method, lookup.path) == ("HEAD", "/_alias/test-companies")
    assert create.method == "PUT" and VERSIONED.match(create.path)
    assert create.body == {"aliases": {ALIAS: {}}, **index_body(CompanyDocument)}
    assert load.path == "/test-companies/_bulk"
    [operation] = bulk_operations(load)
    assert (operation.operation, operation.meta) == ("index", {"_id": "7"})
    assert operation.source == {
        "title": "Acme",
        "body": "Doanh nghiệp Acme",
        "url": "/companies/7/",
        "language": "vi",
        "published_at": "2026-01-02",
        "sector": "ai",
    }
    assert cluster.aliases[ALIAS] == {create.path.lstrip("/")}


def test_index_writes_through_an_existing_alias(engine, cluster):
    cluster.aliases[ALIAS] = {OLD_INDEX}
    published = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)
    engine.index(COMPANIES, [{"id": "1", "title": "A", "published_at": published}])

    assert cluster.calls() == [
        ("HEAD", "/_alias/test-companies"),
        ("PUT", "/test-companies/_bulk"),
    ]
    [operation] = bulk_operations(cluster.requests[-1])
    assert operation.source == {"title": "A", "published_at": "2026-03-01T08:30:00+00:00"}


def test_index_of_nothing_asks_nothing(engine, cluster):
    engine.index(COMPANIES, [])
    assert cluster.requests == []


def test_delete_ignores_documents_already_gone(engine, cluster):
    def not_found(request):
        if request.path.endswith("/_bulk"):
            item = {"_index": OLD_INDEX, "_id": "1", "status": 404, "result": "not_found"}
            return Reply(200, {"errors": True, "items": [{"delete": item}]})
        return None

    cluster.respond = not_found
    engine.delete(COMPANIES, ["1"])

    assert cluster.calls() == [("PUT", "/test-companies/_bulk")]
    assert [(op.operation, op.meta) for op in bulk_operations(cluster.requests[0])] == [
        ("delete", {"_id": "1"})
    ]


@pytest.mark.django_db
def test_rebuild_loads_a_new_index_then_swaps_the_alias_in_one_call(engine, cluster):
    for name in ("Co. Acme", "Co. private Beta", "Co. Gamma"):
        Group.objects.create(name=name)
    cluster.aliases[ALIAS] = {OLD_INDEX}
    progress = []

    counts = engine.rebuild([COMPANIES], progress=lambda *report: progress.append(report))

    assert counts == {"companies": 2}
    assert progress == [("companies", 2, 3)]
    [create, load, refresh, swap, drop] = writes(cluster)
    new_index = create[1]
    assert create[0] == "PUT" and VERSIONED.match(new_index)
    assert load == ("PUT", f"{new_index}/_bulk")
    assert refresh == ("POST", f"{new_index}/_refresh")
    assert swap == ("POST", "/_aliases")
    assert drop == ("DELETE", f"/{OLD_INDEX}")
    swap_request = next(r for r in cluster.requests if r.path == "/_aliases")
    assert swap_request.body == {
        "actions": [
            {"remove": {"index": OLD_INDEX, "alias": ALIAS}},
            {"add": {"index": new_index.lstrip("/"), "alias": ALIAS}},
        ]
    }
    create_request = next(r for r in cluster.requests if r.method == "PUT")
    assert create_request.body == index_body(CompanyDocument)  # no alias until it is loaded
    load_request = next(r for r in cluster.requests if r.path.endswith("/_bulk"))
    assert [op.source["title"] for op in bulk_operations(load_request)] == ["Co. Acme", "Co. Gamma"]
    assert cluster.aliases[ALIAS] == {new_index.lstrip("/")}


@pytest.mark.django_db
def test_first_rebuild_only_adds_the_alias(engine, cluster):
    Group.objects.create(name="Co. Acme")

    assert engine.rebuild([COMPANIES]) == {"companies": 1}

    swap_request = next(r for r in cluster.requests if r.path == "/_aliases")
    [action] = swap_request.body["actions"]
    assert list(action) == ["add"]
    assert writes(cluster)[-1] == ("POST", "/_aliases")


@pytest.mark.django_db
def test_a_failed_load_drops_the_new_index_and_leaves_the_alias_alone(engine, cluster):
    Group.objects.create(name="Co. Acme")
    cluster.aliases[ALIAS] = {OLD_INDEX}

    def reject_documents(request: Request) -> Reply | None:
        if request.path.endswith("/_bulk"):
            error = {"type": "mapper_parsing_exception", "reason": "bad"}
            item = {"index": {"_id": "1", "status": 400, "error": error}}
            return Reply(200, {"took": 1, "errors": True, "items": [item]})
        return None

    cluster.respond = reject_documents

    with pytest.raises(BulkIndexError):
        engine.rebuild([COMPANIES])

    [create, load, drop] = writes(cluster)
    assert drop == ("DELETE", create[1])
    assert load[1].endswith("/_bulk")
    assert cluster.aliases[ALIAS] == {OLD_INDEX}


# Reading responses

SEARCH_RESPONSE = {
    "took": 3,
    "timed_out": False,
    "hits": {
        "total": {"value": 42, "relation": "eq"},
        "max_score": 7.5,
        "hits": [
            {
                "_index": "test-companies-20260101000000000000",
                "_id": "3",
                "_score": 7.5,
                "_source": {
                    "title": "Thanh toán số Đống Đa",
                    "body": "Ví điện tử cho hộ kinh doanh ở Hà Nội",
                    "url": "/companies/3/",
                    "language": "vi",
                    "published_at": "2025-12-01T00:00:00+00:00",
                    "sector": "fintech",
                },
                "highlight": {
                    "title": ["Thanh toán số Đống Đa"],
                    "body": ["Ví điện tử cho hộ kinh doanh ở <mark>Hà</mark> <mark>Nội</mark>"],
                },
            },
            {
                "_index": "test-pages-20260101000000000000",
                "_id": "12",
                "_score": None,
                "_source": {
                    "title": "Tin <b>mới</b>",
                    "body": "<script>x</script>" + "a" * 200,
                    "url": "/tin/",
                    "language": "vi",
                    "published_at": "2026-01-02",
                    "kind": "news",
                },
                "highlight": {"title": ["<mark>Tin</mark> &lt;b&gt;mới&lt;&#x2F;b&gt;"]},
            },
            {
                "_index": "test-pages-20260101000000000000",
                "_id": "13",
                "_score": 1.0,
                "_source": {"title": "Giới thiệu", "body": "<i>x</i>", "url": "/gioi-thieu/"},
            },
        ],
    },
    "aggregations": {
        "facet:sector": {
            "doc_count": 42,
            "values": {
                "buckets": [
                    {"key": "fintech", "doc_count": 3},
                    {"key": "ai", "doc_count": 5},
                    {"key": "agritech", "doc_count": 3},
                ]
            },
        },
        "facet:language": {
            "doc_count": 42,
            "values": {"buckets": [{"key": "vi", "doc_count": 40}, {"key": "en", "doc_count": 2}]},
        },
        "facet:kind": {"doc_count": 0, "values": {"buckets": []}},
        "types": {
            "buckets": [
                {"key": "companies", "doc_count": 11},
                {"key": "pages", "doc_count": 31},
            ]
        },
    },
}


def test_search_response_becomes_results(engine, cluster):
    cluster.search_response = SEARCH_RESPONSE
    request = SearchRequest(text="ha noi")

    results = engine.search(request)

    [search_request] = cluster.requests
    assert search_request.path == "/test-companies,test-pages/_search"
    assert search_request.params == {"ignore_unavailable": "true"}
    assert search_request.body == engine.build_search(request).to_dict()
    assert results.request == request
    assert results.total == 42
    assert results.type_counts == {"companies": 11, "pages": 31}
    assert results.facets == {"language": [FacetValue("vi", 40), FacetValue("en", 2)]}
    assert results.hits[0] == Hit(
        type="companies",
        id="3",
        title="Thanh toán số Đống Đa",
        url="/companies/3/",
        snippet="Ví điện tử cho hộ kinh doanh ở <mark>Hà</mark> <mark>Nội</mark>",
        score=7.5,
        published_at=datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC),
        fields={"sector": "fintech"},
    )


def test_snippet_falls_back_to_the_title_highlight_then_to_the_escaped_body(engine, cluster):
    cluster.search_response = SEARCH_RESPONSE

    _, title_only, plain = engine.search(SearchRequest(text="tin")).hits

    assert title_only.snippet == "<mark>Tin</mark> &lt;b&gt;mới&lt;&#x2F;b&gt;"
    assert title_only.score == 0.0
    assert title_only.fields == {"kind": "news"}
    assert title_only.published_at == datetime.datetime(
        2026, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
    )
    assert plain.snippet == "&lt;i&gt;x&lt;/i&gt;"
    assert (plain.type, plain.published_at, plain.fields) == ("pages", None, {})


def test_long_bodies_without_highlight_are_cut_before_escaping(engine, cluster):
    hit = {**SEARCH_RESPONSE["hits"]["hits"][1], "highlight": {}}
    cluster.search_response = {
        **SEARCH_RESPONSE,
        "hits": {**SEARCH_RESPONSE["hits"], "hits": [hit]},
    }

    [result] = engine.search(SearchRequest()).hits

    assert result.snippet == "&lt;script&gt;x&lt;/script&gt;" + "a" * 142


def test_suggestions_name_their_type(engine, cluster):
    cluster.search_response = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "hits": [
                {
                    "_index": "test-companies-20260101000000000000",
                    "_id": "2",
                    "_score": 3.0,
                    "_source": {"title": "Nông nghiệp thông minh", "url": "/companies/2/"},
                }
            ],
        }
    }

    suggestions = engine.suggest("nong ngh", types=("companies",), limit=3)

    assert suggestions == [Suggestion("companies", "Nông nghiệp thông minh", "/companies/2/")]
    [request] = cluster.requests
    assert request.path == "/test-companies/_search"
    assert request.body == engine.build_suggest("nong ngh", types=("companies",), limit=3).to_dict()


# Health


def test_check_passes_on_a_healthy_cluster(engine, cluster):
    engine.check()
    assert cluster.requests[0].target == "/_cluster/health?timeout=5s"


def test_check_raises_when_unreachable(engine, cluster):
    def refuse(request):
        raise TransportConnectionError("connection refused")

    cluster.respond = refuse
    with pytest.raises(RuntimeError, match="unreachable"):
        engine.check()
    assert len(cluster.requests) == 1  # no retries


def test_check_raises_on_a_red_cluster(engine, cluster):
    cluster.respond = lambda request: Reply(200, {"status": "red"})
    with pytest.raises(RuntimeError, match="red"):
        engine.check()


def test_the_default_engine_is_configured_from_settings(settings):
    settings.ELASTICSEARCH_URL = "http://search.internal:9200"
    settings.ELASTICSEARCH_USERNAME = "portal"
    settings.ELASTICSEARCH_PASSWORD = "secret"
    settings.ELASTICSEARCH_INDEX_PREFIX = "staging"

    engine = ElasticsearchEngine()

    assert engine.alias(COMPANIES) == "staging-companies"
    client = engine.client  # built on first use, without any request
    assert client is engine.client
    assert client._headers["authorization"].startswith("Basic ")
    assert (client._request_timeout, client._retry_on_timeout) == (10, True)
    [node] = client.transport.node_pool.all()
    assert (node.host, node.port) == ("search.internal", 9200)

"""The Elasticsearch engine: one alias per type over a versioned index, swapped on rebuild.

Each adapter's documents live behind the alias `{prefix}-{adapter.name}`, which points at exactly
one concrete index `{alias}-{UTC timestamp}`. A rebuild loads a fresh index and moves the alias in
one atomic call, so searches never see a half-loaded type. Mappings and analysis come only from
the adapter's Document declaration (search/documents.py).
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import bulk, streaming_bulk
from elasticsearch_dsl import Index, Q, Search
from elasticsearch_dsl.query import Query

from .. import registry
from ..base import Engine, FacetValue, Hit, SearchRequest, SearchResults, Suggestion
from ..documents import SHARED_FIELDS, DiscoveryDocument
from ..registry import DiscoveryAdapter

Progress = Callable[[str, int, int], None]

CHUNK_SIZE = 500
FACET_SIZE = 50
SNIPPET_LENGTH = 160
SEARCHED_FIELDS = ["title^3", "body"]
PHRASE_BOOST = 2
SUGGEST_FIELDS = ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"]
_NEWEST = {"published_at": {"order": "desc", "missing": "_last"}}
SORT_CLAUSES: dict[str, list[str | dict]] = {
    "relevance": ["_score", _NEWEST],
    "newest": [_NEWEST],
    "title": [{"title.raw": {"order": "asc"}}],
}
_TYPES_AGGREGATION = "types"


class ElasticsearchEngine(Engine):
    name = "elasticsearch"

    def __init__(self, *, client: Elasticsearch | None = None, prefix: str | None = None):
        self._client = client
        self.prefix = settings.ELASTICSEARCH_INDEX_PREFIX if prefix is None else prefix

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            self._client = _connect()
        return self._client

    # Naming

    def alias(self, adapter: DiscoveryAdapter) -> str:
        return f"{self.prefix}-{adapter.name}"

    def versioned_index_name(self, adapter: DiscoveryAdapter) -> str:
        return f"{self.alias(adapter)}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    # Writing

    def ensure_index(self, adapter: DiscoveryAdapter) -> None:
        alias = self.alias(adapter)
        if not self.client.indices.exists_alias(name=alias):
            self._create_index(adapter, aliases={alias: {}})

    def index(self, adapter: DiscoveryAdapter, documents: Iterable[dict]) -> None:
        documents = list(documents)
        if not documents:
            return
        self.ensure_index(adapter)
        bulk(self.client, _index_actions(documents), index=self.alias(adapter))

    def delete(self, adapter: DiscoveryAdapter, ids: Iterable[str]) -> None:
        actions = [{"_op_type": "delete", "_id": id_} for id_ in ids]
        # Bulk deletes never create a missing index, so a type not indexed yet is harmless too.
        bulk(self.client, actions, index=self.alias(adapter), ignore_status=404)

    def rebuild(
        self, adapters: Iterable[DiscoveryAdapter], progress: Progress | None = None
    ) -> dict[str, int]:
        return {adapter.name: self._rebuild(adapter, progress) for adapter in adapters}

    def refresh(self, adapters: Iterable[DiscoveryAdapter] | None = None) -> None:
        """Makes every write so far searchable now rather than within the refresh interval."""
        aliases = [self.alias(a) for a in (registry.adapters() if adapters is None else adapters)]
        if aliases:
            self.client.indices.refresh(index=aliases, ignore_unavailable=True)

    def _rebuild(self, adapter: DiscoveryAdapter, progress: Progress | None) -> int:
        new_index = self._create_index(adapter)
        try:
            count = self._load(adapter, new_index, progress)
            self.client.indices.refresh(index=new_index)
        except BaseException:
            # Also on Ctrl-C: a half-loaded index must not linger; the alias was never touched.
            self.client.indices.delete(index=new_index)
            raise
        self._move_alias(adapter, new_index)
        return count

    def _create_index(self, adapter: DiscoveryAdapter, **options: Any) -> str:
        name = self.versioned_index_name(adapter)
        self.client.indices.create(index=name, **index_body(adapter.document), **options)
        return name

    def _load(self, adapter: DiscoveryAdapter, index: str, progress: Progress | None) -> int:
        queryset = adapter.public_queryset()
        total = queryset.count()
        documents = registry.public_documents(adapter, queryset)
        done = 0
        # streaming_bulk raises on the first failed chunk, so every result it yields succeeded.
        for _ in streaming_bulk(
            self.client, _index_actions(documents), index=index, chunk_size=CHUNK_SIZE
        ):
            done += 1
            if progress and done % CHUNK_SIZE == 0:
                progress(adapter.name, done, total)
        if progress:
            progress(adapter.name, done, total)
        return done

    def _move_alias(self, adapter: DiscoveryAdapter, new_index: str) -> None:
        alias = self.alias(adapter)
        old_indexes = self._indexes_behind(alias)
        self.client.indices.update_aliases(
            actions=[
                *({"remove": {"index": old, "alias": alias}} for old in old_indexes),
                {"add": {"index": new_index, "alias": alias}},
            ]
        )
        if old_indexes:
            self.client.indices.delete(index=old_indexes)

    def _indexes_behind(self, alias: str) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=alias))
        except NotFoundError:
            return []

    # Reading

    def build_search(self, request: SearchRequest) -> Search:
        filters = _filter_clauses(request.filters)
        # Every type is searched so that `types` counts them all; the requested type narrows
        # the hits and facets only, like any other filter.
        type_filter = [Q("terms", doc_type=list(request.types))] if request.types else []
        search = (
            self._search_over(registry.adapters())
            .query(_text_query(request))
            .sort(*SORT_CLAUSES[request.sort])
            .highlight("title", "body")
            .highlight_options(
                pre_tags=["<mark>"],
                post_tags=["</mark>"],
                encoder="html",
                fragment_size=SNIPPET_LENGTH,
                number_of_fragments=1,
            )
            .extra(track_total_hits=True)
        )
        if filters or type_filter:
            search = search.post_filter(_all_of([*filters.values(), *type_filter]))
        for field in registry.facet_fields(request.types):
            # Disjunctive faceting: a field's counts ignore its own filter, so that its other
            # values stay choosable, but respect every other field's filter.
            others = [clause for name, clause in filters.items() if name != field]
            search.aggs.bucket(
                _facet_aggregation(field), "filter", filter=_all_of([*others, *type_filter])
            ).bucket("values", "terms", field=field, size=FACET_SIZE)
        search.aggs.bucket(
            _TYPES_AGGREGATION, "terms", field="doc_type", size=len(registry.adapters())
        )
        return search[request.offset : request.offset + request.page_size]

    def search(self, request: SearchRequest) -> SearchResults:
        adapters = registry.adapters(request.types)
        if not adapters:
            return SearchResults(request=request, hits=[], total=0, facets={}, type_counts={})
        response = self.build_search(request).execute().to_dict()
        return self._results(request, adapters, response)

    def build_suggest(self, prefix: str, *, types: tuple[str, ...] = (), limit: int = 8) -> Search:
        adapters = registry.adapters(types)
        query = Q(
            "multi_match",
            query=prefix.strip(),
            type="bool_prefix",
            fields=SUGGEST_FIELDS,
            # Every word typed must match, the last one as a prefix: "nong ngh" is one title.
            operator="and",
        )
        return self._search_over(adapters).query(query).source(["title", "url"])[:limit]

    def suggest(
        self, prefix: str, *, types: tuple[str, ...] = (), limit: int = 8
    ) -> list[Suggestion]:
        adapters = registry.adapters(types)
        if not prefix.strip() or not adapters or limit < 1:
            return []
        response = self.build_suggest(prefix, types=types, limit=limit).execute().to_dict()
        type_of = self._type_resolver(adapters)
        return [
            Suggestion(
                type=type_of(hit["_index"]),
                title=hit["_source"]["title"],
                url=hit["_source"].get("url", ""),
            )
            for hit in response["hits"]["hits"]
        ]

    def check(self) -> None:
        # A health check must answer quickly: no retries, and less than the usual timeout.
        client = self.client.options(request_timeout=5, max_retries=0)
        try:
            health = client.cluster.health(timeout="5s")
        except (TransportError, ApiError) as error:
            raise RuntimeError(f"Elasticsearch is unreachable: {error}") from error
        if health["status"] == "red":
            raise RuntimeError("Elasticsearch cluster health is red")

    def _search_over(self, adapters: list[DiscoveryAdapter]) -> Search:
        # A type that was never indexed has no alias yet; it simply contributes no hits.
        aliases = [self.alias(adapter) for adapter in adapters]
        return Search(using=self.client, index=aliases).params(ignore_unavailable=True)

    def _results(
        self, request: SearchRequest, adapters: list[DiscoveryAdapter], response: dict
    ) -> SearchResults:
        type_of = self._type_resolver(adapters)
        aggregations = response.get("aggregations", {})
        return SearchResults(
            request=request,
            hits=[_hit(raw, type_of(raw["_index"])) for raw in response["hits"]["hits"]],
            total=response["hits"]["total"]["value"],
            facets={
                field: _facet_values(
                    aggregations.get(_facet_aggregation(field), {}).get("values", {})
                )
                for field in registry.facet_fields(request.types)
            },
            type_counts={
                bucket["key"]: bucket["doc_count"]
                for bucket in aggregations.get(_TYPES_AGGREGATION, {}).get("buckets", [])
            },
        )

    def _type_resolver(self, adapters: list[DiscoveryAdapter]) -> Callable[[str], str]:
        """Maps a concrete index name back to its adapter's name."""
        names_by_alias = {self.alias(adapter): adapter.name for adapter in adapters}

        def type_of(index: str) -> str:
            # Strips the version by its last dash: matching the alias as a mere prefix would
            # confuse "portal-news" with "portal-news-archive".
            return names_by_alias[index.rpartition("-")[0]]

        return type_of


def index_body(document: type[DiscoveryDocument]) -> dict[str, Any]:
    """The settings (analysis) and mappings of an index, as `document` declares them."""
    # Not `document._index.clone(…)`: Documents without their own `class Index` share their
    # base class's Index, which lists all of them and would merge every sibling's mappings.
    definition = Index("unnamed")  # the name is not part of the body
    definition.mapping(document._doc_type.mapping)
    return definition.to_dict()


def _connect() -> Elasticsearch:
    options: dict[str, Any] = {"request_timeout": 10, "retry_on_timeout": True}
    if settings.ELASTICSEARCH_USERNAME:
        options["basic_auth"] = (settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD)
    if settings.ELASTICSEARCH_CA_CERTS:
        options["ca_certs"] = settings.ELASTICSEARCH_CA_CERTS
    return Elasticsearch(settings.ELASTICSEARCH_URL, **options)


def _index_actions(documents: Iterable[dict]) -> Iterator[dict]:
    for document in documents:
        source = {key: _json_value(value) for key, value in document.items() if key != "id"}
        yield {"_id": document["id"], "_source": source}


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _text_query(request: SearchRequest) -> Query:
    text = request.text.strip()
    clauses: dict[str, list[Query]] = {}
    if text:
        # Passed as typed: the vietnamese_folding analyzer folds both the query and the text.
        clauses["must"] = [
            Q(
                "multi_match",
                query=text,
                fields=SEARCHED_FIELDS,
                type="best_fields",
                fuzziness="AUTO",
                # "any": one word is enough; documents matching more of them score higher.
                operator="or" if request.match == "any" else "and",
            )
        ]
        clauses["should"] = [Q("match_phrase", title={"query": text, "boost": PHRASE_BOOST})]
    filters = []
    if request.language:
        filters.append(Q("term", language=request.language))
    if request.published_after:
        filters.append(Q("range", published_at={"gt": request.published_after.isoformat()}))
    if filters:
        clauses["filter"] = filters
    return Q("bool", **clauses) if clauses else Q("match_all")


def _filter_clauses(filters: Mapping[str, tuple[str, ...]]) -> dict[str, Query]:
    return {
        field: Q("terms", **{field: list(values)}) for field, values in filters.items() if values
    }


def _all_of(clauses: list[Query]) -> Query:
    return Q("bool", filter=clauses) if clauses else Q("match_all")


def _facet_aggregation(field: str) -> str:
    return f"facet:{field}"


def _facet_values(aggregation: dict) -> list[FacetValue]:
    values = [
        FacetValue(value=str(bucket["key"]), count=bucket["doc_count"])
        for bucket in aggregation.get("buckets", [])
    ]
    return sorted(values, key=lambda facet: (-facet.count, facet.value))


def _hit(raw: dict, type_name: str) -> Hit:
    source = raw["_source"]
    return Hit(
        type=type_name,
        id=raw["_id"],
        title=source.get("title", ""),
        url=source.get("url", ""),
        snippet=_snippet(raw.get("highlight", {}), source.get("body") or ""),
        score=raw.get("_score") or 0.0,
        published_at=_parse_datetime(source.get("published_at")),
        fields={
            key: value
            for key, value in source.items()
            if key not in SHARED_FIELDS and value is not None
        },
    )


def _snippet(highlight: dict[str, list[str]], body: str) -> str:
    fragments = highlight.get("body") or highlight.get("title")
    return fragments[0] if fragments else escape(body[:SNIPPET_LENGTH])


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    # Dates (news pages) come back without a time; read them as the portal's local midnight,
    # as the database engine does.
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)

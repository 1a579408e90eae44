"""The embedded engine: documents in the portal's own database.

PostgreSQL matches with a weighted tsvector (title A, body B) and `ts_rank`; SQLite with FTS5
and `bm25`. Text is folded before it is stored and before it is queried, so diacritics never
matter. Facets, highlighting and typo correction are plain SQL and Python, the same on both.
"""

import datetime
import hashlib
import json
import re
import time
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape

from portal.core.text import fold

from .. import registry
from ..base import Engine, FacetValue, Hit, SearchRequest, SearchResults, Suggestion
from ..documents import SHARED_FIELDS
from ..highlight import highlight, snippet
from ..models import UNDATED, SearchDocument, SearchFacet, SearchMatch, SearchTerm
from ..typos import allowed_edits, closest

BATCH_SIZE = 500
FACET_SIZE = 50
TITLE_SORT_LENGTH = SearchMatch._meta.get_field("title_sort").max_length
FACET_VALUE_LENGTH = SearchFacet._meta.get_field("value").max_length
# Counts (per type, per facet value, in total) are cached like Elasticsearch's request cache,
# keyed by the index generation they were counted at. Every write advances the write counter;
# searches take up the new generation at most once every SEARCH_COUNTS_REFRESH_SECONDS, as
# Elasticsearch makes writes searchable at its refresh interval. So counts may lag writes by that
# long (0: never), while under a steady stream of writes a query is counted afresh at most once
# an interval instead of after every write. The page of hits itself is always read live.
AGGREGATES_SECONDS = 300
WRITES_KEY = "search:database:writes"
COUNTED_KEY = "search:database:counted"  # (generation counted at, when it was taken up)


def _writes() -> int:
    # Starts from the clock: if the key is ever evicted, old entries can never be mistaken for new.
    return cache.get_or_set(WRITES_KEY, time.time_ns, timeout=None)


def _generation() -> int:
    writes = _writes()
    interval = settings.SEARCH_COUNTS_REFRESH_SECONDS
    if not interval:
        return writes
    counted = cache.get(COUNTED_KEY)
    now = time.time()
    if counted is None or (counted[0] != writes and now - counted[1] >= interval):
        counted = (writes, now)
        cache.set(COUNTED_KEY, counted, timeout=None)
    return counted[0]


def forget_cached_counts() -> None:
    """Advances the index generation at once: every count cached so far is ignored from now on
    (after a rebuild, and by the benchmarks)."""
    _count_write()
    cache.set(COUNTED_KEY, (_writes(), time.time()), timeout=None)


def _count_write() -> None:
    try:
        cache.incr(WRITES_KEY)
    except ValueError:  # evicted meanwhile
        cache.set(WRITES_KEY, time.time_ns(), timeout=None)


def _count_write_now_and_on_commit() -> None:
    """Now, for searches in the writing transaction; again on commit, for the searches of others
    that may have cached counts while the write was still invisible to them."""
    _count_write()
    transaction.on_commit(_count_write)


_NOT_WORD = re.compile(r"[^\w\s]+")
_SHARED_FIELDS = {"id", *SHARED_FIELDS}


def _placeholders(values) -> str:
    """One parameter placeholder per value: only placeholders are ever put into SQL text."""
    return ", ".join(["%s"] * len(values))


def query_terms(text: str) -> list[str]:
    """The folded words of a query, stripped of anything the match syntaxes would interpret."""
    return _NOT_WORD.sub("", fold(text)).split()


class _Postgres:
    @staticmethod
    def expression(terms: list[str], title_only: bool = False, match: str = "all") -> str:
        weight = "A" if title_only else ""
        # Any-word queries come from a whole text (a listing to match), not from someone still
        # typing: every word is whole, none a prefix. Both dialects agree.
        if match == "any":
            return " | ".join(f"{t}:{weight}" if weight else t for t in terms)
        *exact, last = terms
        return " & ".join([f"{t}:{weight}" if weight else t for t in exact] + [f"{last}:*{weight}"])

    def match(self, queryset: QuerySet, expression: str) -> QuerySet:
        # The expression is always a bound parameter; only fixed SQL text is interpolated.
        matches = RawSQL(  # noqa: S611
            "vector @@ to_tsquery('simple', %s)", [expression], output_field=BooleanField()
        )
        rank = RawSQL(  # noqa: S611
            "ts_rank(vector, to_tsquery('simple', %s))", [expression], output_field=FloatField()
        )
        return queryset.filter(matches).annotate(rank=rank)

    # The vector is computed as the row is written: filling it by a later UPDATE would write
    # every row, and its full-text index entries, twice.
    match_columns = ", vector"
    match_values = (
        ", setweight(to_tsvector('simple', title_folded), 'A') || "
        "setweight(to_tsvector('simple', body_folded), 'B')"
    )

    @staticmethod
    def insert_facets(rows: list[tuple[int, str, str, str]]) -> None:
        if not rows:
            return
        # One statement over four arrays: a quarter of the time of one statement per row.
        columns = [list(column) for column in zip(*rows, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_searchfacet (document_id, doc_type, field, value) "
                "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[])",
                columns,
            )


class _Sqlite:
    @staticmethod
    def expression(terms: list[str], title_only: bool = False, match: str = "all") -> str:
        column = "title_folded : " if title_only else ""
        if match == "any":
            return " OR ".join(f'{column}"{t}"' for t in terms)
        *exact, last = terms
        return " AND ".join([f'{column}"{t}"' for t in exact] + [f'{column}"{last}"*'])

    def match(self, queryset: QuerySet, expression: str) -> QuerySet:
        ids = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression])  # noqa: S611
        # bm25 is lower-is-better; title matches count ten times a body match.
        rank = RawSQL(  # noqa: S611
            "(SELECT -bm25(search_fts, 10.0, 1.0) FROM search_fts "
            "WHERE search_fts MATCH %s AND search_fts.rowid = search_searchmatch.document_id)",
            [expression],
            output_field=FloatField(),
        )
        return queryset.filter(pk__in=ids).annotate(rank=rank)

    # Triggers keep the FTS5 table in step with the documents: the match row has no text.
    match_columns = ""
    match_values = ""

    @staticmethod
    def insert_facets(rows: list[tuple[int, str, str, str]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_searchfacet (document_id, doc_type, field, value) "
                "VALUES (%s, %s, %s, %s)",
                rows,
            )


def _dialect():
    return _Postgres() if connection.vendor == "postgresql" else _Sqlite()


def _as_datetime(value) -> datetime.datetime | None:
    if value is None or isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))


def _values(value) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple | set) else [str(value)]


class DatabaseEngine(Engine):
    name = "database"

    # Writing

    def index(self, adapter, documents: Iterable[dict]) -> None:
        self._store_in_batches(adapter, documents)

    def _store_in_batches(self, adapter, documents: Iterable[dict], on_batch=None) -> int:
        """Stores `documents` BATCH_SIZE at a time; calls `on_batch(stored so far)` after each."""
        done, batch = 0, []
        for document in documents:
            batch.append(document)
            if len(batch) == BATCH_SIZE:
                self._store(adapter, batch)
                done, batch = done + len(batch), []
                if on_batch:
                    on_batch(done)
        if batch:
            self._store(adapter, batch)
            done += len(batch)
        return done

    @transaction.atomic
    def _store(self, adapter, documents: list[dict]) -> None:
        keyword_fields = adapter.document.keyword_fields()
        self._delete_documents(
            SearchDocument.objects.filter(
                doc_type=adapter.name, object_id__in=[d["id"] for d in documents]
            )
        )
        rows = SearchDocument.objects.bulk_create(
            [self._row(adapter, document) for document in documents]
        )
        self._insert_matches([row.pk for row in rows])
        # Tens of thousands of facet rows per rebuild: written as plain rows, not model instances.
        _dialect().insert_facets(
            [
                (row.pk, row.doc_type, field, value[:FACET_VALUE_LENGTH])
                for row, document in zip(rows, documents, strict=True)
                for field in keyword_fields
                for value in _values(document.get(field))
            ]
        )
        words = {w for row in rows for w in f"{row.title_folded} {row.body_folded}".split()}
        SearchTerm.objects.bulk_create(
            (
                SearchTerm(term=w, first_letter=w[0], length=len(w))
                for w in words
                if 3 <= len(w) <= 60
            ),
            ignore_conflicts=True,
        )

    @staticmethod
    def _insert_matches(document_ids: list[int]) -> None:
        """The narrow match rows of stored documents, in one statement from the stored rows."""
        dialect = _dialect()
        undated = connection.ops.adapt_datetimefield_value(UNDATED)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_searchmatch "  # noqa: S608 -- fixed SQL, values are parameters
                "(document_id, doc_type, language, published_at, title_sort"
                f"{dialect.match_columns}) "
                "SELECT id, doc_type, language, COALESCE(published_at, %s), "
                f"substr(title_folded, 1, {TITLE_SORT_LENGTH}){dialect.match_values} "
                f"FROM search_searchdocument WHERE id IN ({_placeholders(document_ids)})",
                [undated, *document_ids],
            )

    @staticmethod
    def _row(adapter, document: dict) -> SearchDocument:
        extra_text = [
            str(document[name])
            for name in adapter.document.text_fields()
            if name not in {"title", "body"} and document.get(name)
        ]
        body = "\n".join([document.get("body") or "", *extra_text]).strip()
        return SearchDocument(
            doc_type=adapter.name,
            object_id=document["id"],
            title=document["title"],
            body=body,
            url=document.get("url") or "",
            language=document.get("language") or "",
            published_at=_as_datetime(document.get("published_at")),
            title_folded=" ".join(query_terms(document["title"])),
            body_folded=" ".join(query_terms(body)),
            fields={k: v for k, v in document.items() if k not in _SHARED_FIELDS and v is not None},
        )

    @staticmethod
    def _delete_documents(documents: QuerySet) -> None:
        # Django reads the rows it deletes (for their matches and facets): only their keys.
        documents.only("pk").delete()
        _count_write_now_and_on_commit()

    def delete(self, adapter, ids: Iterable[str]) -> None:
        self._delete_documents(
            SearchDocument.objects.filter(doc_type=adapter.name, object_id__in=list(ids))
        )

    def rebuild(self, adapters, progress=None) -> dict[str, int]:
        counts = {}
        for adapter in adapters:
            queryset = adapter.public_queryset()
            total = queryset.count()
            # One transaction per type: searches see the old documents until the new ones commit.
            with transaction.atomic():
                self._delete_documents(SearchDocument.objects.filter(doc_type=adapter.name))
                report = partial(progress, adapter.name, total=total) if progress else None
                done = self._store_in_batches(
                    adapter, registry.public_documents(adapter, queryset), report
                )
                if report:
                    report(done)
                # A rebuild is counted at once, not at the next refresh.
                transaction.on_commit(forget_cached_counts)
            counts[adapter.name] = done
        self.analyze()
        return counts

    def analyze(self) -> None:
        """Refreshes the planner's statistics: after a bulk load they are stale, and stale
        statistics make PostgreSQL pick nested loops over tens of thousands of rows."""
        tables = [
            "search_searchdocument",
            "search_searchmatch",
            "search_searchfacet",
            "search_searchterm",
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")  # noqa: S608 -- fixed table names

    # Reading

    def search(self, request: SearchRequest) -> SearchResults:
        terms = query_terms(request.text)
        # A word no document contains can only ever match nothing, so it is corrected up front
        # from the vocabulary (index look-ups) rather than after a full-text query found nothing.
        corrected = self._correct(terms)
        corrected_text = " ".join(corrected) if corrected != terms else None
        terms = corrected
        matched = self._matching(terms, request)
        typed = matched.filter(doc_type__in=request.types) if request.types else matched
        filtered = self._apply_filters(typed, request.filters)
        type_counts, facets, total = self._aggregates(terms, request, matched, typed, filtered)
        page = filtered.order_by(*self._ordering(request.sort, bool(terms))).values_list(
            "pk", "rank"
        )[request.offset : request.offset + request.page_size]
        page = list(page)
        documents = SearchDocument.objects.in_bulk([pk for pk, _ in page])
        hits = [self._hit(documents[pk], rank, terms) for pk, rank in page]
        return SearchResults(
            request=request,
            hits=hits,
            total=total,
            facets=facets,
            type_counts=type_counts,
            corrected_text=corrected_text,
        )

    def _aggregates(self, terms, request: SearchRequest, matched, typed, filtered):
        """(type counts, facets, total) of a search, from the cache when the index is unchanged."""
        criteria = [
            terms,
            request.match,
            sorted(request.types),
            sorted((field, sorted(values)) for field, values in request.filters.items()),
            request.language,
            request.published_after,
        ]
        digest = hashlib.sha256(json.dumps(criteria, default=str).encode()).hexdigest()
        key = f"search:database:aggregates:{_generation()}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        type_counts = dict(
            matched.order_by()
            .values_list("doc_type")
            .annotate(n=Count("pk"))
            .values_list("doc_type", "n")
        )
        # Browsing (no words, language or date) matches every document of the types shown, so
        # their facet rows alone hold the counts: no join with the matches.
        browsing = not (terms or request.language or request.published_after)
        facets = self._facets(
            typed,
            request.filters,
            registry.facet_fields(request.types),
            browsed_types=request.types if browsing else None,
        )
        # Without filters the total is already in the type counts: one pass over the matches saved.
        total = (
            sum(
                n
                for doc_type, n in type_counts.items()
                if doc_type in request.types or not request.types
            )
            if not request.filters
            else filtered.count()
        )
        cache.set(key, (type_counts, facets, total), AGGREGATES_SECONDS)
        return type_counts, facets, total

    def suggest(
        self, prefix: str, *, types: tuple[str, ...] = (), limit: int = 8
    ) -> list[Suggestion]:
        terms = query_terms(prefix)
        if not terms:
            return []
        dialect = _dialect()
        queryset = dialect.match(
            SearchMatch.objects.all(), dialect.expression(terms, title_only=True)
        )
        if types:
            queryset = queryset.filter(doc_type__in=types)
        ids = list(queryset.order_by("-rank", "title_sort").values_list("pk", flat=True)[:limit])
        documents = SearchDocument.objects.in_bulk(ids)
        return [
            Suggestion(
                type=documents[pk].doc_type, title=documents[pk].title, url=documents[pk].url
            )
            for pk in ids
        ]

    def check(self) -> None:
        SearchDocument.objects.exists()

    # Helpers

    @staticmethod
    def _matching(terms: list[str], request: SearchRequest) -> QuerySet:
        queryset = SearchMatch.objects.all()
        if request.language:
            queryset = queryset.filter(language=request.language)
        if request.published_after:
            queryset = queryset.filter(published_at__gt=request.published_after)
        if not terms:
            return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
        dialect = _dialect()
        return dialect.match(queryset, dialect.expression(terms, match=request.match))

    @staticmethod
    def _apply_filters(
        queryset: QuerySet, filters, skip: str | None = None, key: str = "pk"
    ) -> QuerySet:
        """`queryset` narrowed to the documents (whose id is `key`) with every filter's values."""
        for field, values in filters.items():
            if field != skip and values:
                documents = SearchFacet.objects.filter(field=field, value__in=values)
                queryset = queryset.filter(**{f"{key}__in": documents.values("document_id")})
        return queryset

    def _facets(
        self, typed: QuerySet, filters, fields: list[str], browsed_types: tuple | None = None
    ) -> dict[str, list[FacetValue]]:
        """Counts per facet value, disjunctive: a field's counts ignore its own filter so its
        other values stay choosable. Fields without a filter share one query. With
        `browsed_types` (every document of those types matches; none: all types) the counts
        come from the facet rows alone."""
        counts: dict[str, list[FacetValue]] = {field: [] for field in fields}
        unfiltered = [field for field in fields if not filters.get(field)]
        groups = [(unfiltered, None)] if unfiltered else []
        groups += [([field], field) for field in fields if filters.get(field)]
        for group, own_filter in groups:
            rows = SearchFacet.objects.filter(field__in=group)
            if browsed_types is None:
                documents = self._apply_filters(typed, filters, skip=own_filter).values("pk")
                rows = rows.filter(document_id__in=documents.order_by())
            else:
                if browsed_types:
                    rows = rows.filter(doc_type__in=browsed_types)
                rows = self._apply_filters(rows, filters, skip=own_filter, key="document_id")
            rows = rows.values_list("field", "value").annotate(n=Count("id")).order_by()
            for field, value, n in rows:
                counts[field].append(FacetValue(value=value, count=n))
        return {
            field: sorted(values, key=lambda facet: (-facet.count, facet.value))[:FACET_SIZE]
            for field, values in counts.items()
        }

    @staticmethod
    def _ordering(sort: str, has_text: bool) -> list:
        newest = F("published_at").desc()
        if sort == "newest":
            return [newest, "pk"]
        if sort == "title":
            return ["title_sort", "pk"]
        return ["-rank", newest, "pk"] if has_text else [newest, "pk"]

    @staticmethod
    def _correct(terms: list[str]) -> list[str]:
        known = set(SearchTerm.objects.filter(term__in=terms).values_list("term", flat=True))
        corrected = []
        for position, term in enumerate(terms):
            is_last = position == len(terms) - 1
            limit = allowed_edits(term)
            if term in known or limit == 0:
                corrected.append(term)
                continue
            if is_last and SearchTerm.objects.filter(term__startswith=term).exists():
                corrected.append(term)
                continue
            candidates = SearchTerm.objects.filter(
                first_letter=term[0], length__range=(len(term) - limit, len(term) + limit)
            ).values_list("term", flat=True)
            corrected.append(closest(term, candidates.iterator(), limit) or term)
        return corrected

    @staticmethod
    def _hit(document: SearchDocument, rank: float | None, terms: list[str]) -> Hit:
        matched_terms = tuple(terms)
        body_words = set(document.body_folded.split())
        if any(word.startswith(term) for term in matched_terms for word in body_words):
            text = snippet(document.body, matched_terms)
        elif matched_terms:
            text = highlight(document.title, matched_terms)
        else:
            text = escape(document.body[:160])
        return Hit(
            type=document.doc_type,
            id=document.object_id,
            title=document.title,
            url=document.url,
            snippet=text,
            score=float(rank or 0.0),
            published_at=document.published_at,
            fields=document.fields,
        )

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from . import registry
from .base import MAX_PAGE_SIZE, SORTS, SearchRequest
from .engines import get_engine
from .forms import MAX_QUERY_LENGTH

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = ""
    type: str = ""
    filter: list[str] = []
    language: str = ""
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20


class HitOut(Schema):
    type: str
    id: str
    title: str
    url: str
    snippet: str
    score: float


class SearchFacetValueOut(Schema):
    value: str
    count: int


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    hits: list[HitOut]
    facets: dict[str, list[SearchFacetValueOut]]
    type_counts: dict[str, int]
    corrected_query: str | None


def _filters(raw: list[str]) -> dict[str, tuple[str, ...]]:
    filters: dict[str, list[str]] = {}
    for item in raw:
        field, separator, value = item.partition(":")
        if not separator or not field or not value:
            raise HttpError(400, f"filter must look like field:value, got {item!r}")
        filters.setdefault(field, []).append(value)
    return {field: tuple(values) for field, values in filters.items()}


@router.get("/search", response=SearchOut, summary="Search every public record")
def search(request: HttpRequest, params: Query[SearchParams]):
    """Full-text search across startups, technologies, sandbox entries and pages.
    Diacritics are optional; `filter=field:value` may repeat (any value within a field, every
    field must match)."""
    names = {adapter.name for adapter in registry.adapters()}
    if params.type and params.type not in names:
        raise HttpError(400, f"type must be one of: {', '.join(sorted(names))}")
    if params.sort not in SORTS:
        raise HttpError(400, f"sort must be one of: {', '.join(SORTS)}")
    if params.page < 1 or not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"page must be ≥ 1 and page_size between 1 and {MAX_PAGE_SIZE}")
    if len(params.q) > MAX_QUERY_LENGTH:
        raise HttpError(400, f"q is limited to {MAX_QUERY_LENGTH} characters")
    results = get_engine().search(
        SearchRequest(
            text=params.q,
            types=(params.type,) if params.type else (),
            filters=_filters(params.filter),
            language=params.language or None,
            sort=params.sort,
            page=params.page,
            page_size=params.page_size,
        )
    )
    return {
        "total": results.total,
        "page": params.page,
        "pages": results.pages,
        "hits": results.hits,
        "facets": results.facets,
        "type_counts": results.type_counts,
        "corrected_query": results.corrected_text,
    }

"""Shapes search results for pages: type tabs and facet groups with their toggle links, and the
listing query shared by pages that browse one type (the startup directory, the sandbox register)."""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from . import registry
from .base import MAX_PAGE_SIZE, SORTS, SearchRequest, SearchResults
from .engines import get_engine
from .forms import MAX_QUERY_LENGTH
from .models import SavedSearch


def _link(params: QueryDict, **changes) -> str:
    query = params.copy()
    query.pop("page", None)  # a new filter or tab starts from the first page
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query.setlist(key, value if isinstance(value, list) else [value])
    return "?" + query.urlencode()


def query_link(params: QueryDict, **changes) -> str:
    """`params` with `changes` applied (a falsy value removes the parameter), back on page 1: for
    pages that build their own filter links (e.g. removable filter chips) alongside facet_groups."""
    return _link(params, **changes)


def type_tabs(results: SearchResults, params: QueryDict) -> list[dict]:
    current = results.request.types[0] if results.request.types else ""
    # Switching type drops the other type's facet filters.
    facet_fields = {f for adapter in registry.adapters() for f in adapter.facets}
    reset = dict.fromkeys(facet_fields)
    tabs = [
        {
            "label": _("All"),
            "count": sum(results.type_counts.values()),
            "url": _link(params, type=None, **reset),
            "current": not current,
        }
    ]
    for adapter in registry.adapters():
        tabs.append(
            {
                "label": adapter.label,
                "count": results.type_counts.get(adapter.name, 0),
                "url": _link(params, type=adapter.name, **reset),
                "current": current == adapter.name,
            }
        )
    return tabs


def facet_groups(results: SearchResults, params: QueryDict) -> list[dict]:
    adapters = registry.adapters(results.request.types)
    groups = []
    for field, values in results.facets.items():
        owner = next((a for a in adapters if field in a.facets), None)
        selected = set(results.request.filters.get(field, ()))
        options = []
        for facet in values:
            chosen = facet.value in selected
            toggled = sorted(selected - {facet.value} if chosen else selected | {facet.value})
            options.append(
                {
                    "value": facet.value,
                    "label": owner.label_for_value(field, facet.value) if owner else facet.value,
                    "count": facet.count,
                    "selected": chosen,
                    "url": _link(params, **{field: toggled}),
                }
            )
        label = owner.facet_labels.get(field, field) if owner else field
        groups.append({"field": field, "label": label, "options": options})
    return groups


def active_filter_chips(results: SearchResults, params: QueryDict) -> list[dict]:
    """One removable chip per chosen filter value, so a choice is always visible and undoable
    (even one that no longer matches anything and so has no facet entry)."""
    adapters = registry.adapters(results.request.types)
    chips = []
    for field_name, values in results.request.filters.items():
        owner = next((a for a in adapters if field_name in a.facets), None)
        for value in values:
            chips.append(
                {
                    "group": owner.facet_labels.get(field_name, field_name)
                    if owner
                    else field_name,
                    "label": owner.label_for_value(field_name, value) if owner else value,
                    "url": _link(params, **{field_name: [v for v in values if v != value]}),
                }
            )
    return chips


def labelled_hits(results: SearchResults) -> list[tuple]:
    labels = registry.type_labels()
    return [(hit, labels.get(hit.type, hit.type)) for hit in results.hits]


def page_links(results: SearchResults, params: QueryDict) -> dict[str, str]:
    page = results.request.page
    return {
        "previous": _link(params, page=str(page - 1)) if results.has_previous else "",
        "next": _link(params, page=str(page + 1)) if results.has_next else "",
    }


def saved_searches_of(user):
    return SavedSearch.objects.filter(user=user)


# --- listing pages: one type of the engine behind a page and an API ---------------------------
# The startup directory and the sandbox register read the same parameters the same way: the page
# leniently (bad values are dropped with a message) and the open-data API strictly (the first bad
# value is refused). Each supplies its adapter, its filter fields and how a filter value is checked.

MAX_VALUES_PER_FILTER = 20
DEFAULT_PAGE_SIZE = 20


class ListingQueryError(ValueError):
    """A parameter the strict (API) reading refuses; the message says what is accepted."""


@dataclass(frozen=True)
class ListingQuery:
    adapter: str
    filter_fields: tuple[str, ...]
    text: str = ""
    filters: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    default_sort: str = "relevance"

    def to_request(self, page: int | None = None, page_size: int | None = None) -> SearchRequest:
        return SearchRequest(
            text=self.text,
            types=(self.adapter,),
            filters=self.filters,
            sort=self.sort,
            page=page or self.page,
            page_size=page_size or self.page_size,
        )

    def params(self, *, page: bool = True) -> QueryDict:
        """The query as clean address parameters (only what was accepted), for links."""
        params = QueryDict(mutable=True)
        if self.text:
            params["q"] = self.text
        for name in self.filter_fields:
            if values := self.filters.get(name):
                params.setlist(name, list(values))
        if self.sort != self.default_sort:
            params["sort"] = self.sort
        if page and self.page_size != DEFAULT_PAGE_SIZE:
            params["page_size"] = str(self.page_size)
        if page and self.page != 1:
            params["page"] = str(self.page)
        return params

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.filters)


def _int(raw: str | None, default: int) -> int | None:
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except (TypeError, ValueError):
        return None


def parse_listing_query(
    params: QueryDict,
    *,
    adapter: str,
    filter_fields: tuple[str, ...],
    filter_problem: Callable[[str, str], str | None],
    default_sort: str = "relevance",
    strict: bool = False,
) -> tuple[ListingQuery, list[str]]:
    """Reads a listing's parameters: q, sort, page, page_size and the `filter_fields` (each may
    repeat). `filter_problem(name, value)` says what is wrong with a filter value, or None.
    Returns the accepted query and, when not `strict`, a message for each parameter that was
    dropped or corrected; when `strict`, raises `ListingQueryError` at the first bad one."""
    problems: list[str] = []

    def refuse(message: str) -> None:
        if strict:
            raise ListingQueryError(message)
        problems.append(message)

    text = (params.get("q") or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        refuse(_("The search text is limited to %(max)s characters.") % {"max": MAX_QUERY_LENGTH})
        text = text[:MAX_QUERY_LENGTH]

    sort = params.get("sort") or default_sort
    if sort not in SORTS:
        refuse(
            _("Unknown sort “%(value)s”; use one of: %(allowed)s.")
            % {"value": sort, "allowed": ", ".join(SORTS)}
        )
        sort = default_sort

    page = _int(params.get("page"), 1)
    if page is None or page < 1:
        refuse(
            _("The page must be a whole number from 1, not “%(value)s”.")
            % {"value": params.get("page")}
        )
        page = 1

    page_size = _int(params.get("page_size"), DEFAULT_PAGE_SIZE)
    if page_size is None or not 1 <= page_size <= MAX_PAGE_SIZE:
        refuse(
            _("The page size must be a whole number from 1 to %(max)s, not “%(value)s”.")
            % {"max": MAX_PAGE_SIZE, "value": params.get("page_size")}
        )
        page_size = DEFAULT_PAGE_SIZE

    filters: dict[str, tuple[str, ...]] = {}
    for name in filter_fields:
        values = list(dict.fromkeys(v.strip() for v in params.getlist(name) if v.strip()))
        if len(values) > MAX_VALUES_PER_FILTER:
            refuse(
                _("At most %(max)s values may be chosen for one filter.")
                % {"max": MAX_VALUES_PER_FILTER}
            )
            values = values[:MAX_VALUES_PER_FILTER]
        accepted = []
        for value in values:
            problem = filter_problem(name, value)
            if problem:
                refuse(problem)
            else:
                accepted.append(value)
        if accepted:
            filters[name] = tuple(accepted)

    query = ListingQuery(
        adapter=adapter,
        filter_fields=tuple(filter_fields),
        text=text,
        filters=filters,
        sort=sort,
        page=page,
        page_size=page_size,
        default_sort=default_sort,
    )
    return query, problems


def search_listing(query: ListingQuery, *, strict: bool = False) -> tuple[SearchResults, str]:
    """Runs `query` on the engine. A page past the last one is refused when `strict`; otherwise
    the last page is shown instead, with a message saying so."""
    engine = get_engine()
    results = engine.search(query.to_request())
    if query.page > results.pages:
        message = _("There is no page %(page)s: the results end at page %(last)s.") % {
            "page": query.page,
            "last": results.pages,
        }
        if strict:
            raise ListingQueryError(message)
        return engine.search(query.to_request(page=results.pages)), message
    return results, ""


def listing_ids(query: ListingQuery, *, cap: int) -> list[str]:
    """The ids of every match of `query` in its order (not one page), up to `cap`: for exports."""
    engine = get_engine()
    ids: list[str] = []
    page = 1
    while len(ids) < cap:
        results = engine.search(query.to_request(page=page, page_size=MAX_PAGE_SIZE))
        ids.extend(hit.id for hit in results.hits)
        if not results.has_next:
            break
        page += 1
    return ids[:cap]


def listing_context(
    query: "ListingQuery",
    results: SearchResults,
    *,
    clear_all_url: str,
    sort_labels: dict,
    newest_first: tuple[str, ...] = (),
) -> dict:
    """What a listing page built on discovery shows around its results: facet groups (fields in
    `newest_first` list their values in reverse, as years read best), filter chips, pagination,
    sorting, and the parameters its search and sort forms carry along."""
    params = query.params()
    groups = facet_groups(results, params)
    for group in groups:
        if group["field"] in newest_first:
            group["options"].sort(key=lambda option: option["value"], reverse=True)

    def kept(*dropped: str) -> list[tuple[str, str]]:
        return [
            (key, value) for key, values in params.lists() if key not in dropped for value in values
        ]

    return {
        "query": query,
        "results": results,
        "facet_groups": groups,
        "active_filters": active_filter_chips(results, params),
        "clear_filters_url": query_link(params, **dict.fromkeys(query.filters)),
        "clear_all_url": clear_all_url,
        "pages": page_links(results, params),
        "sort_choices": list(sort_labels.items()),
        "keep_params": kept("sort", "page"),
        "keep_filter_params": kept("q", "page"),
    }


def listing_payload(results: SearchResults, items: list) -> dict:
    """A page of one type's results as the open-data API returns it: the page's `items`, where
    the page is, and the facets with value, label and count."""
    adapter = registry.adapter(results.request.types[0])
    return {
        "count": results.total,
        "page": results.request.page,
        "pages": results.pages,
        "page_size": results.request.page_size,
        "results": items,
        "facets": {
            field: [
                {
                    "value": facet.value,
                    "label": adapter.label_for_value(field, facet.value),
                    "count": facet.count,
                }
                for facet in values
            ]
            for field, values in results.facets.items()
        },
    }

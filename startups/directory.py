"""The public directory's query: which parameters it takes, how they are checked and how they
become a discovery-engine request. Shared by the directory page (lenient: bad values are dropped
with a message) and the open-data API (strict: the first bad value is refused)."""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.models import Commune
from search.base import MAX_PAGE_SIZE, SORTS, SearchRequest, SearchResults
from search.engines import get_engine
from search.forms import MAX_QUERY_LENGTH

from .models import Sector, Stage

ADAPTER = "startups"
FILTER_FIELDS = ("sector", "stage", "commune", "founded_year", "verification")
VERIFICATION_VALUES = ("current", "stale")
MAX_VALUES_PER_FILTER = 20
DEFAULT_PAGE_SIZE = 20
EARLIEST_FOUNDING_YEAR = 1900
SORT_LABELS = {
    "relevance": gettext_lazy("Most relevant"),
    "newest": gettext_lazy("Most recently verified"),
    "title": gettext_lazy("Name A–Z"),
}
assert tuple(SORT_LABELS) == SORTS  # noqa: S101 -- the engine's sorts, every one labelled


class DirectoryQueryError(ValueError):
    """A parameter the strict (API) reading refuses; the message says what is accepted."""


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def to_request(self, page: int | None = None) -> SearchRequest:
        return SearchRequest(
            text=self.text,
            types=(ADAPTER,),
            filters=self.filters,
            sort=self.sort,
            page=page or self.page,
            page_size=self.page_size,
        )

    def params(self, *, page: bool = True) -> QueryDict:
        """The query as clean address parameters (only what was accepted), for links."""
        params = QueryDict(mutable=True)
        if self.text:
            params["q"] = self.text
        for name in FILTER_FIELDS:
            if values := self.filters.get(name):
                params.setlist(name, list(values))
        if self.sort != "relevance":
            params["sort"] = self.sort
        if page and self.page_size != DEFAULT_PAGE_SIZE:
            params["page_size"] = str(self.page_size)
        if page and self.page != 1:
            params["page"] = str(self.page)
        return params

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.filters)


def _filter_problem(name: str, value: str, communes: set[str]) -> str | None:
    if name == "sector" and value not in Sector.values:
        return _("Unknown sector “%(value)s”; use one of: %(allowed)s.") % {
            "value": value,
            "allowed": ", ".join(Sector.values),
        }
    if name == "stage" and value not in Stage.values:
        return _("Unknown stage “%(value)s”; use one of: %(allowed)s.") % {
            "value": value,
            "allowed": ", ".join(Stage.values),
        }
    if name == "verification" and value not in VERIFICATION_VALUES:
        return _("Unknown verification state “%(value)s”; use current or stale.") % {"value": value}
    if name == "founded_year":
        this_year = timezone.localdate().year
        if not (value.isdigit() and EARLIEST_FOUNDING_YEAR <= int(value) <= this_year):
            return _(
                "Founding year must be a year between %(first)s and %(last)s, not “%(value)s”."
            ) % {
                "first": EARLIEST_FOUNDING_YEAR,
                "last": this_year,
                "value": value,
            }
    if name == "commune" and value not in communes:
        return _("Unknown ward or commune “%(value)s”; use its slug, e.g. phuong-hoan-kiem.") % {
            "value": value
        }
    return None


def _int(raw: str | None, default: int) -> int | None:
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except (TypeError, ValueError):
        return None


def parse_directory_query(
    params: QueryDict, *, strict: bool = False
) -> tuple[DirectoryQuery, list[str]]:
    """Reads the directory's parameters. Returns the accepted query and, when not `strict`,
    a message for each parameter that was dropped or corrected; when `strict`, raises
    `DirectoryQueryError` at the first bad parameter instead."""
    problems: list[str] = []

    def refuse(message: str) -> None:
        if strict:
            raise DirectoryQueryError(message)
        problems.append(message)

    text = (params.get("q") or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        refuse(_("The search text is limited to %(max)s characters.") % {"max": MAX_QUERY_LENGTH})
        text = text[:MAX_QUERY_LENGTH]

    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        refuse(
            _("Unknown sort “%(value)s”; use one of: %(allowed)s.")
            % {"value": sort, "allowed": ", ".join(SORTS)}
        )
        sort = "relevance"

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

    raw_filters = {
        name: list(dict.fromkeys(v.strip() for v in params.getlist(name) if v.strip()))
        for name in FILTER_FIELDS
    }
    communes: set[str] = set()
    if raw_filters["commune"]:
        communes = set(
            Commune.objects.filter(slug__in=raw_filters["commune"]).values_list("slug", flat=True)
        )
    filters: dict[str, tuple[str, ...]] = {}
    for name, values in raw_filters.items():
        if len(values) > MAX_VALUES_PER_FILTER:
            refuse(
                _("At most %(max)s values may be chosen for one filter.")
                % {"max": MAX_VALUES_PER_FILTER}
            )
            values = values[:MAX_VALUES_PER_FILTER]
        accepted = []
        for value in values:
            problem = _filter_problem(name, value, communes)
            if problem:
                refuse(problem)
            else:
                accepted.append(value)
        if accepted:
            filters[name] = tuple(accepted)

    query = DirectoryQuery(text=text, filters=filters, sort=sort, page=page, page_size=page_size)
    return query, problems


def search_directory(query: DirectoryQuery, *, strict: bool = False) -> tuple[SearchResults, str]:
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
            raise DirectoryQueryError(message)
        return engine.search(query.to_request(page=results.pages)), message
    return results, ""

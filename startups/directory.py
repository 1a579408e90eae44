"""The public directory's query: which parameters it takes, how they are checked and how they
become a discovery-engine request. Shared by the directory page (lenient: bad values are dropped
with a message) and the open-data API (strict: the first bad value is refused)."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.models import Commune
from search.base import SORTS
from search.selectors import (
    ListingQuery,
    parse_listing_query,
)

from .models import Sector, Stage

ADAPTER = "startups"
FILTER_FIELDS = ("sector", "stage", "commune", "founded_year", "verification")
VERIFICATION_VALUES = ("current", "stale")
EARLIEST_FOUNDING_YEAR = 1900
SORT_LABELS = {
    "relevance": gettext_lazy("Most relevant"),
    "newest": gettext_lazy("Most recently verified"),
    "title": gettext_lazy("Name A–Z"),
}
assert tuple(SORT_LABELS) == SORTS  # noqa: S101 -- the engine's sorts, every one labelled


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


def parse_directory_query(
    params: QueryDict, *, strict: bool = False
) -> tuple[ListingQuery, list[str]]:
    """Reads the directory's parameters. Returns the accepted query and, when not `strict`,
    a message for each parameter that was dropped or corrected; when `strict`, raises
    `ListingQueryError` at the first bad parameter instead."""
    slugs = {v.strip() for v in params.getlist("commune") if v.strip()}
    communes: set[str] = set()
    if slugs:
        communes = set(Commune.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return parse_listing_query(
        params,
        adapter=ADAPTER,
        filter_fields=FILTER_FIELDS,
        filter_problem=lambda name, value: _filter_problem(name, value, communes),
        strict=strict,
    )

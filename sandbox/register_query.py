"""The public register's query: the parameters `/sandbox/`, its exports and the open-data API
accept, checked the same way everywhere (search.selectors' listing query), and the "check a
firm" lookup's own small rules."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.text import fold
from search.base import SORTS
from search.selectors import ListingQuery, parse_listing_query

from .models import Agency, Domain, EntryStatus

ADAPTER = "sandbox"
FILTER_FIELDS = ("domain", "status", "agency", "year")
# A register reads newest decision first; `relevance` ranks a text query by its words.
DEFAULT_SORT = "newest"
SORT_LABELS = {
    "newest": gettext_lazy("Newest decision first"),
    "relevance": gettext_lazy("Most relevant"),
    "title": gettext_lazy("Participant A–Z"),
}
assert set(SORT_LABELS) == set(SORTS)  # noqa: S101 -- the engine's sorts, every one labelled
FIRST_YEAR = 2020  # the first sandbox decisions (Resolution 29/2025 and its predecessors)
# An export holds every match of the query: far more than the register will ever hold.
EXPORT_CAP = 5_000
FIRM_MIN_LENGTH = 2
FIRM_MAX_LENGTH = 200
FIRM_MAX_RESULTS = 50


def _choice_problem(label: str, value: str, allowed) -> str:
    return _("Unknown %(what)s “%(value)s”; use one of: %(allowed)s.") % {
        "what": label,
        "value": value,
        "allowed": ", ".join(allowed),
    }


def _filter_problem(name: str, value: str) -> str | None:
    if name == "domain" and value not in Domain.values:
        return _choice_problem(_("domain"), value, Domain.values)
    if name == "status" and value not in EntryStatus.values:
        return _choice_problem(_("status"), value, EntryStatus.values)
    if name == "agency" and value not in Agency.values:
        return _choice_problem(_("supervising agency"), value, Agency.values)
    if name == "year":
        last = timezone.localdate().year + 1
        if not (value.isdigit() and FIRST_YEAR <= int(value) <= last):
            return _(
                "The year testing started must be a year between %(first)s and %(last)s, "
                "not “%(value)s”."
            ) % {"first": FIRST_YEAR, "last": last, "value": value}
    return None


def parse_register_query(
    params: QueryDict, *, strict: bool = False
) -> tuple[ListingQuery, list[str]]:
    """The register's parameters: lenient for the page (bad values dropped, with a message),
    strict for the API and the exports (`ListingQueryError` at the first bad value)."""
    return parse_listing_query(
        params,
        adapter=ADAPTER,
        filter_fields=FILTER_FIELDS,
        filter_problem=_filter_problem,
        default_sort=DEFAULT_SORT,
        strict=strict,
    )


def parse_firm(raw: str | None) -> tuple[str, str]:
    """The "check a firm" text, and a message when it cannot be looked up ("" when it can)."""
    text = " ".join((raw or "").split())
    if len(text) > FIRM_MAX_LENGTH:
        return text[:FIRM_MAX_LENGTH], _("A firm's name is limited to %(max)s characters.") % {
            "max": FIRM_MAX_LENGTH
        }
    if len(fold(text).replace(" ", "")) < FIRM_MIN_LENGTH:
        return text, _(
            "Type at least %(min)s letters of the firm's name, or its enterprise code."
        ) % {"min": FIRM_MIN_LENGTH}
    return text, ""

"""The public exchange's query: the parameters `/technologies/` and the open-data API accept,
checked the same way in both (search.selectors' listing query)."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from search.base import SORTS
from search.selectors import ListingQuery, parse_listing_query
from startups.models import Sector

from .models import IPStatus, Kind, LicensingModel, OwnerType, PriceType

ADAPTER = "technologies"
FILTER_FIELDS = (
    "kind",
    "sector",
    "trl",
    "licensing_model",
    "ip_status",
    "price_type",
    "owner_type",
)
SORT_LABELS = {
    "relevance": gettext_lazy("Most relevant"),
    "newest": gettext_lazy("Newest first"),
    "title": gettext_lazy("Title A–Z"),
}
assert tuple(SORT_LABELS) == SORTS  # noqa: S101 -- the engine's sorts, every one labelled

# The readiness levels as filter values; what each means is models.TRL_LABELS.
TRL_VALUES = tuple(str(level) for level in range(1, 10))


# Filter field → (what it is called in a refusal, the values it accepts).
_CHOICES = {
    "kind": (gettext_lazy("kind"), Kind.values),
    "sector": (gettext_lazy("sector"), Sector.values),
    "trl": (gettext_lazy("technology readiness level"), TRL_VALUES),
    "licensing_model": (gettext_lazy("licensing model"), LicensingModel.values),
    "ip_status": (gettext_lazy("IP status"), IPStatus.values),
    "price_type": (gettext_lazy("price"), PriceType.values),
    "owner_type": (gettext_lazy("type of owner"), OwnerType.values),
}
assert set(_CHOICES) == set(FILTER_FIELDS)  # noqa: S101 -- every filter is checked


def _filter_problem(name: str, value: str) -> str | None:
    what, allowed = _CHOICES[name]
    if value in allowed:
        return None
    return _("Unknown %(what)s “%(value)s”; use one of: %(allowed)s.") % {
        "what": what,
        "value": value,
        "allowed": ", ".join(allowed),
    }


def parse_exchange_query(
    params: QueryDict, *, strict: bool = False
) -> tuple[ListingQuery, list[str]]:
    """The exchange's parameters: lenient for the page (bad values dropped, with a message),
    strict for the API (`ListingQueryError` at the first bad value)."""
    return parse_listing_query(
        params,
        adapter=ADAPTER,
        filter_fields=FILTER_FIELDS,
        filter_problem=_filter_problem,
        strict=strict,
    )

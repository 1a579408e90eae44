"""Reads of the public exchange: published listings for a page of search hits, a listing's page,
the featured block, the home page's counts, and listings like a given one (similar listings,
matches) found by the discovery engine."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from portal.core.text import fold
from search.base import MAX_PAGE_SIZE, SearchRequest
from search.engines import get_engine
from startups.models import Sector

from .exchange_query import ADAPTER
from .models import TRL_LABELS, Deal, Kind, Listing, ListingDocument, ListingImage, ListingStatus

FEATURED_LIMIT = 3
# Words that say nothing about a technology: left out when a listing's text becomes a query.
# Vietnamese (folded, as the engines fold them), the words nearly every listing of a Hanoi
# technology exchange shares ("Hà Nội", "công nghệ", "công ty"), then English.
_STOP_WORDS = (
    "bang cac cho chung co cua cung da dang de den do duoc hay hoac khi khong la ma mot nay "
    "nhieu nhu nhung ra rat se tai theo thi trong tren tu va vao ve voi "
    "ha noi viet nam cong nghe ty "
    "an and are by for from in is of on or the to with"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
MIN_WORD_LENGTH = 2
MAX_QUERY_WORDS = 30
# Inside a word, what is not a letter or digit goes ("PM2.5," → "pm25"), as the engines index it.
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def public_listings() -> QuerySet:
    return Listing.objects.filter(status=ListingStatus.PUBLISHED)


def _for_cards(queryset: QuerySet) -> QuerySet:
    """What a listing card shows beyond the listing's own fields: its first image."""
    return queryset.prefetch_related(
        Prefetch("images", queryset=ListingImage.objects.order_by("pk"))
    )


def listings_by_ids(ids: Iterable[str | int]) -> list[Listing]:
    """The published listings with these ids (a page of search hits), in the same order, with
    what a card shows: two queries whatever the number. Ids no longer public are left out."""
    pks = [int(pk) for pk in ids if str(pk).isdigit()]
    if not pks:
        return []
    found = _for_cards(public_listings()).in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def featured_listings(limit: int = FEATURED_LIMIT) -> list[Listing]:
    """Published listings whose owner paid to feature them, most recently featured first."""
    featured = public_listings().filter(featured_until__gte=timezone.localdate())
    return list(_for_cards(featured).order_by("-featured_until", "-published_at")[:limit])


def listing_for_page(slug: str) -> Listing | None:
    """One listing, whatever its status (the caller checks who may see it), with its images and
    documents."""
    documents = ListingDocument.objects.select_related("file")
    return (
        Listing.objects.prefetch_related(
            Prefetch("images", queryset=ListingImage.objects.order_by("pk")),
            Prefetch("documents", queryset=documents),
        )
        .filter(slug=slug)
        .first()
    )


def public_listing(slug: str) -> Listing | None:
    return _for_cards(public_listings()).filter(slug=slug).first()


def published_counts() -> dict[str, int]:
    """How many listings of each kind are on the exchange, in one query."""
    rows = public_listings().order_by().values_list("kind").annotate(n=Count("pk"))
    return dict.fromkeys(Kind.values, 0) | dict(rows)


# --- listings like a given one ----------------------------------------------------------------


def listing_words(listing: Listing) -> str:
    """The words of a listing's title and summary that say what it is about, as a query: folded,
    without stop words, short words or repeats."""
    words = [_NOT_WORD.sub("", word) for word in fold(f"{listing.title} {listing.summary}").split()]
    kept = [w for w in words if len(w) >= MIN_WORD_LENGTH and w not in STOP_WORDS]
    return " ".join(list(dict.fromkeys(kept))[:MAX_QUERY_WORDS])


def listings_like(
    listing: Listing,
    *,
    kind: str,
    limit: int,
    prefer_sector: bool = False,
    exclude_owner: bool = False,
) -> list[Listing]:
    """Published listings of `kind` ranked by how many of `listing`'s words they share (any word
    may match), never `listing` itself. With `prefer_sector`, those of the same sector come
    first and the others fill up the rest; with `exclude_owner`, the owner's own are left out."""
    text = listing_words(listing)
    if not text or limit < 1:
        return []
    engine = get_engine()
    # Room for the listing itself and a few of its owner's, which are dropped afterwards.
    page_size = min(MAX_PAGE_SIZE, limit * 2 + 1)
    passes = [{"kind": (kind,)}]
    if prefer_sector:
        passes.insert(0, {"kind": (kind,), "sector": (listing.sector,)})
    ids: dict[str, None] = {}
    for filters in passes:
        request = SearchRequest(
            text=text, types=(ADAPTER,), filters=filters, match="any", page_size=page_size
        )
        ids.update(dict.fromkeys(hit.id for hit in engine.search(request).hits))
    found = [
        other
        for other in listings_by_ids(ids)
        if other.pk != listing.pk and not (exclude_owner and other.owner_id == listing.owner_id)
    ]
    return found[:limit]


def similar_listings(listing: Listing, limit: int = 4) -> list[Listing]:
    """Other listings of the same kind about the same things, for a listing's page."""
    return listings_like(listing, kind=listing.kind, limit=limit)


# --- deal outcomes (for the ecosystem dashboard) -----------------------------------------------


@dataclass
class DealOutcomes:
    count: int
    value_vnd: int
    # (code, label, count, value) rows, largest value first; TRL rows in level order.
    by_sector: list[tuple[str, str, int, int]]
    by_trl: list[tuple[int, str, int, int]]
    by_source: dict[str, tuple[int, int]]


def deal_outcomes(*, since=None, until=None) -> DealOutcomes:
    """How many technology deals were concluded and their value (negotiated deals at the agreed
    amount, licences bought at the paid price), overall and by sector, TRL and source; `since`
    and `until` bound `concluded_at`. Four aggregate queries, whatever the data size."""
    deals = Deal.objects.all()
    if since is not None:
        deals = deals.filter(concluded_at__gte=since)
    if until is not None:
        deals = deals.filter(concluded_at__lt=until)
    totals = deals.aggregate(n=Count("pk"), value=Sum("amount_vnd"))
    sectors = dict(Sector.choices)

    def grouped(field: str):
        return deals.values_list(field).annotate(n=Count("pk"), value=Sum("amount_vnd")).order_by()

    by_sector = sorted(
        ((code, str(sectors.get(code, code)), n, value) for code, n, value in grouped("sector")),
        key=lambda row: (-row[3], row[1]),
    )
    by_trl = sorted(
        (level, str(TRL_LABELS.get(level, level)), n, value) for level, n, value in grouped("trl")
    )
    by_source = {source: (n, value) for source, n, value in grouped("source")}
    return DealOutcomes(
        count=totals["n"] or 0,
        value_vnd=totals["value"] or 0,
        by_sector=by_sector,
        by_trl=by_trl,
        by_source=by_source,
    )

"""Open data: the published listings of the technology exchange. The public fields only — the
owner's account, enquiries, orders and NDA acceptances never leave through here; confidential
documents are named, but their address still asks for the NDA."""

from datetime import date, datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from search.selectors import ListingQueryError, listing_payload, search_listing

from .exchange_query import parse_exchange_query
from .models import TRL_LABELS, Listing
from .selectors import listing_for_page, listings_by_ids

router = Router(tags=["technologies"])


class ListingListParams(Schema):
    """Documents the parameters; they are read and checked by the exchange's own parser so the
    page and the API accept exactly the same values."""

    q: str = Field("", description="Full text; diacritics optional ('cam bien').")
    kind: list[str] = Field([], description="offer or request.")
    sector: list[str] = Field([], description="Sector code; repeat for any of several.")
    trl: list[str] = Field([], description="Technology readiness level, 1 to 9.")
    licensing_model: list[str] = Field(
        [],
        description="exclusive, non_exclusive, assignment, co_development or research.",
    )
    ip_status: list[str] = Field(
        [], description="patent, utility_solution, patent_pending, know_how or none."
    )
    price_type: list[str] = Field([], description="fixed or negotiable.")
    owner_type: list[str] = Field(
        [], description="university, institute, enterprise, startup or individual."
    )
    sort: str = Field("relevance", description="relevance, newest or title.")
    page: str = Field("1", description="Page number, from 1.")
    page_size: str = Field("20", description="Results per page, 1 to 100.")


class CodeLabel(Schema):
    code: str
    label: str


class TrlOut(Schema):
    level: int
    label: str


class DocumentOut(Schema):
    title: str
    url: str
    confidential: bool


class ListingSummaryOut(Schema):
    slug: str
    url: str
    kind: CodeLabel
    title: str
    summary: str
    owner_organisation: str
    owner_type: CodeLabel
    sector: CodeLabel
    trl: TrlOut
    ip_status: CodeLabel
    licensing_model: CodeLabel
    price_type: CodeLabel
    price_vnd: int | None
    featured: bool
    images: list[str]
    published_at: datetime | None
    expires_on: date | None


class ListingOut(ListingSummaryOut):
    description: str
    ip_number: str
    ip_jurisdiction: str
    ip_filed_on: date | None
    ip_expires_on: date | None
    documents: list[DocumentOut]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class ListingListOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[ListingSummaryOut]
    facets: dict[str, list[FacetValueOut]]


def _choice(listing: Listing, name: str) -> dict:
    return {"code": getattr(listing, name), "label": getattr(listing, f"get_{name}_display")()}


def _summary(request: HttpRequest, listing: Listing) -> dict:
    """The public fields, named one by one: nothing reaches the API by default."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "slug": listing.slug,
            "url": request.build_absolute_uri(listing.get_absolute_url()),
            "kind": _choice(listing, "kind"),
            "title": listing.title,
            "summary": listing.summary,
            "owner_organisation": listing.owner_organisation,
            "owner_type": _choice(listing, "owner_type"),
            "sector": _choice(listing, "sector"),
            "trl": {"level": listing.trl, "label": str(TRL_LABELS[listing.trl])},
            "ip_status": _choice(listing, "ip_status"),
            "licensing_model": _choice(listing, "licensing_model"),
            "price_type": _choice(listing, "price_type"),
            "price_vnd": listing.price_vnd,
            "featured": listing.is_featured,
            "images": [
                request.build_absolute_uri(image.image.url) for image in listing.images.all()
            ],
            "published_at": listing.published_at,
            "expires_on": listing.expires_on,
        }


def _detail(request: HttpRequest, listing: Listing) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        documents = [
            {
                "title": document.title,
                "url": request.build_absolute_uri(
                    reverse(
                        "tech_exchange:document",
                        kwargs={"slug": listing.slug, "pk": document.pk},
                    )
                ),
                "confidential": document.confidential,
            }
            for document in listing.documents.all()
        ]
    return {
        **_summary(request, listing),
        "description": listing.description,
        "ip_number": listing.ip_number,
        "ip_jurisdiction": listing.ip_jurisdiction,
        "ip_filed_on": listing.ip_filed_on,
        "ip_expires_on": listing.ip_expires_on,
        "documents": documents,
    }


@router.get("", response=ListingListOut, summary="Technology offers and requests")
def list_listings(request: HttpRequest, params: Query[ListingListParams]):
    """Published listings, searched and filtered like the public exchange. Filters may repeat
    (any value within a filter, every filter must match); facets count each value under the
    other filters."""
    try:
        query, _problems = parse_exchange_query(request.GET, strict=True)
        results, _message = search_listing(query, strict=True)
    except ListingQueryError as error:
        raise HttpError(400, str(error)) from error
    listings = listings_by_ids(hit.id for hit in results.hits)
    return listing_payload(results, [_summary(request, listing) for listing in listings])


@router.get("/{slug}", response=ListingOut, summary="One technology listing")
def get_listing(request: HttpRequest, slug: str):
    """A published listing's public fields and its documents; anything not published is 404."""
    listing = listing_for_page(slug)
    if listing is None or not listing.is_public:
        raise HttpError(404, f"Không có công nghệ nào đang công bố với đường dẫn {slug!r}.")
    return _detail(request, listing)

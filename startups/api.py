"""Open data: the public startup directory. Only public fields leave through here — revenue,
contact details and documents never do, whoever asks."""

from datetime import date, datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from search.selectors import ListingQueryError, listing_payload, search_listing

from .directory import parse_directory_query
from .models import Startup
from .selectors import listed_startup, listed_startups_by_ids

router = Router(tags=["startups"])


class StartupListParams(Schema):
    """Documents the parameters; they are read and checked by the directory's own parser so the
    page and the API accept exactly the same values."""

    q: str = Field("", description="Full text; diacritics optional ('nong nghiep').")
    sector: list[str] = Field([], description="Sector code; repeat for any of several.")
    stage: list[str] = Field([], description="Stage code; repeat for any of several.")
    commune: list[str] = Field([], description="Ward/commune slug, e.g. phuong-hoan-kiem.")
    founded_year: list[str] = Field([], description="Founding year, e.g. 2021.")
    verification: list[str] = Field(
        [], description="current (re-confirmed within 12 months) or stale."
    )
    sort: str = Field("relevance", description="relevance, newest or title.")
    page: str = Field("1", description="Page number, from 1.")
    page_size: str = Field("20", description="Results per page, 1 to 100.")


class CodeLabel(Schema):
    code: str
    label: str


class CommuneOut(Schema):
    slug: str
    name: str


class StartupSummaryOut(Schema):
    slug: str
    url: str
    name: str
    english_name: str
    pitch: str
    logo: str | None
    sectors: list[CodeLabel]
    stage: CodeLabel
    legal_form: CodeLabel
    founded_on: date | None
    commune: CommuneOut
    team_size: int | None
    website: str
    funding_raised_vnd: int | None
    verified_at: datetime | None
    stale: bool


class StartupOut(StartupSummaryOut):
    address: str
    description: str
    products: str
    ip_held: str
    support_received: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class StartupListOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[StartupSummaryOut]
    facets: dict[str, list[FacetValueOut]]


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _summary(request: HttpRequest, startup: Startup) -> dict:
    """The public fields, named one by one: nothing reaches the API by default."""
    with translation.override(settings.LANGUAGE_CODE):
        path = startup.get_absolute_url()
    return {
        "slug": startup.slug,
        "url": _absolute(request, path),
        "name": startup.name,
        "english_name": startup.english_name,
        "pitch": startup.pitch,
        "logo": _absolute(request, startup.logo.url) if startup.logo else None,
        "sectors": [
            {"code": code, "label": str(label)}
            for code, label in zip(startup.sector_codes, startup.sector_labels, strict=True)
        ],
        "stage": {"code": startup.stage, "label": startup.get_stage_display()},
        "legal_form": {"code": startup.legal_form, "label": startup.get_legal_form_display()},
        "founded_on": startup.founded_on,
        "commune": {"slug": startup.commune.slug, "name": startup.commune.full_name},
        "team_size": startup.team_size,
        "website": startup.website,
        "funding_raised_vnd": startup.funding_raised_vnd,
        "verified_at": startup.verified_at,
        "stale": startup.is_stale,
    }


def _detail(request: HttpRequest, startup: Startup) -> dict:
    return {
        **_summary(request, startup),
        "address": startup.address,
        "description": startup.description,
        "products": startup.products,
        "ip_held": startup.ip_held,
        "support_received": startup.support_received,
    }


@router.get("", response=StartupListOut, summary="List verified startups")
def list_startups(request: HttpRequest, params: Query[StartupListParams]):
    """Verified startups, searched and filtered like the public directory. Filters may repeat
    (any value within a filter, every filter must match); facets count each value under the
    other filters."""
    try:
        query, _problems = parse_directory_query(request.GET, strict=True)
        results, _message = search_listing(query, strict=True)
    except ListingQueryError as error:
        raise HttpError(400, str(error)) from error
    startups = listed_startups_by_ids(hit.id for hit in results.hits)
    return listing_payload(results, [_summary(request, startup) for startup in startups])


@router.get("/{slug}", response=StartupOut, summary="One verified startup")
def get_startup(request: HttpRequest, slug: str):
    """A verified startup's public profile; anything not in the public directory is 404."""
    startup = listed_startup(slug)
    if startup is None:
        raise HttpError(404, f"No startup in the public directory has the slug {slug!r}.")
    return _detail(request, startup)

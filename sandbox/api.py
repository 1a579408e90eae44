"""Open data: the public sandbox register. Entries and their dated history only: applications
and concerns from the public never leave through here."""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from search.selectors import ListingQueryError, listing_payload, search_listing

from .register_data import entry_data, entry_detail_data, public_entries_by_ids
from .register_query import parse_register_query
from .selectors import register_entries, with_history

router = Router(tags=["sandbox"])


class RegisterParams(Schema):
    """Documents the parameters; they are read and checked by the register's own parser so the
    page, its downloads and the API accept exactly the same values."""

    q: str = Field("", description="Full text; diacritics optional ('xe tu hanh').")
    domain: list[str] = Field([], description="Domain code, e.g. fintech; repeat for several.")
    status: list[str] = Field(
        [],
        description="approved, testing, extended, suspended, exited, graduated or revoked.",
    )
    agency: list[str] = Field([], description="Supervising agency code, e.g. state_bank.")
    year: list[str] = Field([], description="Year testing started, e.g. 2026.")
    sort: str = Field("newest", description="newest (decision date), relevance or title.")
    page: str = Field("1", description="Page number, from 1.")
    page_size: str = Field("20", description="Results per page, 1 to 100.")


class CodeLabel(Schema):
    code: str
    label: str


class EntryOut(Schema):
    slug: str
    url: str
    participant: str
    enterprise_code: str
    startup_url: str | None
    title: str
    domain: CodeLabel
    agency: CodeLabel
    status: CodeLabel
    decision_number: str
    decision_date: date
    scope: str
    exemptions: str
    conditions: str
    customer_cap: int | None
    transaction_cap_vnd: int | None
    test_space: CodeLabel
    test_area: str
    start_date: date
    end_date: date
    ended_on: date | None
    outcome_report: str
    lessons_learned: str


class HistoryItemOut(Schema):
    effective_on: date
    kind: CodeLabel
    decision_number: str
    decision_date: date | None
    document: str | None
    from_status: CodeLabel | None
    to_status: CodeLabel
    previous_end_date: date | None
    new_end_date: date | None
    note: str


class EntryDetailOut(EntryOut):
    history: list[HistoryItemOut]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class RegisterListOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[EntryOut]
    facets: dict[str, list[FacetValueOut]]


@router.get("", response=RegisterListOut, summary="The sandbox register")
def list_entries(request: HttpRequest, params: Query[RegisterParams]):
    """Register entries in every status (ended tests stay on record), searched and filtered like
    the public register. Filters may repeat (any value within a filter, every filter must
    match); facets count each value under the other filters."""
    try:
        query, _problems = parse_register_query(request.GET, strict=True)
        results, _message = search_listing(query, strict=True)
    except ListingQueryError as error:
        raise HttpError(400, str(error)) from error
    entries = public_entries_by_ids(hit.id for hit in results.hits)
    return listing_payload(
        results, [entry_data(entry, request.build_absolute_uri) for entry in entries]
    )


@router.get("/{slug}", response=EntryDetailOut, summary="One register entry and its history")
def get_entry(request: HttpRequest, slug: str):
    """An entry's public fields and its dated history, oldest first, each item with the link to
    its decision document when there is one."""
    entry = with_history(register_entries().select_related("startup")).filter(slug=slug).first()
    if entry is None:
        raise HttpError(404, f"Không có mục nào trong sổ đăng ký sandbox với đường dẫn {slug!r}.")
    return entry_detail_data(entry, request.build_absolute_uri)

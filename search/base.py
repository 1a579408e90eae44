"""What every engine answers: the request it takes and the results it returns."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

SORTS = ("relevance", "newest", "title")
# How the words of `text` combine: every word must match, or any one of them (ranked by how many
# and how well they match: "more like this", e.g. matching an offer against requests).
MATCHES = ("all", "any")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    types: tuple[str, ...] = ()
    # facet field → accepted values: any value within a field, every field must match
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    language: str | None = None
    published_after: datetime | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    match: str = "all"

    def __post_init__(self):
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}")
        if self.match not in MATCHES:
            raise ValueError(f"unknown match {self.match!r}")
        if self.page < 1 or not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ValueError("page must be ≥ 1 and page_size within 1..100")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class Hit:
    type: str
    id: str
    title: str
    url: str
    snippet: str  # safe HTML: escaped text with <mark> around matches
    score: float
    published_at: datetime | None = None
    fields: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class Suggestion:
    type: str
    title: str
    url: str


@dataclass(frozen=True)
class SearchResults:
    request: SearchRequest
    hits: list[Hit]
    total: int
    facets: Mapping[str, list[FacetValue]]
    type_counts: Mapping[str, int]
    corrected_text: str | None = None  # the query as the engine understood it, when it fixed typos

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.request.page_size))

    @property
    def has_next(self) -> bool:
        return self.request.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.request.page > 1


class Engine:
    """The interface both engines implement."""

    name = ""

    def index(self, adapter, documents: list[dict]) -> None:
        raise NotImplementedError

    def delete(self, adapter, ids: list[str]) -> None:
        raise NotImplementedError

    def search(self, request: SearchRequest) -> SearchResults:
        raise NotImplementedError

    def suggest(
        self, prefix: str, *, types: tuple[str, ...] = (), limit: int = 8
    ) -> list[Suggestion]:
        raise NotImplementedError

    def rebuild(self, adapters, progress=None) -> dict[str, int]:
        """Loads every public record of `adapters` afresh; searches keep working meanwhile."""
        raise NotImplementedError

    def check(self) -> None:
        """Raises when the engine cannot be reached."""
        raise NotImplementedError

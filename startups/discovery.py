"""Verified startups in discovery. Only public fields enter the document: revenue, contact
details and documents never do."""

from collections.abc import Iterator, Mapping

from django.utils.translation import gettext_lazy as _
from elasticsearch_dsl import Keyword

from portal.core.models import Commune
from search.documents import DiscoveryDocument, record_fields
from search.registry import DiscoveryAdapter, register

from .models import Sector, Stage, Startup
from .selectors import listed_startups, with_listing_relations


class StartupDocument(DiscoveryDocument):
    sector = Keyword(multi=True)
    stage = Keyword()
    commune = Keyword()
    founded_year = Keyword()
    verification = Keyword()

    class Index:
        name = "startups"


class CommuneLabels(Mapping):
    """Commune slug → name, read from the reference table when a facet is first labelled."""

    def __init__(self):
        self._labels: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._labels is None:
            self._labels = dict(Commune.objects.values_list("slug", "full_name"))
        return self._labels

    def __getitem__(self, key: str) -> str:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def startup_to_document(startup: Startup) -> dict:
    return {
        **record_fields(
            startup,
            title=startup.name,
            body=[startup.english_name, startup.pitch, startup.description, startup.products],
            published_at=startup.verified_at,
        ),
        "sector": startup.sector_codes,
        "stage": startup.stage,
        "commune": startup.commune.slug,
        "founded_year": str(startup.founded_on.year) if startup.founded_on else "",
        "verification": "stale" if startup.is_stale else "current",
    }


def startup_is_public(startup: Startup) -> bool:
    return startup.is_listed


def public_startups():
    return with_listing_relations(listed_startups())


register(
    DiscoveryAdapter(
        name="startups",
        label=_("Startups"),
        model=Startup,
        document=StartupDocument,
        to_document=startup_to_document,
        is_public=startup_is_public,
        public_queryset=public_startups,
        facets=("sector", "stage", "commune", "founded_year", "verification"),
        facet_labels={
            "sector": _("Sector"),
            "stage": _("Stage"),
            "commune": _("Ward/commune"),
            "founded_year": _("Founded"),
            "verification": _("Verification"),
        },
        value_labels={
            "sector": dict(Sector.choices),
            "stage": dict(Stage.choices),
            "commune": CommuneLabels(),
            "verification": {
                "current": _("Verified, up to date"),
                "stale": _("Verified, re-confirmation overdue"),
            },
        },
    )
)

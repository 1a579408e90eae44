"""The sandbox register in discovery: every entry is public, ended ones too."""

from django.utils.translation import gettext_lazy as _
from elasticsearch_dsl import Keyword

from search.documents import DiscoveryDocument, record_fields
from search.registry import DiscoveryAdapter, register

from .models import Agency, Domain, Entry, EntryStatus
from .selectors import register_entries


class SandboxEntryDocument(DiscoveryDocument):
    domain = Keyword()
    status = Keyword()
    agency = Keyword()
    year = Keyword()
    enterprise_code = Keyword()

    class Index:
        name = "sandbox"


def entry_to_document(entry: Entry) -> dict:
    return {
        **record_fields(
            entry,
            title=f"{entry.participant}: {entry.title}",
            body=[
                entry.title,
                entry.scope,
                entry.exemptions,
                entry.conditions,
                entry.outcome_report,
            ],
            published_at=entry.decision_date,
        ),
        "domain": entry.domain,
        "status": entry.status,
        "agency": entry.agency,
        "year": str(entry.start_date.year),
        "enterprise_code": entry.enterprise_code,
    }


register(
    DiscoveryAdapter(
        name="sandbox",
        label=_("Sandbox register"),
        model=Entry,
        document=SandboxEntryDocument,
        to_document=entry_to_document,
        is_public=lambda entry: True,
        public_queryset=register_entries,
        facets=("domain", "status", "agency", "year"),
        facet_labels={
            "domain": _("Domain"),
            "status": _("Status"),
            "agency": _("Supervising agency"),
            "year": _("Year testing started"),
        },
        value_labels={
            "domain": dict(Domain.choices),
            "status": dict(EntryStatus.choices),
            "agency": dict(Agency.choices),
        },
    )
)

"""The sandbox register in discovery: every entry is public, ended ones too."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from elasticsearch_dsl import Keyword

from search.documents import DiscoveryDocument
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
    with translation.override("vi"):
        url = entry.get_absolute_url()
    body = [entry.title, entry.scope, entry.exemptions, entry.conditions, entry.outcome_report]
    return {
        "title": f"{entry.participant}: {entry.title}",
        "body": "\n".join(part for part in body if part),
        "url": url,
        "language": "vi",
        "published_at": entry.decision_date,
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

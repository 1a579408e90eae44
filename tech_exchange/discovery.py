"""Technology listings in discovery. Only published listings are public: a draft, one under
review, a closed or an expired listing has no document (the search signals refresh it on every
save, so closing or expiring removes it). Confidential documents never enter; the summary is
the owner's non-confidential text."""

from django.utils.translation import gettext_lazy as _
from elasticsearch_dsl import Keyword

from search.documents import DiscoveryDocument, record_fields
from search.registry import DiscoveryAdapter, register
from startups.models import Sector

from .exchange_query import ADAPTER, FILTER_FIELDS
from .models import TRL_LABELS, IPStatus, Kind, LicensingModel, Listing, OwnerType, PriceType
from .selectors import public_listings


class TechnologyDocument(DiscoveryDocument):
    kind = Keyword()
    sector = Keyword()
    trl = Keyword()
    licensing_model = Keyword()
    ip_status = Keyword()
    price_type = Keyword()
    owner_type = Keyword()

    class Index:
        name = "technologies"


def listing_to_document(listing: Listing) -> dict:
    return {
        **record_fields(
            listing,
            title=listing.title,
            body=[listing.summary, listing.description, listing.owner_organisation],
            published_at=listing.published_at,
        ),
        "kind": listing.kind,
        "sector": listing.sector,
        "trl": str(listing.trl),
        "licensing_model": listing.licensing_model,
        "ip_status": listing.ip_status,
        "price_type": listing.price_type,
        "owner_type": listing.owner_type,
    }


register(
    DiscoveryAdapter(
        name=ADAPTER,
        label=_("Technologies"),
        model=Listing,
        document=TechnologyDocument,
        to_document=listing_to_document,
        is_public=lambda listing: listing.is_public,
        public_queryset=lambda: public_listings().order_by("pk"),
        facets=FILTER_FIELDS,
        facet_labels={
            "kind": _("Offer or request"),
            "sector": _("Sector"),
            "trl": _("Readiness (TRL)"),
            "licensing_model": _("Licensing model"),
            "ip_status": _("IP status"),
            "price_type": _("Price"),
            "owner_type": _("Owner"),
        },
        value_labels={
            "kind": dict(Kind.choices),
            "sector": dict(Sector.choices),
            "trl": {str(level): label for level, label in TRL_LABELS.items()},
            "licensing_model": dict(LicensingModel.choices),
            "ip_status": dict(IPStatus.choices),
            "price_type": dict(PriceType.choices),
            "owner_type": dict(OwnerType.choices),
        },
    )
)

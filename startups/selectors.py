"""Reads of the registry that more than one place needs."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .models import RevenueSource, Startup, StartupSector, Status

STARTUP_TARGET = 5_000
REVENUE_THRESHOLD_VND = 100_000_000_000
REVENUE_SHARE_TARGET = 0.20
VERIFIED_REVENUE_SOURCES = (RevenueSource.AUDITED, RevenueSource.TAX_VERIFIED)


def with_listing_relations(queryset: QuerySet) -> QuerySet:
    """What a directory card or export row reads, in two queries whatever the page size."""
    return queryset.select_related("commune").prefetch_related(
        Prefetch("sector_links", queryset=StartupSector.objects.order_by("sector"))
    )


def listed_startups() -> QuerySet:
    """Every startup the public directory shows: verified ones, stale ones included."""
    return Startup.objects.filter(status=Status.VERIFIED)


def counted_startups() -> QuerySet:
    """The startups that count towards the city's target: verified and not stale."""
    return listed_startups().filter(is_stale=False)


@dataclass(frozen=True)
class RegistryTargets:
    verified: int
    target: int
    with_large_revenue: int
    revenue_threshold_vnd: int
    revenue_share_target: float

    @property
    def progress(self) -> float:
        return self.verified / self.target

    @property
    def revenue_share(self) -> float:
        return self.with_large_revenue / self.verified if self.verified else 0.0


def registry_targets() -> RegistryTargets:
    """Verified, non-stale startups against 5,000, and the share of them whose revenue of at least
    100 billion VND is verified (audited or tax-verified) against 20 %."""
    counted = counted_startups()
    return RegistryTargets(
        verified=counted.count(),
        target=STARTUP_TARGET,
        with_large_revenue=counted.filter(
            revenue_vnd__gte=REVENUE_THRESHOLD_VND, revenue_source__in=VERIFIED_REVENUE_SOURCES
        ).count(),
        revenue_threshold_vnd=REVENUE_THRESHOLD_VND,
        revenue_share_target=REVENUE_SHARE_TARGET,
    )

"""Reads of the registry that more than one place needs."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Claim,
    ClaimMethod,
    ClaimStatus,
    Invitation,
    MemberRole,
    Membership,
    PastMembership,
    RevenueSource,
    Startup,
    StartupSector,
    Status,
)

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


def listed_startups_by_ids(ids: Iterable[str | int]) -> list[Startup]:
    """The listed startups with these ids (e.g. search hits), in the same order, with what a card
    shows: two queries whatever the number of ids. Ids no longer listed are left out."""
    pks = [int(pk) for pk in ids if str(pk).isdigit()]
    if not pks:
        return []
    found = with_listing_relations(listed_startups()).in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def startup_for_profile(slug: str) -> Startup | None:
    """One startup with what its profile page shows, whatever its status (the caller checks who
    may see it); `has_members` says whether anyone has claimed it yet."""
    members = Membership.objects.filter(startup=OuterRef("pk"))
    return (
        with_listing_relations(Startup.objects.all())
        .annotate(has_members=Exists(members))
        .filter(slug=slug)
        .first()
    )


def listed_startup(slug: str) -> Startup | None:
    """A startup the public may see, by its slug."""
    return with_listing_relations(listed_startups()).filter(slug=slug).first()


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


# --- the founder's workspace (/me/startups/) --------------------------------------------------


def memberships_of(user) -> QuerySet:
    """The user's startups, as memberships, with what a workspace row shows."""
    return (
        Membership.objects.filter(user=user)
        .select_related("startup", "startup__commune")
        .order_by("startup__name")
    )


def pending_invitations_for(user) -> QuerySet:
    """Open invitations addressed to the user's email."""
    return (
        Invitation.objects.filter(
            email__iexact=user.email, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .exclude(startup__memberships__user=user)
        .select_related("startup", "invited_by")
    )


def pending_claims_of(user) -> QuerySet:
    """The user's open claims; a code claim whose code has run out is no longer open."""
    return (
        Claim.objects.filter(user=user, status=ClaimStatus.PENDING)
        .filter(~Q(method=ClaimMethod.EMAIL_CODE) | Q(expires_at__gt=timezone.now()))
        .select_related("startup")
    )


def ties_between(user, startup) -> list[str]:
    """How `user` is tied to `startup` (for conflict-of-interest checks), in words: current or
    former member, or the startup's registered contact."""
    ties = []
    membership = Membership.objects.filter(user=user, startup=startup).first()
    if membership is not None:
        ties.append(
            _("founder (owner) of the startup")
            if membership.role == MemberRole.OWNER
            else _("member of the startup")
        )
    if PastMembership.objects.filter(user=user, startup=startup).exists():
        ties.append(_("former member of the startup"))
    if startup.contact_email and startup.contact_email.lower() == user.email.lower():
        ties.append(_("the startup's registered contact"))
    return [str(tie) for tie in ties]

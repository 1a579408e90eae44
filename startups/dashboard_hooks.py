"""What the registry gives the ecosystem dashboard: its two target figures and the verified
startups by sector and by ward/commune, each row linking to the filtered directory."""

from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from portal.dashboard.sources import (
    Chart,
    ChartRow,
    IndicatorSource,
    OverdueRow,
    OverdueSection,
    Reading,
    shared,
)

from .models import Sector, StartupSector
from .selectors import counted_startups, listed_startups, registry_targets

COMMUNES_SHOWN = 15


def _registry_targets():
    """Read once per dashboard pass, however many figures and charts show it."""
    return shared("startups.registry_targets", registry_targets)


def _source() -> str:
    return _("Startup registry of the portal")


def _verification() -> str:
    return _("Verified by the Department of Science and Technology; re-confirmed every 12 months")


def _verified() -> Reading:
    return Reading(
        value=Decimal(_registry_targets().verified),
        as_of=timezone.localdate(),
        source=_source(),
        verification=_verification(),
        url=reverse("startups:directory") + "?verification=current",
    )


def _revenue_share() -> Reading:
    targets = _registry_targets()
    return Reading(
        value=(Decimal(targets.revenue_share) * 100).quantize(Decimal("0.01"))
        if targets.verified
        else None,
        as_of=timezone.localdate(),
        source=_source(),
        verification=_(
            "Revenue of at least 100 billion VND, audited or verified by the tax authority"
        ),
        url=reverse("startups:directory"),
    )


@hooks.register("register_indicator_sources")
def registry_sources():
    return [
        IndicatorSource(
            "startups.verified",
            gettext_lazy("Verified startups, data up to date"),
            "count",
            _verified,
        ),
        IndicatorSource(
            "startups.revenue_share",
            gettext_lazy("Share of verified startups with revenue of at least 100 billion VND"),
            "percent",
            _revenue_share,
        ),
    ]


@hooks.register("register_dashboard_charts")
def registry_charts():
    directory = reverse("startups:directory")
    counted = counted_startups()
    labels = dict(Sector.choices)
    by_sector = (
        StartupSector.objects.filter(startup__in=counted)
        .values_list("sector")
        .annotate(n=Count("pk"))  # a startup has each sector once (startup_sector_unique)
        .order_by("-n", "sector")
    )
    by_commune = (
        counted.values_list("commune__slug", "commune__full_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune__full_name")[:COMMUNES_SHOWN]
    )
    return [
        Chart(
            key="startups_by_sector",
            title=_("Verified startups by sector"),
            unit="count",
            source=_source(),
            rows=[
                ChartRow(str(labels.get(code, code)), n, f"{directory}?sector={code}")
                for code, n in by_sector
            ],
        ),
        Chart(
            key="startups_by_commune",
            title=_("Verified startups by ward/commune (the %(count)d with most)")
            % {"count": COMMUNES_SHOWN},
            unit="count",
            source=_source(),
            rows=[ChartRow(name, n, f"{directory}?commune={slug}") for slug, name, n in by_commune],
        ),
    ]


@hooks.register("register_overdue_items")
def registry_overdue_items():
    """For the weekly report: listed startups that missed their yearly re-confirmation (stale:
    shown in the directory but no longer counted towards the target)."""
    stale = (
        listed_startups()
        .filter(is_stale=True)
        .select_related("commune")
        .order_by("confirmation_due_on", "name", "pk")
    )
    return [
        OverdueSection(
            key="startups.stale",
            title=_("Startups whose data is out of date (re-confirmation missed)"),
            rows=[
                OverdueRow(
                    text=_("%(name)s (%(code)s), %(commune)s")
                    % {
                        "name": startup.name,
                        "code": startup.enterprise_code,
                        "commune": startup.commune.full_name,
                    },
                    due=startup.confirmation_due_on,
                    url=reverse("startup_review", args=[startup.pk]),
                )
                for startup in stale
            ],
        )
    ]

"""What the sandbox gives the ecosystem dashboard: tests under way, and register entries by
status, each linking to the register filtered by it."""

from datetime import timedelta
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
)

from .models import EntryStatus
from .selectors import register_entries

UNDER_WAY = (EntryStatus.TESTING, EntryStatus.EXTENDED)


def _source() -> str:
    return _("Sandbox register of the portal")


def _under_way() -> Reading:
    register = reverse("sandbox:register")
    return Reading(
        value=Decimal(register_entries().filter(status__in=UNDER_WAY).count()),
        as_of=timezone.localdate(),
        source=_source(),
        verification=_("Entries created by approval decisions and kept current by staff"),
        url=f"{register}?status=testing&status=extended",
    )


@hooks.register("register_indicator_sources")
def sandbox_sources():
    return [
        IndicatorSource(
            "sandbox.under_way", gettext_lazy("Sandbox tests under way"), "count", _under_way
        )
    ]


@hooks.register("register_dashboard_charts")
def sandbox_charts():
    register = reverse("sandbox:register")
    counts = dict(register_entries().values_list("status").annotate(n=Count("pk")).order_by())
    return [
        Chart(
            key="sandbox_by_status",
            title=_("Sandbox register entries by status"),
            unit="count",
            source=_source(),
            rows=[
                ChartRow(str(status.label), counts.get(status, 0), f"{register}?status={status}")
                for status in EntryStatus
            ],
        )
    ]


# The weekly report warns of test periods ending within this many days.
ENDING_WITHIN = timedelta(days=30)


@hooks.register("register_overdue_items")
def sandbox_overdue_items():
    """For the weekly report: approved or running tests whose period ends within 30 days (or has
    ended without the daily sweep closing it yet), so a decision to extend or exit is taken in
    time."""
    ending = (
        register_entries()
        .filter(
            status__in=(EntryStatus.APPROVED, *UNDER_WAY),
            end_date__lte=timezone.localdate() + ENDING_WITHIN,
        )
        .order_by("end_date", "pk")
    )
    return [
        OverdueSection(
            key="sandbox.ending",
            title=_("Sandbox test periods ending within 30 days"),
            rows=[
                OverdueRow(
                    text=_("%(participant)s: %(title)s (%(decision)s, %(status)s)")
                    % {
                        "participant": entry.participant,
                        "title": entry.title,
                        "decision": entry.decision_number,
                        "status": entry.get_status_display(),
                    },
                    due=entry.end_date,
                    url=reverse("sandbox_entry_manage", args=[entry.pk]),
                )
                for entry in ending
            ],
        )
    ]

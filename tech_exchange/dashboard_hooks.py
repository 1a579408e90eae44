"""What the exchange gives the ecosystem dashboard: deals and their value, by sector and TRL,
each row linking to the exchange filtered the same way."""

from decimal import Decimal

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

from .models import Enquiry, EnquiryStatus
from .selectors import deal_outcomes


def _deal_outcomes():
    """Read once per dashboard pass, however many figures and charts show it."""
    return shared("tech_exchange.deal_outcomes", deal_outcomes)


def _source() -> str:
    return _("Technology exchange records of the portal")


def _verification() -> str:
    return _("Deals recorded by listing owners and licences paid through Stripe")


def _reading(value) -> Reading:
    return Reading(
        value=Decimal(value),
        as_of=timezone.localdate(),
        source=_source(),
        verification=_verification(),
        url=reverse("tech_exchange:exchange"),
    )


@hooks.register("register_indicator_sources")
def exchange_sources():
    return [
        IndicatorSource(
            "exchange.deals",
            gettext_lazy("Technology deals concluded"),
            "count",
            lambda: _reading(_deal_outcomes().count),
        ),
        IndicatorSource(
            "exchange.deal_value",
            gettext_lazy("Value of technology deals"),
            "vnd",
            lambda: _reading(_deal_outcomes().value_vnd),
        ),
    ]


@hooks.register("register_dashboard_charts")
def exchange_charts():
    outcomes = _deal_outcomes()
    exchange = reverse("tech_exchange:exchange")
    return [
        Chart(
            key="deals_by_sector",
            title=_("Value of technology deals by sector"),
            unit="vnd",
            source=_source(),
            rows=[
                ChartRow(label, value, f"{exchange}?sector={code}")
                for code, label, _n, value in outcomes.by_sector
            ],
        ),
        Chart(
            key="deals_by_trl",
            title=_("Technology deals by readiness level (TRL)"),
            unit="count",
            source=_source(),
            rows=[
                ChartRow(label, n, f"{exchange}?trl={level}")
                for level, label, n, _value in outcomes.by_trl
            ],
        ),
    ]


@hooks.register("register_overdue_items")
def exchange_overdue_items():
    """For the weekly report: enquiries still unanswered past the owner's answer deadline. Staff
    follow them up from the listing's review page, where its enquiries are listed."""
    unanswered = (
        Enquiry.objects.filter(status=EnquiryStatus.OPEN, answer_due_at__lt=timezone.now())
        .select_related("listing", "sender")
        .order_by("answer_due_at", "pk")
    )
    return [
        OverdueSection(
            key="exchange.enquiries",
            title=_("Technology enquiries unanswered past their deadline"),
            rows=[
                OverdueRow(
                    text=_("%(listing)s (%(owner)s): enquiry from %(sender)s")
                    % {
                        "listing": enquiry.listing.title,
                        "owner": enquiry.listing.owner_organisation,
                        "sender": enquiry.organisation or str(enquiry.sender),
                    },
                    due=timezone.localdate(enquiry.answer_due_at),
                    url=reverse("tech_exchange_listing_review", args=[enquiry.listing_id])
                    + "#enquiries",
                )
                for enquiry in unanswered
            ],
        )
    ]

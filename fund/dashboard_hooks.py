"""What the fund gives the ecosystem dashboard: capital committed (in all and from the city
budget), the disbursement rate, applications and co-investment, and the pipeline funnel."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from portal.core.formatting import format_vnd
from portal.dashboard.sources import (
    Chart,
    ChartRow,
    IndicatorSource,
    OverdueRow,
    OverdueSection,
    Reading,
    shared,
)

from .models import CapitalSource
from .selectors import fund_figures, fund_index_url, overdue_applications, overdue_tranches


def _fund_figures():
    """Read once per dashboard pass, however many figures and charts show it."""
    return shared("fund.fund_figures", fund_figures)


def _reading(value, verification: str) -> Reading:
    return Reading(
        value=None if value is None else Decimal(value),
        as_of=timezone.localdate(),
        source=_("Venture fund records of the portal"),
        verification=verification,
        url=fund_index_url(),
    )


def _committed() -> Reading:
    return _reading(
        _fund_figures().committed_capital_vnd,
        _("Capital commitments recorded by the fund managers"),
    )


def _city_budget() -> Reading:
    return _reading(
        _fund_figures().capital_by_source[CapitalSource.CITY_BUDGET],
        _("City budget commitments recorded by the fund managers"),
    )


def _disbursement_rate() -> Reading:
    rate = _fund_figures().disbursement_rate
    return _reading(
        None if rate is None else (rate * 100).quantize(Decimal("0.01")),
        _("Tranches disbursed ÷ investments approved by the investment committee"),
    )


def _applications() -> Reading:
    submitted = sum(n for status, _label, n in _fund_figures().funnel if status == "submitted")
    return _reading(submitted, _("Applications submitted by verified startups"))


def _co_investment() -> Reading:
    return _reading(
        _fund_figures().co_investment_vnd,
        _("Co-investment declared on applications the committee approved"),
    )


@hooks.register("register_indicator_sources")
def fund_sources():
    return [
        IndicatorSource(
            "fund.committed_capital",
            gettext_lazy("Venture fund capital committed"),
            "vnd",
            _committed,
        ),
        IndicatorSource(
            "fund.city_budget",
            gettext_lazy("City budget committed to the fund"),
            "vnd",
            _city_budget,
        ),
        IndicatorSource(
            "fund.disbursement_rate",
            gettext_lazy("Disbursement rate of the fund's investments"),
            "percent",
            _disbursement_rate,
        ),
        IndicatorSource(
            "fund.applications", gettext_lazy("Fund applications submitted"), "count", _applications
        ),
        IndicatorSource(
            "fund.co_investment",
            gettext_lazy("Private co-investment matched"),
            "vnd",
            _co_investment,
        ),
    ]


@hooks.register("register_dashboard_charts")
def fund_charts():
    figures = _fund_figures()
    url = fund_index_url()
    return [
        Chart(
            key="fund_funnel",
            title=_("Fund applications: how far they got"),
            unit="count",
            source=_("Venture fund records of the portal"),
            rows=[ChartRow(str(label), n, url) for _status, label, n in figures.funnel],
            funnel=True,
        ),
        Chart(
            key="fund_money",
            title=_("Fund capital: committed, invested and disbursed"),
            unit="vnd",
            source=_("Venture fund records of the portal"),
            rows=[
                ChartRow(_("Committed capital"), figures.committed_capital_vnd, url),
                ChartRow(_("Invested (approved by the committee)"), figures.invested_vnd, url),
                ChartRow(_("Disbursed"), figures.disbursed_vnd, url),
            ],
        ),
    ]


@hooks.register("register_overdue_items")
def fund_overdue_items():
    """For the weekly report: applications past their stage's service deadline, and tranches
    past their planned date and not disbursed."""
    return [
        OverdueSection(
            key="fund.applications",
            title=_("Fund applications past their stage deadline"),
            rows=[
                OverdueRow(
                    text=_("%(startup)s · %(call)s: “%(stage)s”")
                    % {
                        "startup": application.startup.name,
                        "call": application.call.title,
                        "stage": application.get_status_display(),
                    },
                    due=timezone.localdate(application.stage_due_at),
                    url=reverse("fund_admin_application", args=[application.pk]),
                )
                for application in overdue_applications()
            ],
        ),
        OverdueSection(
            key="fund.tranches",
            title=_("Fund tranches overdue"),
            rows=[
                OverdueRow(
                    text=_("%(startup)s · tranche %(number)d: %(amount)s")
                    % {
                        "startup": tranche.investment.application.startup.name,
                        "number": tranche.number,
                        "amount": format_vnd(tranche.amount_vnd),
                    },
                    due=tranche.planned_on,
                    url=reverse("fund_admin_tranche", args=[tranche.pk]),
                )
                for tranche in overdue_tranches()
            ],
        ),
    ]

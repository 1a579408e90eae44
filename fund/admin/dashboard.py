"""The fund dashboard for its managers: capital against the target, invested, disbursed and
remaining, the disbursement rate, private co-investment, the pipeline funnel and what is
overdue."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import selectors
from ..models import CapitalSource
from .access import FundManagerRequiredMixin

# Overdue records listed on the dashboard; the queues' "overdue" filter shows them all.
OVERDUE_SHOWN = 20


def percent(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else ratio * 100


def funnel_rows(funnel) -> list[dict]:
    """The funnel with each stage's bar length relative to the widest stage."""
    widest = max((count for _status, _label, count in funnel), default=0)
    return [
        {
            "status": status,
            "label": label,
            "count": count,
            "width": round(count * 100 / widest) if widest else 0,
        }
        for status, label, count in funnel
    ]


class FundDashboardView(FundManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "fund/admin/dashboard.html"
    header_icon = "table"

    def get_page_title(self):
        return _("Fund dashboard")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": _("Fund dashboard")}]

    def get_context_data(self, **kwargs):
        figures = selectors.fund_figures()
        target = figures.target_vnd
        capital = [
            {
                "label": CapitalSource(source).label,
                "amount": amount,
                "share": percent(Decimal(amount) / Decimal(target)) if target else None,
            }
            for source, amount in figures.capital_by_source.items()
        ]
        return super().get_context_data(
            figures=figures,
            capital=capital,
            capital_share=percent(figures.capital_share_of_target),
            disbursement_rate=percent(figures.disbursement_rate),
            funnel=funnel_rows(figures.funnel),
            overdue_applications=selectors.overdue_applications()[:OVERDUE_SHOWN],
            overdue_tranches=selectors.overdue_tranches()[:OVERDUE_SHOWN],
            **kwargs,
        )

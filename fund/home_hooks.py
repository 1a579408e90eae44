"""What the fund contributes to the home page: its committed capital against the city's target
and an entry point to its calls."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.core.formatting import format_vnd_compact

from .selectors import committed_capital, fund_index_url


@hooks.register("portal_headline_figures")
def fund_capital_figure(request) -> list[dict]:
    # Only the fund's size: every home page request runs this, and fund_figures() reads the
    # whole pipeline.
    capital_by_source, target = committed_capital()
    if not target:
        return []
    committed = sum(capital_by_source.values())
    share = Decimal(committed) / Decimal(target)
    return [
        {
            "value": format_vnd_compact(committed),
            "label": _("committed to the city's venture fund"),
            "target": _("target %(target)s · %(percent)s%% reached")
            % {
                "target": format_vnd_compact(target),
                "percent": number_format(round(share * 100, 1), decimal_pos=1),
            },
            "progress": float(min(share, 1)),
            "url": fund_index_url(request),
        }
    ]


@hooks.register("portal_sections")
def fund_section(request) -> list[dict]:
    url = fund_index_url(request)
    if not url:
        return []
    return [
        {
            "title": _("Venture fund"),
            "text": _(
                "See the fund's open calls, and apply for investment with a verified startup; "
                "follow your application stage by stage."
            ),
            "url": url,
        }
    ]

"""What the exchange contributes to the home page: how many offers and requests are open and an
entry point to the exchange."""

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from .models import Kind
from .selectors import published_counts


def _exchange_url(kind: str) -> str:
    params = QueryDict(mutable=True)
    params["kind"] = kind
    return f"{reverse('tech_exchange:exchange')}?{params.urlencode()}"


@hooks.register("portal_headline_figures")
def open_listings_figures(request) -> list[dict]:
    counts = published_counts()
    offers, requests = counts[Kind.OFFER], counts[Kind.REQUEST]
    return [
        {
            "value": str(offers),
            "label": ngettext(
                "technology offered on the exchange", "technologies offered on the exchange", offers
            ),
            "url": _exchange_url(Kind.OFFER),
        },
        {
            "value": str(requests),
            "label": ngettext(
                "technology sought on the exchange", "technologies sought on the exchange", requests
            ),
            "url": _exchange_url(Kind.REQUEST),
        },
    ]


@hooks.register("portal_sections")
def exchange_section(request) -> list[dict]:
    return [
        {
            "title": _("Technology exchange"),
            "text": _(
                "Find technologies offered by Hanoi's universities, institutes and companies, or "
                "say what your business needs; licence them, enquire and close deals."
            ),
            "url": reverse("tech_exchange:exchange"),
        }
    ]

"""What the registry contributes to the home page: the headline figure against the city's target
and an entry point to the directory."""

from django.urls import reverse
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from wagtail import hooks

from .selectors import registry_targets


def _grouped(number: int) -> str:
    """5.000 in Vietnamese, 5,000 in English (the locales' own grouping is switched off)."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


@hooks.register("portal_headline_figures")
def verified_startups_figure(request) -> list[dict]:
    targets = registry_targets()
    percent = number_format(round(targets.progress * 100, 1), decimal_pos=1)
    return [
        {
            "value": _grouped(targets.verified),
            "label": _("verified startups, data up to date"),
            "target": _("%(target)s by 2030 · %(percent)s%% reached")
            % {"target": _grouped(targets.target), "percent": percent},
            "progress": targets.progress,
            "url": reverse("startups:directory"),
        }
    ]


@hooks.register("portal_sections")
def directory_section(request) -> list[dict]:
    return [
        {
            "title": _("Startup directory"),
            "text": _(
                "Find Hanoi's verified startups by sector, stage, ward and founding year, and "
                "download the list as open data."
            ),
            "url": reverse("startups:directory"),
        }
    ]

"""What the dashboard contributes to the home page: how many of the city's targets are on track
(read from the dashboard's own cache) and an entry point to the dashboard."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from .selectors import read_figures

GOOD = frozenset({"on_track", "reached"})


@hooks.register("portal_headline_figures")
def targets_on_track_figure(request) -> list[dict]:
    targets = [figure for figure in read_figures().items if figure.trajectory is not None]
    if not targets:
        return []
    good = sum(figure.trajectory.status in GOOD for figure in targets)
    return [
        {
            "value": f"{good}/{len(targets)}",
            "label": _("of the city's targets on track or reached"),
            "progress": good / len(targets),
            "url": reverse("dashboard:index"),
        }
    ]


@hooks.register("portal_sections", order=100)
def dashboard_section(request) -> list[dict]:
    return [
        {
            "title": _("Ecosystem dashboard"),
            "text": _(
                "Follow the city's targets to 2030 week by week: each figure with its source and "
                "how it was verified, the pace needed, where the current pace leads, and the "
                "records behind it."
            ),
            "url": reverse("dashboard:index"),
        }
    ]

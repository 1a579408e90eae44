"""What the sandbox contributes to the home page: how many tests are under way and an entry
point to the public register."""

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from .models import EntryStatus
from .selectors import register_entries

TESTING_STATUSES = (EntryStatus.TESTING, EntryStatus.EXTENDED)


@hooks.register("portal_headline_figures")
def sandbox_tests_figure(request) -> list[dict]:
    count = register_entries().filter(status__in=TESTING_STATUSES).count()
    params = QueryDict(mutable=True)
    params.setlist("status", list(TESTING_STATUSES))
    return [
        {
            "value": str(count),
            "label": ngettext("sandbox test under way", "sandbox tests under way", count),
            "url": f"{reverse('sandbox:register')}?{params.urlencode()}",
        }
    ]


@hooks.register("portal_sections")
def register_section(request) -> list[dict]:
    return [
        {
            "title": _("Sandbox register"),
            "text": _(
                "See which firms may test new technologies in Hanoi under relaxed rules, check a "
                "firm's status and report a concern about a participant."
            ),
            "url": reverse("sandbox:register"),
        }
    ]

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .health import run_health_checks

WORKSPACE_PANEL_SIZE = 5


@never_cache
def healthz(request):
    results = run_health_checks()
    healthy = all(status == "ok" for status in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )


def label_actors(steps, *, own_ids, staff_label) -> list:
    """A record's steps for the people it belongs to (`own_ids`), each with an `actor_label`:
    their own people by name, staff only as the body they act for (a staff member's name is not
    their business) and automatic steps as the portal."""
    steps = list(steps)
    for step in steps:
        if step.actor_id is None:
            step.actor_label = _("The portal")
        elif step.actor_id in own_ids:
            step.actor_label = str(step.actor)
        else:
            step.actor_label = staff_label
    return steps


def panel_records(records, badges: dict) -> tuple[list, bool]:
    """The records a panel of the /me/ overview lists, each with the badge of its status, and
    whether there are more than it shows."""
    records = list(records[: WORKSPACE_PANEL_SIZE + 1])
    for record in records:
        record.badge = badges[record.status]
    return records[:WORKSPACE_PANEL_SIZE], len(records) > WORKSPACE_PANEL_SIZE

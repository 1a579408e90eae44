from datetime import timedelta

from wagtail import hooks

from portal.core.scheduling import ScheduledJob

from . import registry
from .engines import get_engine
from .selectors import saved_searches_of
from .services import saved_search_alerts


@hooks.register("register_health_check")
def search_engine_health_check():
    return {"search": get_engine().check}


def index_demo_data(write) -> None:
    counts = get_engine().rebuild(registry.adapters())
    write("Discovery index: " + ", ".join(f"{name} {count}" for name, count in counts.items()))


# Last of all seeders, so everything they created is searchable.
hooks.register("register_demo_seeder", index_demo_data, order=1000)


@hooks.register("register_scheduled_job")
def saved_search_alert_job():
    return [ScheduledJob("search.saved_search_alerts", timedelta(hours=1), saved_search_alerts)]


@hooks.register("portal_workspace_panels")
def saved_searches_panel(request):
    return [
        {
            "template": "search/workspace_panel.html",
            "saved_searches": saved_searches_of(request.user),
        }
    ]

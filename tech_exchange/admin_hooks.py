"""The department's admin for the exchange: the "Technology exchange" menu group, its own review
page, and the daily job that expires listings and flags unanswered enquiries."""

from datetime import timedelta

from wagtail import hooks

from portal.core.scheduling import ScheduledJob

from .admin_views import ExchangeViewSetGroup, admin_urls
from .services import enquiries_flag_overdue, listings_expire

DAILY_JOB = "tech_exchange.expiry_and_enquiries"


@hooks.register("register_admin_viewset")
def register_exchange_admin():
    return ExchangeViewSetGroup()


@hooks.register("register_admin_urls")
def register_exchange_admin_urls():
    return admin_urls


def _daily_job(previous_run) -> str:
    expired, reminded = listings_expire()
    flagged = enquiries_flag_overdue()
    return (
        f"{expired} listings expired, {reminded} expiry reminders sent, "
        f"{flagged} overdue enquiries flagged"
    )


@hooks.register("register_scheduled_job")
def exchange_daily_job():
    return [ScheduledJob(DAILY_JOB, timedelta(days=1), _daily_job)]

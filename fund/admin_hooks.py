"""The fund managers' admin: the "Venture fund" menu group with its queues, pages and the fund
snippet, and the daily digest of what is overdue."""

from datetime import timedelta

from wagtail import hooks

from portal.core.scheduling import ScheduledJob

from .admin.menu import FundViewSetGroup, admin_urls
from .jobs import OVERDUE_DIGEST, overdue_digest


@hooks.register("register_admin_viewset")
def register_fund_admin():
    return FundViewSetGroup()


@hooks.register("register_admin_urls")
def register_fund_admin_urls():
    return admin_urls


@hooks.register("register_scheduled_job")
def fund_daily_jobs():
    return [ScheduledJob(OVERDUE_DIGEST, timedelta(days=1), overdue_digest)]

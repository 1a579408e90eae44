"""The dashboard's staff side in the Wagtail admin (the "Dashboard" menu group and its pages),
the weekly job `dashboard.weekly`, and the audit action of a generated report."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.audit import register_audit_actions
from portal.core.scheduling import ScheduledJob

from .admin_views import DashboardViewSetGroup, admin_urls
from .report_services import WEEKLY_JOB, weekly_job


@hooks.register("register_admin_viewset")
def register_dashboard_admin():
    return DashboardViewSetGroup()


@hooks.register("register_admin_urls")
def register_dashboard_admin_urls():
    return admin_urls


@hooks.register("register_log_actions")
def register_report_actions(actions):
    register_audit_actions(
        actions, {"dashboard.report": (_("Generate a weekly report"), _("Weekly report generated"))}
    )


@hooks.register("register_scheduled_job")
def dashboard_weekly_job():
    return [ScheduledJob(WEEKLY_JOB, timedelta(days=7), weekly_job)]

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.audit import register_audit_actions
from portal.core.scheduling import ScheduledJob

from . import (
    dashboard_hooks,  # noqa: F401 -- figures and charts for the ecosystem dashboard
    home_hooks,  # noqa: F401 -- registers the home page's figure and section
    workspace_hooks,  # noqa: F401 -- the /me/ overview panel
)
from .admin_views import SandboxViewSetGroup, admin_urls
from .demo import seed_demo_sandbox
from .services import entries_expire, entries_remind


@hooks.register("register_admin_viewset")
def register_sandbox_admin():
    return SandboxViewSetGroup()


@hooks.register("register_admin_urls")
def register_sandbox_admin_urls():
    return admin_urls


@hooks.register("register_log_actions")
def register_sandbox_actions(actions):
    register_audit_actions(
        actions,
        {
            "sandbox.submit": (_("Submit application"), _("Application submitted")),
            "sandbox.request_info": (_("Request information"), _("More information requested")),
            "sandbox.reject": (_("Reject application"), _("Application rejected")),
            "sandbox.approve": (_("Approve by decision"), _("Approved by decision")),
            "sandbox.start": (_("Start testing"), _("Testing started")),
            "sandbox.extension": (_("Extend"), _("Test period extended")),
            "sandbox.suspension": (_("Suspend"), _("Test suspended")),
            "sandbox.resumption": (_("Resume"), _("Test resumed")),
            "sandbox.exit": (_("Exit"), _("Test exited")),
            "sandbox.graduation": (_("Graduate"), _("Test graduated")),
            "sandbox.revocation": (_("Revoke"), _("Permission revoked")),
            "sandbox.expiry": (_("Expire"), _("Test period ended")),
            "sandbox.concern": (_("Report a concern"), _("Concern reported by the public")),
            "sandbox.concern_handled": (_("Handle a concern"), _("Concern handled")),
        },
    )


def _daily_job(previous_run) -> str:
    closed = entries_expire()
    reminders = entries_remind()
    return f"{closed} entries past their end date exited, {reminders} reminders sent"


@hooks.register("register_scheduled_job")
def sandbox_daily_job():
    return [ScheduledJob("sandbox.expiry_and_reminders", timedelta(days=1), _daily_job)]


# After the demo accounts; the applicant is the demo founder, the decisions the demo staff's.
hooks.register("register_demo_seeder", seed_demo_sandbox, order=40)

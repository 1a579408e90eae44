from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.audit import register_audit_actions
from portal.core.scheduling import ScheduledJob

from .services import entries_expire, entries_remind


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
        },
    )


def _daily_job(previous_run) -> str:
    closed = entries_expire()
    reminders = entries_remind()
    return f"{closed} entries past their end date exited, {reminders} reminders sent"


@hooks.register("register_scheduled_job")
def sandbox_daily_job():
    return [ScheduledJob("sandbox.expiry_and_reminders", timedelta(days=1), _daily_job)]

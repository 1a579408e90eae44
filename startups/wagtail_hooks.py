from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.audit import register_audit_actions
from portal.core.scheduling import ScheduledJob

from . import (
    admin_import,  # noqa: F401 -- the import view and its menu item
    dashboard_hooks,  # noqa: F401 -- figures and charts for the ecosystem dashboard
    home_hooks,  # noqa: F401 -- registers the home page's figure and section
    workspace_hooks,  # noqa: F401
)
from .admin_views import RegistryViewSetGroup, admin_urls
from .demo import seed_demo_startups
from .services import reconfirmation_sweep


@hooks.register("register_admin_viewset")
def register_registry_admin():
    return RegistryViewSetGroup()


@hooks.register("register_admin_urls")
def register_registry_admin_urls():
    return admin_urls


@hooks.register("register_log_actions")
def register_startup_actions(actions):
    register_audit_actions(
        actions,
        {
            "startups.submit": (_("Submit for verification"), _("Submitted for verification")),
            "startups.verify": (_("Verify"), _("Verified")),
            "startups.request_changes": (_("Request changes"), _("Changes requested")),
            "startups.reject": (_("Reject"), _("Rejected")),
            "startups.reconfirm": (_("Re-confirm"), _("Data re-confirmed")),
            "startups.stale": (_("Mark stale"), _("Marked stale: re-confirmation overdue")),
            "startups.invite": (_("Invite member"), _("Member invited")),
            "startups.join": (_("Join"), _("Member joined")),
            "startups.invitation_withdrawn": (_("Withdraw invitation"), _("Invitation withdrawn")),
            "startups.document_deleted": (_("Remove document"), _("Document removed")),
            "startups.leave": (_("Remove member"), _("Member removed")),
            "startups.claim": (_("Claim"), _("Ownership claimed")),
            "startups.claim_approved": (_("Approve claim"), _("Claim approved")),
            "startups.claim_rejected": (_("Reject claim"), _("Claim rejected")),
            "startups.import": (_("Import"), _("Imported")),
        },
    )


def _reconfirmation_job(previous_run) -> str:
    reminders, stale = reconfirmation_sweep()
    return f"{reminders} reminders sent, {stale} startups marked stale"


@hooks.register("register_scheduled_job")
def startup_reconfirmation_job():
    return [ScheduledJob("startups.reconfirmation", timedelta(days=1), _reconfirmation_job)]


# After the demo accounts, whose founder and staff members it uses.
hooks.register("register_demo_seeder", seed_demo_startups, order=30)

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.audit import register_audit_actions

from . import (
    admin_hooks,  # noqa: F401
    home_hooks,  # noqa: F401
)
from .demo import seed_demo_indicators


@hooks.register("register_log_actions")
def register_dashboard_actions(actions):
    register_audit_actions(
        actions,
        {
            "dashboard.value_entered": (_("Enter a value"), _("Indicator value entered")),
            "dashboard.value_approved": (_("Approve a value"), _("Indicator value approved")),
            "dashboard.value_rejected": (_("Reject a value"), _("Indicator value rejected")),
            "dashboard.snapshot": (_("Take a snapshot"), _("Snapshot taken")),
        },
    )


# After every app's demo data: the history ends with a snapshot of what they seeded.
hooks.register("register_demo_seeder", seed_demo_indicators, order=90)

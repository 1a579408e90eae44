from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.audit import register_audit_actions

from .demo import seed_demo_accounts


@hooks.register("register_log_actions")
def register_account_actions(actions):
    register_audit_actions(
        actions,
        {
            "accounts.role_granted": (_("Grant role"), _("Role granted")),
            "accounts.role_revoked": (_("Revoke role"), _("Role revoked")),
        },
    )


hooks.register("register_demo_seeder", seed_demo_accounts, order=10)

"""Audit trail on Wagtail's log_actions, so every state change shows in the admin's history.

Each app registers its actions in its `wagtail_hooks.py`:

    @hooks.register("register_log_actions")
    def register_startup_actions(actions):
        register_audit_actions(actions, {
            "startups.verify": (_("Verify startup"), _("Startup verified")),
        })

and its services record them with `audit_log(instance, "startups.verify", user=actor, data={...})`.
"""

from collections.abc import Mapping

from django.db.models import Model
from django.utils.functional import Promise
from wagtail.log_actions import log


def register_audit_actions(actions, definitions: Mapping[str, tuple[Promise, Promise]]) -> None:
    for action, (label, message) in definitions.items():
        actions.register_action(action, label, message)


def audit_log(instance: Model, action: str, *, user=None, data: dict | None = None):
    """Records `action` on `instance` by `user`, inside the caller's transaction."""
    return log(instance=instance, action=action, user=user, data=data or {})

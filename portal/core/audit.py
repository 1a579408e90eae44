"""Audit trail on Wagtail's log_actions, so every state change shows in the admin's history.

Each app registers its actions in its `wagtail_hooks.py`:

    @hooks.register("register_log_actions")
    def register_startup_actions(actions):
        register_audit_actions(actions, {
            "startups.verify": (_("Verify startup"), _("Startup verified")),
        })

and its services record them with `audit_log(instance, "startups.verify", user=actor, data={...})`.
"""

from collections.abc import Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_registry


def register_audit_actions(actions, definitions: Mapping[str, tuple[Promise, Promise]]) -> None:
    for action, (label, message) in definitions.items():
        actions.register_action(action, label, message)


def audit_log(instance: Model, action: str, *, user=None, data: dict | None = None):
    """Records `action` on `instance` by `user`, inside the caller's transaction."""
    return log(instance=instance, action=action, user=user, data=data or {})


def audit_log_many(entries: Iterable[tuple[Model, dict]], action: str, *, user=None) -> None:
    """`audit_log` for many instances of one model in one query (bulk writes such as an
    import): `entries` are (instance, data) pairs; the entries share the active log context."""
    entries = list(entries)
    if not entries:
        return
    model = type(entries[0][0])
    log_model = log_registry.get_log_model_for_model(model)
    if log_model is None:
        return
    context = get_active_log_context()
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    now = timezone.now()
    log_model.objects.bulk_create(
        [
            log_model(
                content_type=content_type,
                label=str(instance)[:255] or f"{model.__name__} object ({instance.pk})",
                action=action,
                timestamp=now,
                data=data or {},
                object_id=str(instance.pk),
                user=user or context.user,
                uuid=context.uuid,
            )
            for instance, data in entries
        ]
    )

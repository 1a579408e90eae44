"""Keeps the index in step with the records, whatever saved them (services, the Wagtail admin,
page publishing): every save or delete of a registered model schedules a refresh of its
document after the transaction commits, so no indexing happens inside the request."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .registry import adapters, adapters_for_instance
from .tasks import refresh_search_document


def _schedule_refresh(sender, instance, **kwargs):
    for adapter in adapters_for_instance(instance):
        name, pk = adapter.name, str(instance.pk)
        transaction.on_commit(lambda name=name, pk=pk: refresh_search_document.enqueue(name, pk))


def connect() -> None:
    """Listens to the searchable models only: a receiver for every model would make Django load
    each row before deleting it, everywhere, instead of deleting in one statement."""
    searchable = tuple(adapter.model for adapter in adapters())
    for model in apps.get_models():
        if issubclass(model, searchable):
            uid = model._meta.label_lower
            post_save.connect(_schedule_refresh, sender=model, dispatch_uid=f"search.save.{uid}")
            post_delete.connect(_schedule_refresh, sender=model, dispatch_uid=f"search.del.{uid}")

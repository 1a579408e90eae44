"""Keeps the index in step with the records, whatever saved them (services, the Wagtail admin,
page publishing): every save or delete of a registered model schedules a refresh of its
document after the transaction commits, so no indexing happens inside the request."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .registry import adapters_for_instance
from .tasks import refresh_search_document


def _schedule_refresh(sender, instance, **kwargs):
    for adapter in adapters_for_instance(instance):
        name, pk = adapter.name, str(instance.pk)
        transaction.on_commit(lambda name=name, pk=pk: refresh_search_document.enqueue(name, pk))


def connect() -> None:
    post_save.connect(_schedule_refresh, dispatch_uid="search.refresh_on_save")
    post_delete.connect(_schedule_refresh, dispatch_uid="search.refresh_on_delete")

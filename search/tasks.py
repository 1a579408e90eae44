from django_tasks import task

from . import registry
from .engines import get_engine


@task()
def refresh_search_document(adapter_name: str, pk: str) -> None:
    """Brings one record's document in line with the record: indexed while it is public,
    removed once it is not (unpublished, made private or deleted)."""
    adapter = registry.adapter(adapter_name)
    instance = adapter.model._default_manager.filter(pk=pk).first()
    engine = get_engine()
    if instance is not None and adapter.is_public(instance):
        engine.index(adapter, [adapter.document_for(instance)])
    else:
        engine.delete(adapter, [str(pk)])

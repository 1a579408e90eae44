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


@task()
def refresh_search_documents(adapter_name: str, pks: list[str]) -> None:
    """The bulk form of `refresh_search_document`, for writes that skip per-row signals (e.g. a
    bulk import): indexes the public records among `pks` in batches and removes the others."""
    adapter = registry.adapter(adapter_name)
    engine = get_engine()
    queryset = adapter.public_queryset().filter(pk__in=pks)
    public: set[str] = set()

    def documents():
        for document in registry.public_documents(adapter, queryset):
            public.add(document["id"])
            yield document

    engine.index(adapter, documents())
    gone = [str(pk) for pk in pks if str(pk) not in public]
    if gone:
        engine.delete(adapter, gone)

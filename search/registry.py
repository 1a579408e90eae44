"""Which types are searchable. Apps register adapters in their own `discovery.py`."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from .documents import DiscoveryDocument


@dataclass(frozen=True)
class DiscoveryAdapter:
    """How one model becomes search documents.

    `to_document(instance)` returns the document's fields (keys of `document`), always with `title`,
    `body`, `url`, `language` and `published_at`; `is_public(instance)` decides whether it belongs
    in the index at all; `public_queryset()` lists everything public, for rebuilds.
    """

    name: str
    label: Promise | str
    model: type[Model]
    document: type[DiscoveryDocument]
    to_document: Callable[[Model], dict]
    is_public: Callable[[Model], bool]
    public_queryset: Callable[[], QuerySet]
    facets: tuple[str, ...] = ()
    facet_labels: Mapping[str, Promise | str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[str, Promise | str]] = field(default_factory=dict)

    def document_for(self, instance) -> dict:
        return {"id": str(instance.pk), "doc_type": self.name, **self.to_document(instance)}

    def label_for_value(self, facet: str, value: str) -> str:
        return str(self.value_labels.get(facet, {}).get(value, value))


_ADAPTERS: dict[str, DiscoveryAdapter] = {}


def register(adapter: DiscoveryAdapter) -> DiscoveryAdapter:
    unknown = set(adapter.facets) - set(adapter.document.keyword_fields())
    if unknown:
        raise ValueError(f"{adapter.name}: facets {unknown} are not Keyword fields of the document")
    _ADAPTERS[adapter.name] = adapter
    return adapter


def adapters(names: Iterable[str] = ()) -> list[DiscoveryAdapter]:
    names = tuple(names)
    return [a for name, a in _ADAPTERS.items() if not names or name in names]


def adapter(name: str) -> DiscoveryAdapter:
    return _ADAPTERS[name]


def type_labels() -> dict[str, str]:
    return {adapter.name: str(adapter.label) for adapter in _ADAPTERS.values()}


def facet_fields(types: tuple[str, ...] = ()) -> list[str]:
    """The facets to count: every facet of the requested types, or, across all types, only the
    facets they all share (a sector filter means nothing to CMS pages)."""
    chosen = adapters(types)
    if not chosen:
        return []
    if types:
        return list(dict.fromkeys(f for adapter in chosen for f in adapter.facets))
    return [f for f in chosen[0].facets if all(f in adapter.facets for adapter in chosen)]


def adapters_for_instance(instance: Model) -> list[DiscoveryAdapter]:
    return [a for a in _ADAPTERS.values() if isinstance(instance, a.model)]


def public_documents(adapter: DiscoveryAdapter, queryset: QuerySet | None = None):
    queryset = adapter.public_queryset() if queryset is None else queryset
    for instance in queryset.iterator(chunk_size=500):
        if adapter.is_public(instance):
            yield adapter.document_for(instance)

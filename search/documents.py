"""The schema of discovery: elasticsearch-dsl Documents, read by both engines.

Every searchable type declares a subclass of `DiscoveryDocument`. Text fields are searched
(`title` weighs most); Keyword fields are facets and filters; `title.suggest` serves
autocomplete. The Elasticsearch engine creates its indexes from these declarations and the
database engine reads the same declarations to decide which values are text and which are
keywords.
"""

import functools

from django.utils import translation
from elasticsearch_dsl import (
    Date,
    Document,
    Keyword,
    SearchAsYouType,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

# lowercase + asciifolding that keeps the original token too: "Hà Nội" is indexed as both
# "hà nội" and "ha noi", so queries with or without diacritics match, and exact ones rank higher.
vietnamese_folding = analyzer(
    "vietnamese_folding",
    tokenizer="standard",
    filter=["lowercase", token_filter("folding", type="asciifolding", preserve_original=True)],
)

# Sorting by title must ignore case and diacritics, as the database engine's folded titles do.
folded_keyword = normalizer("folded_keyword", filter=["lowercase", "asciifolding"])


# Every type's documents have these; Hit shows them as its own attributes, not in Hit.fields.
SHARED_FIELDS = frozenset({"doc_type", "title", "body", "url", "language", "published_at"})


def record_fields(record, *, title: str, body: list[str], published_at) -> dict:
    """The shared fields (but `doc_type`) of a record indexed in Vietnamese, the portal's
    language: its title, the `body` parts that are not empty, and its Vietnamese page."""
    with translation.override("vi"):
        url = record.get_absolute_url()
    return {
        "title": title,
        "body": "\n".join(part for part in body if part),
        "url": url,
        "language": "vi",
        "published_at": published_at,
    }


class DiscoveryDocument(Document):
    title = Text(
        analyzer=vietnamese_folding,
        fields={
            "raw": Keyword(normalizer=folded_keyword),
            "suggest": SearchAsYouType(analyzer=vietnamese_folding),
        },
    )
    body = Text(analyzer=vietnamese_folding)
    url = Keyword(index=False)
    # Which adapter the document came from: lets one request count every type while showing one.
    doc_type = Keyword()
    language = Keyword()
    published_at = Date()

    @classmethod
    def keyword_fields(cls) -> list[str]:
        """The facet and filter fields this type declares (beyond the shared ones)."""
        return [
            name
            for name, field_type in _field_types(cls)
            if field_type == "keyword" and name not in {"url", "doc_type"}
        ]

    @classmethod
    def text_fields(cls) -> list[str]:
        return [name for name, field_type in _field_types(cls) if field_type == "text"]


@functools.cache
def _field_types(document_class: type[DiscoveryDocument]) -> tuple[tuple[str, str], ...]:
    # Serialising a mapping is costly and a declaration never changes: read once per type, not
    # once per indexed document.
    mapping = document_class._doc_type.mapping.to_dict()["properties"]
    return tuple((name, spec.get("type", "")) for name, spec in mapping.items())

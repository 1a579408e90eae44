"""Storage of the database engine: one row per document, a narrow row to match it by, its facet
values, and the vocabulary used to correct typos. Full-text structures the ORM does not model
are created by migration 0002."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    doc_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    title = models.TextField()
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=8, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    title_folded = models.TextField()
    body_folded = models.TextField(blank=True)
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.object_id}"


UNDATED = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


class SearchMatch(models.Model):
    """The narrow row every query scans: type, language, date, sortable title and (on
    PostgreSQL) the weighted full-text vector, kept apart from the wide display columns so that
    matching tens of thousands of documents reads as little as possible."""

    document = models.OneToOneField(
        SearchDocument, primary_key=True, on_delete=models.CASCADE, related_name="match"
    )
    doc_type = models.CharField(max_length=40)
    language = models.CharField(max_length=8, blank=True)
    # Never null (undated documents get UNDATED), so "newest first" is a backward index scan.
    published_at = models.DateTimeField()
    title_sort = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["doc_type", "language"]),
            models.Index(fields=["published_at"]),
            models.Index(fields=["title_sort"]),
            # Browsing one type newest-first or by title reads just the page from these.
            models.Index(fields=["doc_type", "published_at"]),
            models.Index(fields=["doc_type", "title_sort"]),
        ]

    def __str__(self) -> str:
        return str(self.document_id)


class SearchFacet(models.Model):
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    # The document's type again: browsing a type counts its facets from these rows alone.
    doc_type = models.CharField(max_length=40)
    field = models.CharField(max_length=60)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [
            # With the document in the index a filter reads no table rows (an index-only scan).
            models.Index(fields=["field", "value", "document"], name="search_facet_lookup"),
            models.Index(fields=["doc_type", "field", "value"], name="search_facet_by_type"),
        ]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


class SearchTerm(models.Model):
    """Every folded word ever indexed: candidates for correcting a misspelt query word."""

    term = models.CharField(max_length=60, primary_key=True)
    first_letter = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["first_letter", "length"])]

    def __str__(self) -> str:
        return self.term


class SavedSearch(models.Model):
    """A search a signed-in user asked to be told about when new matching items appear."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    query = models.CharField(_("words"), max_length=200, blank=True)
    doc_type = models.CharField(_("type"), max_length=40, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    checked_until = models.DateTimeField(_("checked until"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "query", "doc_type", "filters"], name="saved_search_unique"
            )
        ]

    def __str__(self) -> str:
        return self.query or self.doc_type or "*"

"""CMS pages in discovery: every live, public page in either language."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from elasticsearch_dsl import Keyword
from wagtail.models import Page, PageViewRestriction

from search.documents import DiscoveryDocument
from search.registry import DiscoveryAdapter, register

from .models import HomePage, NewsIndexPage, NewsPage, StandardPage

SEARCHABLE_PAGE_TYPES = (HomePage, StandardPage, NewsIndexPage, NewsPage)


class PageDocument(DiscoveryDocument):
    kind = Keyword()

    class Index:
        name = "pages"


def _kind(page) -> str:
    return "news" if isinstance(page, NewsPage) else "page"


def _body(page) -> str:
    parts = [getattr(page, name, "") for name in ("intro", "summary", "hero_text")]
    body = getattr(page, "body", None)
    if body is not None:
        parts.append(strip_tags(str(body)))
    return "\n".join(part for part in parts if part)


def page_to_document(page: Page) -> dict:
    page = page.specific
    date = getattr(page, "date", None)
    return {
        "title": page.title,
        "body": _body(page),
        "url": page.url or "",
        "language": page.locale.language_code,
        "published_at": page.first_published_at if date is None else date,
        "kind": _kind(page),
    }


def page_is_public(page: Page) -> bool:
    return (
        page.live
        and isinstance(page.specific, SEARCHABLE_PAGE_TYPES)
        and not PageViewRestriction.objects.filter(page__path__in=_ancestor_paths(page)).exists()
    )


def _ancestor_paths(page: Page) -> list[str]:
    return [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]


def public_pages():
    return (
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .exact_type(*SEARCHABLE_PAGE_TYPES)
        .specific()
        .select_related("locale")
    )


register(
    DiscoveryAdapter(
        name="pages",
        label=_("Pages and news"),
        model=Page,
        document=PageDocument,
        to_document=page_to_document,
        is_public=page_is_public,
        public_queryset=public_pages,
        facets=("kind", "language"),
        facet_labels={"kind": _("Kind"), "language": _("Language")},
        value_labels={
            "kind": {"news": _("News"), "page": _("Page")},
            "language": {"vi": "Tiếng Việt", "en": "English"},
        },
    )
)

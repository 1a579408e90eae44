"""Records reach the index after commit, leave it when unpublished or deleted, and a rebuild
loads everything public."""

import io

import pytest
from django.core.management import CommandError, call_command

from portal.pages.models import NewsIndexPage, NewsPage
from search.models import SearchDocument


def _news(index, slug="cong-nghe-moi", title="Công nghệ mới cho Thủ đô", live=True):
    page = NewsPage(title=title, slug=slug, summary="Tóm tắt bản tin", live=live)
    return index.add_child(instance=page)


@pytest.fixture
def news_index(seeded):
    return NewsIndexPage.objects.get(locale__language_code="vi")


def _indexed(page) -> bool:
    return SearchDocument.objects.filter(doc_type="pages", object_id=str(page.pk)).exists()


@pytest.mark.django_db
def test_publishing_indexes_after_commit_and_not_before(
    news_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = _news(news_index)
        page.save_revision().publish()
    assert callbacks and not _indexed(page)
    for callback in callbacks:
        callback()
    assert _indexed(page)


@pytest.mark.django_db
def test_drafts_never_enter_and_unpublishing_removes(
    news_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = _news(news_index, live=False)
        page.save_revision()
    assert not _indexed(page)

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert _indexed(page)

    page.refresh_from_db()  # publishing worked on the revision's copy of the page
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert not _indexed(page)


@pytest.mark.django_db
def test_deleting_removes(news_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = _news(news_index)
        page.save_revision().publish()
    pk = page.pk
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert not SearchDocument.objects.filter(doc_type="pages", object_id=str(pk)).exists()


@pytest.mark.django_db
def test_rebuild_command_loads_every_public_page_and_reports(seeded):
    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_discovery", stdout=out)
    # 2 homes, 2 about pages, 2 news indexes and 6 articles, in two languages
    assert SearchDocument.objects.filter(doc_type="pages").count() == 12
    assert "pages" in out.getvalue() and "12" in out.getvalue() and "[####" in out.getvalue()


@pytest.mark.django_db
def test_rebuild_command_refuses_unknown_types(seeded):
    with pytest.raises(CommandError):
        call_command("rebuild_discovery", "--type", "nope", stdout=io.StringIO())

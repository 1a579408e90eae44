from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.core.exceptions import PortalError
from portal.notifications.models import Notification
from portal.pages.models import NewsIndexPage, NewsPage
from search.base import SearchRequest
from search.models import SavedSearch
from search.services import saved_search_alerts, saved_search_create
from tests.factories import make_user


@pytest.fixture
def founder(db):
    return make_user(language="vi")


def _publish_news(title, slug, django_capture_on_commit_callbacks):
    index = NewsIndexPage.objects.get(locale__language_code="vi")
    with django_capture_on_commit_callbacks(execute=True):
        index.add_child(
            instance=NewsPage(title=title, slug=slug, summary="Tóm tắt", date=timezone.localdate())
        ).save_revision().publish()


@pytest.mark.django_db
def test_saving_needs_words_or_a_filter_and_refuses_duplicates(founder):
    with pytest.raises(PortalError):
        saved_search_create(user=founder, request=SearchRequest(text="   "))
    saved_search_create(user=founder, request=SearchRequest(text="nông nghiệp"))
    with pytest.raises(PortalError):
        saved_search_create(user=founder, request=SearchRequest(text="nông nghiệp"))
    assert SavedSearch.objects.filter(user=founder).count() == 1


@pytest.mark.django_db
def test_new_matching_item_is_announced_once_in_inbox_and_email(
    seeded, founder, django_capture_on_commit_callbacks
):
    # The demo registry has agritech startups too; this search follows the news.
    saved = saved_search_create(
        user=founder, request=SearchRequest(text="nong nghiep", types=("pages",))
    )
    SavedSearch.objects.filter(pk=saved.pk).update(checked_until=timezone.now() - timedelta(days=2))
    _publish_news(
        "Nông nghiệp công nghệ cao ở Mê Linh",
        "nong-nghiep-me-linh",
        django_capture_on_commit_callbacks,
    )
    _publish_news("Y tế số", "y-te-so", django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        assert saved_search_alerts(since=None) == "1 saved searches had new results"
    notification = Notification.objects.get(recipient=founder)
    assert "nong nghiep" in notification.subject
    assert "Nông nghiệp công nghệ cao ở Mê Linh" in notification.body
    assert "Y tế số" not in notification.body
    assert notification.url.startswith("/search/?q=nong+nghiep")
    assert mail.outbox[-1].to == [founder.email]

    with django_capture_on_commit_callbacks(execute=True):
        saved_search_alerts(since=None)
    assert Notification.objects.filter(recipient=founder).count() == 1


@pytest.mark.django_db
def test_save_from_the_search_page_and_delete_from_the_workspace(client, seeded, founder):
    client.force_login(founder)
    response = client.post("/search/save/", {"q": "quy dau tu", "kind": "news"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=founder)
    assert saved.query == "quy dau tu" and saved.filters == {"kind": ["news"]}
    assert "quy dau tu" in client.get("/me/searches/").content.decode()
    assert "Tìm kiếm đã lưu" in client.get("/me/").content.decode()

    other = make_user()
    client.force_login(other)
    assert client.post(f"/me/searches/{saved.pk}/delete/").status_code == 404
    client.force_login(founder)
    assert client.post(f"/me/searches/{saved.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.exists()


@pytest.mark.django_db
def test_saving_an_empty_search_explains_and_keeps_nothing(client, seeded, founder):
    client.force_login(founder)
    response = client.post("/search/save/", {"q": ""}, follow=True)
    assert not SavedSearch.objects.exists()
    assert "Nhập từ khóa hoặc chọn bộ lọc trước khi lưu tìm kiếm." in response.content.decode()


@pytest.mark.django_db
def test_anonymous_users_are_asked_to_sign_in(client, seeded):
    assert client.post("/search/save/", {"q": "x"}).status_code == 302
    page = client.get("/search/?q=quy").content.decode()
    assert "/accounts/login/?next=" in page

import pytest
from allauth.mfa.models import Authenticator
from wagtail.models import Site

from portal.accounts.roles import Role
from portal.pages.models import HomePage, NewsIndexPage, NewsPage
from tests.conftest import count_queries
from tests.factories import make_user


@pytest.mark.django_db
def test_home_renders_in_vietnamese_at_root_and_english_under_en(client, seeded):
    vi = client.get("/")
    en = client.get("/en/")
    assert vi.status_code == en.status_code == 200
    assert '<html lang="vi">' in vi.content.decode()
    assert "Nơi hệ sinh thái đổi mới sáng tạo" in vi.content.decode()
    assert '<html lang="en">' in en.content.decode()
    assert "Where the capital&#x27;s innovation ecosystem" in en.content.decode()


@pytest.mark.django_db
def test_language_switcher_links_to_the_translation_of_the_same_page(client, seeded):
    page = client.get("/gioi-thieu/").content.decode()
    assert 'href="/en/about/" hreflang="en"' in page
    page = client.get("/en/about/").content.decode()
    assert 'href="/gioi-thieu/" hreflang="vi"' in page


@pytest.mark.django_db
def test_language_switcher_on_non_cms_pages(client, seeded):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/en/accounts/login/" hreflang="en"' in page


@pytest.mark.django_db
def test_ui_text_is_translated(client, seeded):
    assert "Đăng nhập" in client.get("/accounts/login/").content.decode()
    assert "Sign In" in client.get("/en/accounts/login/").content.decode()
    assert "Tin tức mới nhất" in client.get("/").content.decode()
    assert "Latest news" in client.get("/en/").content.decode()


@pytest.mark.django_db
def test_menus_are_managed_per_language(client, seeded):
    vi = client.get("/").content.decode()
    en = client.get("/en/").content.decode()
    assert 'href="/tin-tuc/">Tin tức</a>' in vi
    assert 'href="/en/news/">News</a>' in en


def _publish_news(index, count, start=0):
    for number in range(start, start + count):
        index.add_child(
            instance=NewsPage(
                title=f"Bản tin {number}", slug=f"ban-tin-{number}", summary="Tóm tắt"
            )
        ).save_revision().publish()


@pytest.mark.django_db
def test_news_index_paginates_with_constant_queries(client, seeded):
    index = NewsIndexPage.objects.get(locale__language_code="vi")
    few = count_queries(client, "/tin-tuc/")
    _publish_news(index, 15)
    assert count_queries(client, "/tin-tuc/") == few
    assert len(client.get("/tin-tuc/").context["page_obj"].object_list) == 10
    assert len(client.get("/tin-tuc/?page=2").context["page_obj"].object_list) == 8
    assert client.get("/tin-tuc/?page=abc").status_code == 200


@pytest.mark.django_db
def test_default_site_serves_the_seeded_home(seeded):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific.__class__.__name__ == "HomePage"


@pytest.mark.django_db
def test_switcher_on_an_untranslated_page_leads_to_the_other_languages_home(client, seeded):
    index = NewsIndexPage.objects.get(locale__language_code="vi")
    _publish_news(index, 1)
    page = client.get("/tin-tuc/ban-tin-0/").content.decode()
    assert 'href="/en/" hreflang="en"' in page


@pytest.mark.django_db
def test_department_staff_edit_pages_and_menus_in_the_admin(client, seeded):
    staff = make_user(Role.DEPARTMENT_STAFF)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/snippets/pages/navigationmenu/").status_code == 200
    home = HomePage.objects.get(locale__language_code="vi")
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200


@pytest.mark.django_db
def test_public_roles_cannot_open_the_admin(client):
    client.force_login(make_user(Role.FOUNDER))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

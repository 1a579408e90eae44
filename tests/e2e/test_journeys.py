import io

import pytest
from django.core.management import call_command

from tests.e2e.conftest import sign_in

# Migration-created rows (role groups, root page, locales) must survive between live-server tests.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_home_page_then_sign_in_as_the_demo_founder(page, live_server, demo):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Nơi hệ sinh thái đổi mới sáng tạo" in page.locator("h1").inner_text()

    page.click("a[hreflang=en]")
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"

    sign_in(page, live_server.url, "founder@example.org")
    assert "Quốc Anh" in page.locator("h1").inner_text()
    assert "Nhà sáng lập" in page.content()


def test_staff_sign_in_asks_for_the_authenticator_code(page, live_server, demo, settings):
    # Signing in waits for the authenticator step before it reaches /me/.
    sign_in(page, live_server.url, "staff@example.org", settings.DEMO_TOTP_SECRET)

    response = page.goto(f"{live_server.url}/admin/")
    assert response.status == 200 and page.url == f"{live_server.url}/admin/"
    assert page.locator("form#account-menu, [data-side-panel], #wagtail-sidebar").count() >= 1


def test_search_with_autocomplete_then_results_and_facets(page, live_server, demo):
    page.goto(live_server.url + "/")
    box = page.locator("#header-search-q")
    box.fill("quy dau tu")
    option = page.locator("#autocomplete-0 [role=option]").first
    option.wait_for()
    assert "Quỹ Đầu tư mạo hiểm" in option.inner_text()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/tin-tuc/quy-dau-tu-mao-hiem-ha-noi-mo-dot-goi-von-dau-tien/")

    page.goto(live_server.url + "/search/?q=ha+noi&type=pages")
    assert page.locator(".result").count() >= 3
    assert page.locator(".result mark").count() >= 1
    page.click(".facet__option:has-text('Tin tức')")
    assert page.locator(".facet__option--selected").count() == 1
    assert "kind=news" in page.url

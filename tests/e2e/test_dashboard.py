import io

import pytest

from portal.dashboard.demo import seed_demo_indicators
from startups.models import Status
from tests.factories.startups import make_startup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(name="ecosystem")
def ecosystem_fixture(accounts):
    """Two verified startups in different sectors, one still under review, and the demo's
    indicators, staff-entered values and weekly history on top of them."""
    make_startup(status=Status.VERIFIED, sectors=("ai",), name="Công ty Trí Tuệ Hồ Tây")
    make_startup(status=Status.VERIFIED, sectors=("fintech",), name="Công ty Ví Số Long Biên")
    make_startup(status=Status.SUBMITTED, sectors=("ai",), name="Công ty Chờ Duyệt Cầu Giấy")
    seed_demo_indicators(io.StringIO().write)


def test_public_reads_the_dashboard_in_both_languages_and_drills_down(
    browser, live_server, ecosystem
):
    base = live_server.url

    visitor = browser.new_context(locale="vi-VN").new_page()
    visitor.goto(f"{base}/dashboard/")
    assert visitor.locator("html").get_attribute("lang") == "vi"
    startups = visitor.locator("article[data-indicator=startups]")
    assert "Doanh nghiệp khởi nghiệp sáng tạo đã xác minh" in startups.inner_text()
    assert startups.locator(".dash-figure__value").inner_text() == "2"
    assert "5.000" in startups.inner_text()  # the target, grouped the Vietnamese way
    assert startups.locator(".status").is_visible()
    by_sector = visitor.locator("section[data-chart=startups_by_sector]")
    assert by_sector.locator("svg[role=img]").is_visible()
    assert by_sector.locator("table").is_visible()
    assert by_sector.locator("tbody tr").count() == 2  # the startup under review is not counted
    by_sector.locator("table a[href='/startups/?sector=ai']").click()
    visitor.wait_for_url(f"{base}/startups/?sector=ai")
    directory = visitor.locator("main").inner_text()
    assert "Công ty Trí Tuệ Hồ Tây" in directory
    assert "Công ty Ví Số Long Biên" not in directory
    assert "Công ty Chờ Duyệt Cầu Giấy" not in directory

    reader = browser.new_context(locale="en-GB").new_page()
    reader.goto(f"{base}/en/dashboard/")
    assert reader.locator("html").get_attribute("lang") == "en"
    assert reader.locator("h1").inner_text() == "Ecosystem dashboard"
    assert reader.locator("#targets-heading").inner_text() == "The city’s targets"
    startups = reader.locator("article[data-indicator=startups]")
    assert "Verified innovative startups" in startups.inner_text()
    assert "Target: 5,000 by 31/12/2030" in startups.inner_text()
    assert "Startup registry of the portal" in startups.inner_text()
    # A staff-entered figure shows its value, source, date and verification too.
    broadband = reader.locator("article[data-indicator=broadband]")
    assert broadband.locator(".dash-figure__value").inner_text() == "92 %"
    assert "approved by a second member of staff" in broadband.inner_text()
    funnel = reader.locator("section[data-chart=fund_funnel]")
    assert funnel.locator("table").is_visible()
    reader.locator(
        "section[data-chart=startups_by_sector] a[href='/en/startups/?sector=fintech']"
    ).click()
    reader.wait_for_url(f"{base}/en/startups/?sector=fintech")
    directory = reader.locator("main").inner_text()
    assert "Công ty Ví Số Long Biên" in directory
    assert "Công ty Trí Tuệ Hồ Tây" not in directory

    # The history of one figure: its chart and the table of every weekly snapshot.
    reader.goto(f"{base}/en/dashboard/startups/")
    history = reader.locator("section[data-chart=history]")
    assert history.locator("svg[role=img]").is_visible()
    assert history.locator("tbody tr").count() == 13


def test_the_dashboard_reads_without_javascript(browser, live_server, ecosystem):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/dashboard/")
    assert page.locator("article[data-indicator=startups] .dash-figure__value").inner_text() == "2"
    for chart in page.locator("section[data-chart]").all():
        if chart.locator("svg[role=img]").count():
            assert chart.locator("table").is_visible()
    context.close()

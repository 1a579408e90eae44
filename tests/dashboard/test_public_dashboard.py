"""The public dashboard: every figure with its source, as-of date and verification ("No data yet"
rather than zero), the trajectory per target, drill-down links to the filtered records, charts
drawn as SVG with a table beside each, both languages, the page per indicator, the home page's
entry, and a fixed number of queries on a warm cache."""

from datetime import timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.utils import timezone, translation

from portal.accounts.roles import Role
from portal.dashboard import charts, home_hooks, services
from portal.dashboard.demo import _indicators
from portal.dashboard.models import Indicator
from portal.dashboard.sources import Chart, ChartRow
from startups.models import Status
from tests.conftest import count_queries
from tests.factories import make_user
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

BROADBAND_SOURCE = "Sở Khoa học và Công nghệ Hà Nội, báo cáo quý III"


def _soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def _card(soup: BeautifulSoup, code: str):
    card = soup.find("article", attrs={"data-indicator": code})
    assert card is not None, code
    return card


def _facts(element) -> dict[str, str]:
    facts = {}
    for dl in element.find_all("dl"):
        for dt in dl.find_all("dt"):
            facts[dt.get_text(strip=True)] = dt.find_next_sibling("dd").get_text(" ", strip=True)
    return facts


@pytest.fixture(name="staff")
def staff_fixture():
    return make_user(Role.DEPARTMENT_STAFF), make_user(Role.DEPARTMENT_STAFF)


@pytest.fixture(name="board")
def board_fixture(staff, django_capture_on_commit_callbacks):
    """The city's indicators (as the demo declares them), two verified AI startups, broadband
    entered and approved by staff, S&T spending only entered (so not published), and a history:
    broadband rising fast (on track), startups slowly (off track)."""
    enterer, approver = staff
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _indicators()
        make_startup(status=Status.VERIFIED, sectors=("ai",), staff=enterer)
        make_startup(status=Status.VERIFIED, sectors=("ai", "fintech"), staff=enterer)
        make_startup(status=Status.SUBMITTED, sectors=("edtech",))
        broadband = Indicator.objects.get(code="broadband")
        value = services.value_enter(
            user=enterer,
            indicator=broadband,
            value=Decimal("92"),
            as_of=timezone.localdate() - timedelta(days=1),
            source=BROADBAND_SOURCE,
        )
        services.value_approve(user=approver, value=value)
        services.value_enter(
            user=enterer,
            indicator=Indicator.objects.get(code="st-spending-grdp"),
            value=Decimal("1.1"),
            as_of=timezone.localdate(),
            source="Cục Thống kê",
        )
        for weeks, startups, coverage in ((8, 0, 60), (4, 1, 76)):
            services.snapshot_import(
                user=enterer,
                taken_at=now - timedelta(weeks=weeks),
                values={"startups": Decimal(startups), "broadband": Decimal(coverage)},
                note="Báo cáo tuần của Sở",
            )
        services.snapshot_take(user=enterer)


def test_every_public_figure_shows_its_source_as_of_date_and_verification(client, board):
    soup = _soup(client, "/en/dashboard/")
    for indicator in Indicator.objects.filter(is_public=True):
        facts = _facts(_card(soup, indicator.code))
        assert facts["Source"], indicator.code
        assert facts["As of"], indicator.code
        assert facts["Verification"], indicator.code
    broadband = _facts(_card(soup, "broadband"))
    assert broadband["Source"] == BROADBAND_SOURCE
    assert broadband["As of"] == (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    assert broadband["Verification"] == (
        "Entered by department staff and approved by a second member of staff"
    )
    startups = _facts(_card(soup, "startups"))
    assert startups["Source"] == "Startup registry of the portal"
    assert startups["As of"] == timezone.localdate().strftime("%d/%m/%Y")


def test_a_manual_figure_without_an_approved_value_says_no_data_never_zero(client, board):
    soup = _soup(client, "/en/dashboard/")
    # Entered but awaiting its second approver: not published.
    pending = _card(soup, "st-spending-grdp")
    assert pending.find(class_="dash-figure__value--none").get_text(strip=True) == "No data yet"
    assert "0 %" not in pending.get_text()
    facts = _facts(pending)
    assert facts["Source"] == "Entered by department staff"
    assert facts["As of"] == "no value yet"
    assert facts["Verification"] == "No data yet"
    assert "Unknown until there is data" in pending.get_text()
    never = _card(soup, "digital-skills")
    assert "No data yet" in never.get_text()


def test_targets_show_their_trajectory_and_activity_figures_come_after_them(client, board):
    soup = _soup(client, "/en/dashboard/")
    broadband = _card(soup, "broadband")
    assert broadband.find(class_="status").get_text(strip=True) == "On track"
    facts = _facts(broadband)
    assert facts["Pace needed"].endswith("percentage points a week")
    assert facts["Current pace"].startswith("+4 percentage points a week")
    assert facts["At this rate"].endswith("by 31/12/2030")
    assert "Target: 100 % by 31/12/2030" in broadband.get_text(" ", strip=True)
    assert broadband.find("progress")["value"] == "92"
    assert "Unchanged since the last snapshot" in broadband.get_text()

    startups = _card(soup, "startups")
    assert startups.find(class_="status").get_text(strip=True) == "Off track"
    assert _facts(startups)["Current pace"].startswith("+0.25 a week")
    assert startups.find(class_="dash-figure__value").get_text(strip=True) == "2"

    # Activity figures (no target) have no trajectory and follow every target.
    deals = _card(soup, "technology-deals")
    assert deals.find(class_="status") is None
    codes = [card["data-indicator"] for card in soup.find_all("article")]
    with_target = set(
        Indicator.objects.filter(target_value__isnull=False).values_list("code", flat=True)
    )
    assert codes[: len(with_target)] == [code for code in codes if code in with_target]
    summary = soup.find("ul", class_="dash-summary").get_text(" ", strip=True)
    assert "On track: 1" in summary and "Off track:" in summary


def test_each_figure_links_to_its_records_and_its_history(client, board):
    soup = _soup(client, "/en/dashboard/")
    startups = _card(soup, "startups")
    assert startups.find("a", attrs={"data-drilldown": True})["href"] == (
        "/en/startups/?verification=current"
    )
    sandbox = _card(soup, "sandbox-under-way")
    assert sandbox.find("a", attrs={"data-drilldown": True})["href"] == (
        "/en/sandbox/?status=testing&status=extended"
    )
    assert startups.find("a", href="/en/dashboard/startups/") is not None
    # A staff-entered figure has no public records to open.
    assert _card(soup, "broadband").find("a", attrs={"data-drilldown": True}) is None


def test_charts_drill_down_to_the_filtered_directory_in_each_language(client, board):
    for prefix in ("", "/en"):
        soup = _soup(client, f"{prefix}/dashboard/")
        by_sector = soup.find("section", attrs={"data-chart": "startups_by_sector"})
        links = {a["href"]: a.find_parent("tr") for a in by_sector.table.find_all("a")}
        assert f"{prefix}/startups/?sector=ai" in links
        row = links[f"{prefix}/startups/?sector=ai"]
        assert row.find("td").get_text(strip=True) == "2"
        assert f"{prefix}/startups/?sector=fintech" in links
        assert f"{prefix}/startups/?sector=edtech" not in links  # not verified, not counted
        by_commune = soup.find("section", attrs={"data-chart": "startups_by_commune"})
        assert by_commune.find("a", href=f"{prefix}/startups/?commune=phuong-hoan-kiem")
        by_status = soup.find("section", attrs={"data-chart": "sandbox_by_status"})
        assert by_status.find("a", href=f"{prefix}/sandbox/?status=testing")


def test_every_chart_is_an_accessible_svg_with_a_table_of_the_same_numbers(client, board):
    soup = _soup(client, "/en/dashboard/")
    images = soup.find_all("svg", attrs={"role": "img"})
    with_rows = soup.find_all("section", attrs={"data-chart": True})
    assert len(images) == len([s for s in with_rows if s.find("svg", attrs={"role": "img"})])
    assert {"series", "startups_by_sector", "fund_funnel"} <= {
        section["data-chart"] for section in with_rows if section.find("svg")
    }
    for svg in images:
        title, desc = svg.find("title"), svg.find("desc")
        assert title.get_text(strip=True) and desc.get_text(strip=True)
        assert svg["aria-labelledby"] == f"{title['id']} {desc['id']}"
        assert svg.find_parent(class_="dash-chart__body").find("table") is not None
        assert svg.find("a") is None  # links live in the table
    # Decorative sparklines are hidden from assistive technology.
    for svg in soup.find_all("svg", class_="dash-sparkline"):
        assert svg["aria-hidden"] == "true"
    # The bars' numbers are the table's numbers.
    by_sector = soup.find("section", attrs={"data-chart": "startups_by_sector"})
    table_values = [td.get_text(strip=True) for td in by_sector.select("tbody td")]
    svg_values = [text.get_text(strip=True) for text in by_sector.svg.find_all("text")][1::2]
    assert svg_values == table_values
    # The funnel's table gives each stage's share of the first.
    funnel = soup.find("section", attrs={"data-chart": "fund_funnel"})
    assert "Share of the first stage" in funnel.table.get_text()
    # No script draws the page; nothing comes from another host.
    assert soup.find("script", src=lambda src: src and "//" in src) is None
    assert not soup.select("main script")


def test_a_chart_without_rows_says_so(client, board):
    soup = _soup(client, "/en/dashboard/")
    deals = soup.find("section", attrs={"data-chart": "deals_by_sector"})
    assert deals.find("svg") is None
    assert deals.find(class_="empty-state").get_text(strip=True) == "No data yet"


def test_the_dashboard_renders_in_vietnamese_and_english(client, board):
    vietnamese = _soup(client, "/dashboard/")
    assert vietnamese.html["lang"] == "vi"
    startups = _card(vietnamese, "startups")
    assert "Doanh nghiệp khởi nghiệp sáng tạo đã xác minh" in startups.get_text()
    # Vietnamese numbers: a dot groups thousands.
    assert "5.000" in startups.get_text()
    assert _card(vietnamese, "broadband").find("a", href="/dashboard/broadband/")

    english = _soup(client, "/en/dashboard/")
    assert english.html["lang"] == "en"
    assert english.h1.get_text(strip=True) == "Ecosystem dashboard"
    startups = _card(english, "startups")
    assert "Verified innovative startups" in startups.get_text()
    assert "5,000" in startups.get_text()
    assert english.find("a", href="/api/v1/indicators") and english.find("a", href="/api/v1/docs")
    assert "Figures read at" in english.get_text()


def test_the_page_per_indicator_shows_every_snapshot_with_a_chart_and_a_table(client, board):
    soup = _soup(client, "/en/dashboard/broadband/")
    assert soup.h1.get_text(strip=True) == "Households and businesses with broadband"
    section = soup.find("section", attrs={"data-chart": "history"})
    svg = section.find("svg", attrs={"role": "img"})
    assert "Target 100 % by 31/12/2030" in svg.get_text()
    rows = section.select("tbody tr")
    assert [row.find_all("td")[0].get_text(strip=True) for row in rows] == ["92 %", "76 %", "60 %"]
    assert [row.find_all("td")[1].get_text(strip=True) for row in rows] == [
        "+16 percentage points",
        "+16 percentage points",
        "—",
    ]
    assert "Imported from earlier reports" in rows[-1].get_text()
    assert "Imported from an earlier weekly report" in rows[-1].get_text()
    assert BROADBAND_SOURCE in rows[0].get_text()
    assert "Nghị quyết 57-NQ/TW" in soup.get_text()
    assert client.get("/en/dashboard/no-such-indicator/").status_code == 404


def test_an_unpublished_indicator_is_neither_listed_nor_reachable(
    client, board, django_capture_on_commit_callbacks
):
    assert _soup(client, "/en/dashboard/").find("article", attrs={"data-indicator": "broadband"})
    broadband = Indicator.objects.get(code="broadband")
    broadband.is_public = False
    with django_capture_on_commit_callbacks(execute=True):
        broadband.save()  # as the admin's edit view does
    soup = _soup(client, "/en/dashboard/")
    assert soup.find("article", attrs={"data-indicator": "broadband"}) is None
    assert client.get("/en/dashboard/broadband/").status_code == 404


def test_a_new_approved_value_shows_at_once(
    client, board, staff, django_capture_on_commit_callbacks
):
    enterer, approver = staff
    assert "No data yet" in _card(_soup(client, "/en/dashboard/"), "digital-skills").get_text()
    with django_capture_on_commit_callbacks(execute=True):
        value = services.value_enter(
            user=enterer,
            indicator=Indicator.objects.get(code="digital-skills"),
            value=Decimal("31.25"),
            as_of=timezone.localdate(),
            source="Khảo sát lực lượng lao động",
        )
        services.value_approve(user=approver, value=value)
    card = _card(_soup(client, "/en/dashboard/"), "digital-skills")
    assert card.find(class_="dash-figure__value").get_text(strip=True) == "31.3 %"
    assert (
        _card(_soup(client, "/dashboard/"), "digital-skills")
        .find(class_="dash-figure__value")
        .get_text(strip=True)
        == "31,3 %"
    )


def test_with_a_worker_pages_show_the_previous_read_until_the_refresh_has_run(
    client, board, staff, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from portal.dashboard.selectors import refresh_reads

    enterer, approver = staff
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    assert "No data yet" in _card(_soup(client, "/en/dashboard/"), "digital-skills").get_text()
    with django_capture_on_commit_callbacks(execute=True):
        for value in ("31.25", "32.5"):
            entered = services.value_enter(
                user=enterer,
                indicator=Indicator.objects.get(code="digital-skills"),
                value=Decimal(value),
                as_of=timezone.localdate(),
                source="Khảo sát lực lượng lao động",
            )
            services.value_approve(user=approver, value=entered)
    # The request is not the one paying for the new read: one refresh waits for the worker.
    assert "No data yet" in _card(_soup(client, "/en/dashboard/"), "digital-skills").get_text()
    enqueued = [result.task.name for result in default_task_backend.results]
    assert enqueued.count("refresh_dashboard_reads") == 1
    refresh_reads()
    card = _card(_soup(client, "/en/dashboard/"), "digital-skills")
    assert card.find(class_="dash-figure__value").get_text(strip=True) == "32.5 %"


def test_a_warm_page_makes_the_same_few_queries_whatever_the_data(
    client, board, staff, django_capture_on_commit_callbacks
):
    few = count_queries(client, "/en/dashboard/")
    assert few <= 4
    assert count_queries(client, "/en/dashboard/startups/") <= 4
    with django_capture_on_commit_callbacks(execute=True):
        for sector in ("edtech", "healthtech", "mobility"):
            make_startup(status=Status.VERIFIED, sectors=(sector,), staff=staff[0])
        services.snapshot_take(user=staff[0])  # forgets the cached figures
    assert count_queries(client, "/en/dashboard/") == few
    signed_in = make_user(language="en")
    client.force_login(signed_in)
    assert count_queries(client, "/en/dashboard/") <= few + 4


def test_the_cache_is_per_language(client, board):
    english = _soup(client, "/en/dashboard/")
    vietnamese = _soup(client, "/dashboard/")
    assert (
        _card(english, "startups")
        .find("a", attrs={"data-drilldown": True})["href"]
        .startswith("/en/")
    )
    assert (
        _card(vietnamese, "startups")
        .find("a", attrs={"data-drilldown": True})["href"]
        .startswith("/startups/")
    )


def test_without_indicators_the_page_says_so(client, db):
    soup = _soup(client, "/en/dashboard/")
    assert "No indicators are published yet." in soup.get_text()


def test_the_home_page_counts_the_targets_on_track_and_links_to_the_dashboard(board):
    request = RequestFactory().get("/en/")
    with translation.override("en"):
        (figure,) = home_hooks.targets_on_track_figure(request)
        (section,) = home_hooks.dashboard_section(request)
    targets = Indicator.objects.filter(target_value__isnull=False).count()
    assert figure["value"] == f"1/{targets}"
    assert figure["url"] == "/en/dashboard/"
    assert section["url"] == "/en/dashboard/"


def test_the_home_page_figure_is_left_out_without_targets(db):
    assert home_hooks.targets_on_track_figure(RequestFactory().get("/")) == []


@pytest.mark.parametrize(
    ("language", "value", "unit", "expected"),
    [
        ("vi", Decimal("5000"), "count", "5.000"),
        ("en", Decimal("5000"), "count", "5,000"),
        ("vi", Decimal("12.5"), "percent", "12,5 %"),
        ("en", Decimal("12.50"), "percent", "12.5 %"),
        ("vi", Decimal("20"), "percent", "20 %"),
        ("vi", Decimal("1000000000000"), "vnd", "1.000 tỷ đồng"),
        ("en", Decimal("600000000000"), "vnd", "600 billion VND"),
        ("vi", None, "count", "—"),
    ],
)
def test_values_are_formatted_by_unit_and_language(language, value, unit, expected):
    with translation.override(language):
        assert charts.format_value(value, unit) == expected


def test_paces_and_changes_keep_their_sign_and_unit():
    with translation.override("en"):
        assert charts.format_pace(Decimal("0.25"), "count") == "+0.25 a week"
        assert charts.format_pace(Decimal("-12.4"), "count") == "-12.4 a week"
        assert charts.format_pace(Decimal("0.1"), "percent") == "+0.1 percentage points a week"
        assert charts.format_change(Decimal("1.25"), "percent") == "+1.3 percentage points"
        assert charts.format_change(Decimal("3000000000"), "vnd") == "+3 billion VND"
        assert charts.format_change(Decimal("-25"), "count") == "-25"


def test_a_funnel_and_a_bar_chart_are_drawn_with_escaped_labels():
    chart = Chart(
        key="demo",
        title="Hồ sơ <đề nghị>",
        unit="count",
        source="",
        rows=[ChartRow("Nộp", 40), ChartRow("Thẩm định & phỏng vấn", 10), ChartRow("Duyệt", 0)],
        funnel=True,
    )
    with translation.override("en"):
        svg = str(charts.bar_chart(chart))
    assert svg.startswith('<svg class="dash-svg dash-svg--bars" role="img"')
    assert "Hồ sơ &lt;đề nghị&gt;" in svg and "Thẩm định &amp; phỏng vấn" in svg
    assert "10 · 25 %" in svg  # the second stage as a share of the first
    assert charts.funnel_share(chart, 10) == "25 %"
    assert str(charts.bar_chart(Chart("empty", "Empty", "count", ""))) == ""


def test_a_snapshot_without_data_is_a_gap_in_the_line_not_a_zero():
    today = timezone.localdate()
    points = [
        (today - timedelta(weeks=3), Decimal("10")),
        (today - timedelta(weeks=2), Decimal("12")),
        (today - timedelta(weeks=1), None),
        (today, Decimal("15")),
    ]
    with translation.override("en"):
        svg = str(charts.line_chart(ident="x", title="T", points=points, unit="count"))
    assert svg.count("<polyline") == 1  # the run of two; the lone last point is a dot
    assert svg.count("<circle") == 3
    assert str(charts.line_chart(ident="x", title="T", points=[(today, None)], unit="count")) == ""

"""The open-data indicators API: public indicators only, each figure with its source, as-of date,
verification and trajectory; the frozen snapshots, paginated and filtered by date; clear 400s
for bad parameters and 404s for unknown or unpublished codes; Vietnamese by default, English on
request."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.accounts.roles import Role
from portal.dashboard import services
from startups.models import Status
from tests.conftest import count_queries
from tests.dashboard.test_indicators import approved_value, make_indicator
from tests.factories import make_user
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

INDICATOR_KEYS = {
    "code",
    "name",
    "unit",
    "target",
    "deadline",
    "target_source",
    "direction",
    "method",
    "value",
    "as_of",
    "source",
    "verification",
    "records_url",
    "change_since_last_snapshot",
    "trajectory",
    "links",
}
SNAPSHOT_KEYS = {"taken_at", "value", "as_of", "source", "verification", "trigger"}
# Five earlier weekly reports (Mondays, 9:00 in Hanoi) before the portal kept its own.
REPORT_DAYS = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(5)]
REPORT_NOTE = "Báo cáo tuần của Sở Khoa học và Công nghệ"


@pytest.fixture(name="dataset")
def dataset_fixture():
    """Public: "startups" (computed; two verified startups; target 5,000 by 2030), "st-budget"
    (entered; 2.3 % approved; target 4 %), "deals" (computed, no target). Not public:
    "internal". Five imported weekly reports: startups 1, 1, 1, 1, 1 and st-budget 2.0 to 2.4."""
    staff = make_user(Role.DEPARTMENT_STAFF)
    make_indicator(
        "startups",
        source="startups.verified",
        target=5000,
        deadline=date(2030, 12, 31),
        position=0,
        target_source="=Nghị quyết 57-NQ/TW",
    )
    budget = make_indicator(
        "st-budget", unit="percent", target=4, deadline=date(2030, 12, 31), position=1
    )
    make_indicator("deals", source="exchange.deals", position=2)
    make_indicator("internal", source="sandbox.under_way", public=False, position=3)
    make_startup(status=Status.VERIFIED, staff=staff)
    make_startup(status=Status.VERIFIED, staff=staff)
    approved_value(budget, "2.3", date(2026, 3, 31))
    for n, day in enumerate(REPORT_DAYS):
        services.snapshot_import(
            user=staff,
            taken_at=timezone.make_aware(datetime(day.year, day.month, day.day, 9)),
            values={
                "startups": Decimal(1),
                "st-budget": Decimal("2.0") + Decimal("0.1") * n,
                "internal": Decimal(7),
            },
            note=REPORT_NOTE,
        )
    return {"staff": staff, "budget": budget}


def _get(client, path="", params=None, **headers):
    return client.get(f"/api/v1/indicators{path}", params or {}, **headers)


def _by_code(response) -> dict:
    return {item["code"]: item for item in response.json()["results"]}


# --- the list and one indicator ----------------------------------------------------------------


def test_the_list_has_the_public_indicators_in_dashboard_order(client, dataset):
    response = _get(client)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [item["code"] for item in data["results"]] == ["startups", "st-budget", "deals"]
    assert all(set(item) == INDICATOR_KEYS for item in data["results"])
    assert data["csv"] == "http://testserver/dashboard/data/indicators.csv"


def test_each_figure_says_its_source_as_of_date_and_verification(client, dataset):
    shown = _by_code(_get(client))
    startups = shown["startups"]
    assert startups["name"] == "Chỉ tiêu startups"  # Vietnamese, the API's default
    assert startups["unit"]["code"] == "count"
    assert startups["method"]["code"] == "computed"
    assert startups["direction"]["code"] == "increase"
    assert (startups["target"], startups["deadline"]) == (5000, "2030-12-31")
    assert startups["target_source"] == "=Nghị quyết 57-NQ/TW"
    assert startups["value"] == 2
    assert startups["as_of"] == timezone.localdate().isoformat()
    assert startups["source"] and startups["verification"]
    assert startups["records_url"].startswith("http://testserver/startups/")
    assert startups["change_since_last_snapshot"] == 1  # 2 now, 1 in the last report

    budget = shown["st-budget"]
    assert budget["method"]["code"] == "manual"
    assert (budget["value"], budget["as_of"]) == (2.3, "2026-03-31")
    assert budget["source"] == "Cục Thống kê Hà Nội"
    assert budget["records_url"] is None
    assert budget["change_since_last_snapshot"] == -0.1  # 2.3 now, 2.4 in the last report


def test_the_trajectory_of_an_indicator_with_a_target(client, dataset):
    shown = _by_code(_get(client))
    course = shown["startups"]["trajectory"]
    assert set(course) == {
        "status",
        "status_label",
        "weeks_left",
        "required_pace",
        "current_pace",
        "projected",
    }
    weeks_left = Decimal((date(2030, 12, 31) - timezone.localdate()).days) / 7
    assert course["weeks_left"] == float(weeks_left.quantize(Decimal("0.1")))
    assert course["required_pace"] == pytest.approx(float((5000 - 2) / weeks_left), abs=1e-4)
    # The reports are older than the 26 weeks a pace is read from.
    assert (course["status"], course["current_pace"], course["projected"]) == (
        "unknown",
        None,
        None,
    )
    assert course["status_label"]
    assert shown["deals"]["trajectory"] is None
    assert shown["deals"]["target"] is None and shown["deals"]["deadline"] is None


def test_one_indicator_reads_as_in_the_list(client, dataset):
    listed = _by_code(_get(client))["st-budget"]
    response = _get(client, "/st-budget")
    assert response.status_code == 200
    assert response.json() == listed


@pytest.mark.parametrize("code", ["internal", "unicorns"])
def test_unknown_or_unpublished_indicators_are_404(client, dataset, code):
    for path in (f"/{code}", f"/{code}/snapshots"):
        response = _get(client, path)
        assert response.status_code == 404
        assert code in response.json()["detail"]
    assert "internal" not in _by_code(_get(client))


def test_the_links_lead_to_the_indicator_its_snapshots_and_their_csv(client, dataset):
    links = _by_code(_get(client))["startups"]["links"]
    assert links == {
        "detail": "http://testserver/api/v1/indicators/startups",
        "snapshots": "http://testserver/api/v1/indicators/startups/snapshots",
        "snapshots_csv": "http://testserver/dashboard/data/indicators/startups/snapshots.csv",
    }
    for url in links.values():
        assert client.get(url).status_code == 200, url


# --- language ----------------------------------------------------------------------------------


def test_english_on_request(client, dataset):
    english = _get(client, params={"lang": "en"}).json()
    startups = next(item for item in english["results"] if item["code"] == "startups")
    assert startups["name"] == "Indicator startups"
    assert startups["unit"]["label"] == "Number"
    assert startups["trajectory"]["status_label"] == "Not enough history"
    assert startups["links"]["snapshots_csv"].endswith(
        "/en/dashboard/data/indicators/startups/snapshots.csv"
    )
    assert english["csv"] == "http://testserver/en/dashboard/data/indicators.csv"
    by_header = _get(client, "/startups", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").json()
    assert by_header["name"] == "Indicator startups"
    # The parameter wins over the header.
    asked = _get(client, "/startups", {"lang": "vi"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert asked["name"] == "Chỉ tiêu startups"
    assert _get(client, "/startups", HTTP_ACCEPT_LANGUAGE="vi,en;q=0.5").json()["name"] == (
        "Chỉ tiêu startups"
    )


def test_an_unknown_language_is_400(client, dataset):
    for path in ("", "/startups", "/startups/snapshots"):
        response = _get(client, path, {"lang": "fr"})
        assert response.status_code == 400
        assert "“fr”" in response.json()["detail"]


# --- snapshots ---------------------------------------------------------------------------------


def test_snapshots_newest_first_as_they_were_frozen(client, dataset):
    response = _get(client, "/st-budget/snapshots")
    assert response.status_code == 200
    data = response.json()
    assert (data["code"], data["count"], data["page"], data["pages"]) == ("st-budget", 5, 1, 1)
    assert data["csv"] == "http://testserver/dashboard/data/indicators/st-budget/snapshots.csv"
    assert all(set(item) == SNAPSHOT_KEYS for item in data["results"])
    assert [item["taken_at"][:10] for item in data["results"]] == [
        day.isoformat() for day in reversed(REPORT_DAYS)
    ]
    assert [item["value"] for item in data["results"]] == [2.4, 2.3, 2.2, 2.1, 2.0]
    newest = data["results"][0]
    assert newest["taken_at"] == "2026-02-02T09:00:00+07:00"
    assert newest["as_of"] == "2026-02-02"
    assert newest["source"] == REPORT_NOTE
    assert newest["verification"]
    assert newest["trigger"]["code"] == "imported"


def test_a_snapshot_taken_now_joins_the_history_and_later_changes_leave_it(client, dataset):
    services.snapshot_take(user=dataset["staff"])
    approved_value(dataset["budget"], "3.1", timezone.localdate())
    data = _get(client, "/st-budget/snapshots").json()
    assert data["count"] == 6
    assert data["results"][0]["value"] == 2.3
    assert data["results"][0]["trigger"]["code"] == "on_demand"
    assert data["results"][0]["source"] == "Cục Thống kê Hà Nội"


def test_snapshots_are_paginated(client, dataset):
    first = _get(client, "/startups/snapshots", {"page_size": "2"}).json()
    assert (first["count"], first["pages"], first["page_size"]) == (5, 3, 2)
    last = _get(client, "/startups/snapshots", {"page_size": "2", "page": "3"}).json()
    assert [item["taken_at"][:10] for item in last["results"]] == ["2026-01-05"]
    taken = [
        item["taken_at"]
        for page in ("1", "2", "3")
        for item in _get(client, "/startups/snapshots", {"page_size": "2", "page": page}).json()[
            "results"
        ]
    ]
    assert len(set(taken)) == 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"since": "2026-01-12", "until": "2026-01-26"},
            ["2026-01-26", "2026-01-19", "2026-01-12"],
        ),
        ({"since": "2026-01-26"}, ["2026-02-02", "2026-01-26"]),
        ({"until": "2026-01-05"}, ["2026-01-05"]),
        ({"since": "2026-02-03"}, []),
    ],
)
def test_snapshots_filtered_by_dates_both_included(client, dataset, params, expected):
    data = _get(client, "/startups/snapshots", params).json()
    assert [item["taken_at"][:10] for item in data["results"]] == expected
    assert data["count"] == len(expected) and data["pages"] == 1


@pytest.mark.parametrize(
    ("params", "quoted"),
    [
        ({"since": "2026-13-01"}, "2026-13-01"),
        ({"until": "31/01/2026"}, "31/01/2026"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "2026-02-01"),
        ({"page": "0"}, "0"),
        ({"page": "hai"}, "hai"),
        ({"page_size": "101"}, "101"),
        ({"page": "4", "page_size": "2"}, "4"),
    ],
)
def test_bad_snapshot_parameters_are_400_with_a_message(client, dataset, params, quoted):
    response = _get(client, "/startups/snapshots", params)
    assert response.status_code == 400
    assert quoted in response.json()["detail"]


def test_messages_are_vietnamese_by_default(client, dataset):
    assert _get(client, "/startups/snapshots", {"page": "0"}).json()["detail"] == (
        "Số trang phải là số nguyên từ 1 trở lên, không phải “0”."
    )
    assert _get(client, "/startups/snapshots", {"page": "9"}).json()["detail"] == (
        "Không có trang 9: kết quả chỉ có đến trang 1."
    )


# --- cost --------------------------------------------------------------------------------------


def test_the_list_is_cached_and_staff_changes_show_at_once(
    client, dataset, django_capture_on_commit_callbacks
):
    assert count_queries(client, "/api/v1/indicators") <= 1
    with django_capture_on_commit_callbacks(execute=True):
        approved_value(dataset["budget"], "2.9", timezone.localdate())
    assert _by_code(_get(client))["st-budget"]["value"] == 2.9


def test_snapshot_queries_do_not_grow_with_the_page_size(client, dataset):
    one = count_queries(client, "/api/v1/indicators/startups/snapshots?page_size=1")
    five = count_queries(client, "/api/v1/indicators/startups/snapshots?page_size=5")
    assert one == five <= 3

"""The dashboard's CSV downloads: every public indicator with its current figure, and one
indicator's frozen history; attachments in UTF-8 with a BOM (so spreadsheets read Vietnamese),
cells a spreadsheet cannot take for formulas, 404 for unknown or unpublished codes."""

import csv
import io

import pytest
from django.utils import timezone

from portal.dashboard.data_views import INDICATOR_COLUMNS, SNAPSHOT_COLUMNS
from tests.dashboard.test_api import REPORT_DAYS, REPORT_NOTE, dataset_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

INDICATORS_CSV = "/dashboard/data/indicators.csv"


def _rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def _header(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))


def test_the_indicators_csv_is_an_attachment_with_every_public_indicator(client, dataset):
    response = client.get(INDICATORS_CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="indicators-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert _header(response) == INDICATOR_COLUMNS
    rows = _rows(response)
    assert [row["code"] for row in rows] == ["startups", "st-budget", "deals"]


def test_the_indicators_csv_carries_the_api_fields(client, dataset):
    rows = {row["code"]: row for row in _rows(client.get(INDICATORS_CSV))}
    startups = rows["startups"]
    assert startups["name"] == "Chỉ tiêu startups"
    assert (startups["unit"], startups["method"], startups["direction"]) == (
        "count",
        "computed",
        "increase",
    )
    assert (startups["value"], startups["target"], startups["deadline"]) == (
        "2",
        "5000",
        "2030-12-31",
    )
    assert startups["as_of"] == timezone.localdate().isoformat()
    assert startups["source"] and startups["verification"]
    assert startups["change_since_last_snapshot"] == "1"
    assert startups["trajectory_status"] == "unknown"
    assert startups["required_pace_per_week"] and startups["weeks_left"]
    assert startups["snapshots_csv"] == (
        "http://testserver/dashboard/data/indicators/startups/snapshots.csv"
    )
    # Text that would start a formula stays text.
    assert startups["target_source"] == "'=Nghị quyết 57-NQ/TW"

    budget = rows["st-budget"]
    assert (budget["value"], budget["as_of"], budget["source"]) == (
        "2.3",
        "2026-03-31",
        "Cục Thống kê Hà Nội",
    )
    assert budget["change_since_last_snapshot"] == "-0.1"
    deals = rows["deals"]
    assert deals["target"] == deals["deadline"] == deals["trajectory_status"] == ""
    assert deals["value"] == "0"


def test_the_english_page_downloads_english_names(client, dataset):
    rows = _rows(client.get("/en" + INDICATORS_CSV))
    assert rows[0]["name"] == "Indicator startups"
    assert rows[0]["unit_label"] == "Number"
    assert rows[0]["snapshots_csv"].endswith("/en/dashboard/data/indicators/startups/snapshots.csv")


def test_an_indicators_snapshots_csv_is_its_frozen_history(client, dataset):
    response = client.get("/dashboard/data/indicators/st-budget/snapshots.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="indicator-st-budget-snapshots.csv"'
    )
    assert _header(response) == SNAPSHOT_COLUMNS
    rows = _rows(response)
    assert [row["taken_at"][:10] for row in rows] == [d.isoformat() for d in reversed(REPORT_DAYS)]
    assert [row["value"] for row in rows] == ["2.4", "2.3", "2.2", "2.1", "2"]
    newest = rows[0]
    assert newest["code"] == "st-budget"
    assert newest["taken_at"] == "2026-02-02T09:00:00+07:00"
    assert (newest["as_of"], newest["source"]) == ("2026-02-02", REPORT_NOTE)
    assert newest["trigger"] == "imported" and newest["trigger_label"]
    assert newest["verification"]


def test_the_snapshots_csv_matches_the_api(client, dataset):
    api = client.get("/api/v1/indicators/startups/snapshots").json()["results"]
    rows = _rows(client.get("/dashboard/data/indicators/startups/snapshots.csv"))
    assert [row["taken_at"] for row in rows] == [item["taken_at"] for item in api]
    assert [float(row["value"]) for row in rows] == [item["value"] for item in api]


@pytest.mark.parametrize("code", ["internal", "unicorns"])
def test_unknown_or_unpublished_codes_are_404(client, dataset, code):
    for prefix in ("", "/en"):
        response = client.get(f"{prefix}/dashboard/data/indicators/{code}/snapshots.csv")
        assert response.status_code == 404


def test_downloads_are_read_only(client, dataset):
    assert client.post(INDICATORS_CSV).status_code == 405
    assert client.post("/dashboard/data/indicators/startups/snapshots.csv").status_code == 405

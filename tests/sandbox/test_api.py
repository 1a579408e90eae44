"""The open-data sandbox API: the register's filters and facets, entries with their dated
history, public fields only (never applications or concerns), clear 400s for bad parameters
(in Vietnamese, the API's language) and 404 for unknown slugs."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sandbox import services
from tests.sandbox.test_register import (  # the same register as the pages' tests
    CARS_CODE,
    NEWEST_FIRST,
    register_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

ENTRY_KEYS = {
    "slug",
    "url",
    "participant",
    "enterprise_code",
    "startup_url",
    "title",
    "domain",
    "agency",
    "status",
    "decision_number",
    "decision_date",
    "scope",
    "exemptions",
    "conditions",
    "customer_cap",
    "transaction_cap_vnd",
    "test_space",
    "test_area",
    "start_date",
    "end_date",
    "ended_on",
    "outcome_report",
    "lessons_learned",
}
HISTORY_KEYS = {
    "effective_on",
    "kind",
    "decision_number",
    "decision_date",
    "document",
    "from_status",
    "to_status",
    "previous_end_date",
    "new_end_date",
    "note",
}


def _get(client, path="", params=None):
    return client.get(f"/api/v1/sandbox{path}", params or {})


def test_list_has_every_entry_with_public_fields_and_facets(client, register):
    response = _get(client)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 5 and data["pages"] == 1 and data["page"] == 1
    assert [item["participant"] for item in data["results"]] == NEWEST_FIRST
    assert all(set(item) == ENTRY_KEYS for item in data["results"])
    assert set(data["facets"]) == {"domain", "status", "agency", "year"}
    statuses = {f["value"]: f["count"] for f in data["facets"]["status"]}
    assert statuses == {"extended": 1, "suspended": 1, "revoked": 1, "exited": 1, "approved": 1}
    # Labels in Vietnamese, the API's language.
    suspended = next(f for f in data["facets"]["status"] if f["value"] == "suspended")
    assert suspended["label"]
    cars = next(item for item in data["results"] if item["enterprise_code"] == CARS_CODE)
    assert cars["startup_url"] == f"http://testserver/startups/{register['startup'].slug}/"
    assert cars["status"]["code"] == "extended"


def test_list_filters_search_sort_and_pages(client, register):
    assert [i["participant"] for i in _get(client, "", {"q": "xe tu hanh"}).json()["results"]] == [
        "Công ty Xe Tự Hành Hà Nội"
    ]
    both = _get(client, "", {"status": ["suspended", "revoked"]}).json()
    assert both["count"] == 2
    assert {i["status"]["code"] for i in both["results"]} == {"suspended", "revoked"}
    fintech = _get(client, "", {"domain": "fintech", "agency": "state_bank"}).json()
    assert [i["participant"] for i in fintech["results"]] == ["Ví Điện Tử Đống Đa"]
    by_title = _get(client, "", {"sort": "title", "page_size": "2", "page": "3"}).json()
    assert by_title["pages"] == 3 and by_title["page_size"] == 2
    assert [i["participant"] for i in by_title["results"]] == ["Ví Điện Tử Đống Đa"]
    year = str(register["school"].start_date.year)
    assert register["school"].slug in {
        i["slug"] for i in _get(client, "", {"year": year}).json()["results"]
    }


def test_list_matches_the_register_export(client, register):
    params = {"status": ["suspended", "revoked", "exited"], "page_size": "100"}
    api = _get(client, "", params).json()
    export = client.get("/sandbox/export.json", params).json()
    # Same entries, same fields, same values.
    assert export["results"] == api["results"]


def test_detail_has_the_history_in_order_with_documents(client, register):
    cars = register["cars"]
    response = _get(client, f"/{cars.slug}")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == ENTRY_KEYS | {"history"}
    assert [item["kind"]["code"] for item in data["history"]] == ["approval", "start", "extension"]
    assert all(set(item) == HISTORY_KEYS for item in data["history"])
    approval, start, extension = data["history"]
    assert approval["decision_number"] == "101/QĐ-UBND" and approval["from_status"] is None
    assert approval["document"].startswith("http://testserver/") and start["document"] is None
    assert extension["from_status"]["code"] == "testing"
    assert extension["to_status"]["code"] == "extended"
    assert extension["new_end_date"] == data["end_date"]
    assert extension["previous_end_date"] < extension["new_end_date"]
    # The entry's own JSON download is the same document.
    assert client.get(f"/sandbox/{cars.slug}.json").json() == data


def test_detail_of_an_ended_entry_publishes_its_outcome(client, register):
    data = _get(client, f"/{register['clinic'].slug}").json()
    assert data["status"]["code"] == "exited" and data["ended_on"]
    assert data["outcome_report"] == "Đã khám cho 320 bệnh nhân, không có sự cố."
    assert data["lessons_learned"] == "Cần chuẩn hóa hồ sơ bệnh án điện tử."


def test_applications_and_concerns_never_leave(client, register):
    wallet = register["wallet"]
    services.concern_report(
        entry=wallet,
        name="Người Báo Cáo Bí Mật",
        email="bimat@example.org",
        message="Nội dung phản ánh riêng tư.",
        client="198.51.100.7",
    )
    application = wallet.application
    dumped = json.dumps(_get(client).json(), ensure_ascii=False) + json.dumps(
        _get(client, f"/{wallet.slug}").json(), ensure_ascii=False
    )
    for private in (
        "Người Báo Cáo Bí Mật",
        "bimat@example.org",
        "Nội dung phản ánh riêng tư.",
        application.risk_measures,
        application.exit_plan,
        application.consumer_protection,
        application.applicant.email,
    ):
        assert private not in dumped, private


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"sort": "bogus"}, "sắp xếp"),
        ({"page": "abc"}, "số trang"),
        ({"page": "0"}, "số trang"),
        ({"page": "5"}, "trang 5"),
        ({"page_size": "101"}, "100"),
        ({"page_size": "0"}, "mỗi trang"),
        ({"q": "x" * 201}, "200"),
        ({"domain": "spaceships"}, "spaceships"),
        ({"status": "maybe"}, "maybe"),
        ({"agency": "nasa"}, "nasa"),
        ({"year": "3000"}, "3000"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(client, register, params, mentions):
    response = _get(client, "", params)
    assert response.status_code == 400
    assert mentions in response.json()["detail"].lower()


def test_unknown_slug_is_404(client, register):
    response = _get(client, "/khong-ton-tai")
    assert response.status_code == 404
    assert "khong-ton-tai" in response.json()["detail"]


def test_query_count_does_not_depend_on_page_size(client, register):
    def queries(page_size):
        params = {"page_size": page_size, "sort": "title"}
        _get(client, "", params)
        with CaptureQueriesContext(connection) as captured:
            assert _get(client, "", params).status_code == 200
        return len(captured)

    # Both pages hold the entry linked to a startup, whose link costs one query for any number.
    assert queries(1) == queries(5)


def test_schema_documents_the_sandbox_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/sandbox" in schema["paths"]
    assert "/api/v1/sandbox/{slug}" in schema["paths"]

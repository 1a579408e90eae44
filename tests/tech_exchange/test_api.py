"""The open-data exchange API: published listings only, the page's filters and facets, public
fields named one by one (never the owner's account, enquiries or NDAs), confidential documents
named but still gated, clear 400s in Vietnamese (the API's language) and 404 for anything not
published."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tech_exchange import services
from tests.factories import make_user
from tests.factories.tech_exchange import FACETS
from tests.tech_exchange.conftest import NEWEST_FIRST

pytestmark = pytest.mark.django_db

SUMMARY_KEYS = {
    "slug",
    "url",
    "kind",
    "title",
    "summary",
    "owner_organisation",
    "owner_type",
    "sector",
    "trl",
    "ip_status",
    "licensing_model",
    "price_type",
    "price_vnd",
    "featured",
    "images",
    "published_at",
    "expires_on",
}
DETAIL_KEYS = SUMMARY_KEYS | {
    "description",
    "ip_number",
    "ip_jurisdiction",
    "ip_filed_on",
    "ip_expires_on",
    "documents",
}


def _get(client, path="", params=None):
    return client.get(f"/api/v1/technologies{path}", params or {})


def test_list_has_the_published_listings_with_public_fields_and_facets(client, exchange):
    response = _get(client)
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["pages"]) == (5, 1, 1)
    assert [item["title"] for item in data["results"]] == NEWEST_FIRST
    assert all(set(item) == SUMMARY_KEYS for item in data["results"])
    assert set(data["facets"]) == FACETS
    kinds = {f["value"]: f["count"] for f in data["facets"]["kind"]}
    assert kinds == {"offer": 4, "request": 1}
    air = next(item for item in data["results"] if item["slug"] == exchange["air"].slug)
    assert air["url"] == f"http://testserver/technologies/{exchange['air'].slug}/"
    assert air["kind"]["code"] == "offer" and air["kind"]["label"]
    assert air["trl"]["level"] == 6 and air["trl"]["label"]
    assert air["price_vnd"] == 150_000_000 and air["price_type"]["code"] == "fixed"
    water = next(item for item in data["results"] if item["slug"] == exchange["water"].slug)
    assert water["price_vnd"] is None and water["price_type"]["code"] == "negotiable"


def test_list_searches_filters_sorts_and_pages(client, exchange):
    found = _get(client, "", {"q": "cam bien", "kind": "offer"}).json()
    assert {item["title"] for item in found["results"]} == {
        "Cảm biến chất lượng không khí giá rẻ",
        "Cảm biến độ ẩm đất không dây",
    }
    negotiable = _get(client, "", {"price_type": "negotiable", "trl": ["4", "7"]}).json()
    assert {item["slug"] for item in negotiable["results"]} == {
        exchange["water"].slug,
        exchange["need"].slug,
    }
    by_title = _get(client, "", {"sort": "title", "page_size": "2", "page": "3"}).json()
    assert (by_title["pages"], by_title["page_size"]) == (3, 2)
    assert [item["title"] for item in by_title["results"]] == [
        "Vật liệu nano xử lý nước thải dệt nhuộm"
    ]


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"sort": "bogus"}, "sắp xếp"),
        ({"page": "abc"}, "số trang"),
        ({"page": "9"}, "trang 9"),
        ({"page_size": "101"}, "100"),
        ({"q": "x" * 201}, "200"),
        ({"kind": "spaceship"}, "spaceship"),
        ({"trl": "12"}, "12"),
        ({"sector": "magic"}, "magic"),
        ({"licensing_model": "free"}, "free"),
        ({"ip_status": "secret"}, "secret"),
        ({"price_type": "cheap"}, "cheap"),
        ({"owner_type": "alien"}, "alien"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(client, exchange, params, mentions):
    response = _get(client, "", params)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert mentions in detail.lower()
    # In Vietnamese, the API's language: every refusal says what is wrong and what is accepted.
    assert "không" in detail.lower() or "trang" in detail.lower()


def test_detail_has_the_public_fields_and_names_the_documents(client, exchange):
    air = exchange["air"]
    services.document_add(
        user=air.owner,
        listing=air,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        title="Bản vẽ bí mật",
        confidential=True,
    )
    response = _get(client, f"/{air.slug}")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == DETAIL_KEYS
    assert data["ip_number"] == air.ip_number and data["ip_jurisdiction"] == "Việt Nam"
    assert data["ip_filed_on"] == "2024-03-01"
    [document] = data["documents"]
    assert document["title"] == "Bản vẽ bí mật" and document["confidential"] is True
    # Its address still asks for the NDA.
    path = document["url"].removeprefix("http://testserver")
    assert client.get(path).status_code == 302


def test_private_data_never_leaves(client, exchange):
    air = exchange["air"]
    reader = make_user(email="nguoi-doc-bi-mat@example.org")
    services.nda_accept(user=reader, listing=air, ip_address="198.51.100.9")
    services.enquiry_send(user=reader, listing=air, message="Nội dung hỏi riêng tư.")
    dumped = json.dumps(_get(client).json(), ensure_ascii=False) + json.dumps(
        _get(client, f"/{air.slug}").json(), ensure_ascii=False
    )
    for private in (
        air.owner.email,
        reader.email,
        "198.51.100.9",
        "Nội dung hỏi riêng tư.",
    ):
        assert private not in dumped, private


def test_listings_not_published_are_404(client, exchange):
    for listing in exchange["hidden"].values():
        response = _get(client, f"/{listing.slug}")
        assert response.status_code == 404
        assert listing.slug in response.json()["detail"]
    assert _get(client, "/khong-ton-tai").status_code == 404


def test_query_count_does_not_depend_on_page_size(client, exchange):
    def queries(page_size):
        params = {"page_size": page_size, "sort": "title"}
        _get(client, "", params)
        with CaptureQueriesContext(connection) as captured:
            assert _get(client, "", params).status_code == 200
        return len(captured)

    assert queries(1) == queries(5)


def test_schema_documents_the_technology_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/technologies" in schema["paths"]
    assert "/api/v1/technologies/{slug}" in schema["paths"]

import pytest

from tests.conftest import count_queries


@pytest.mark.django_db
def test_search_page_finds_without_diacritics_and_highlights(client, seeded):
    response = client.get("/search/", {"q": "quy dau tu mao hiem"})
    assert response.status_code == 200
    results = response.context["results"]
    assert results.hits[0].title == "Quỹ Đầu tư mạo hiểm Hà Nội mở đợt gọi vốn đầu tiên"
    assert "<mark>" in response.content.decode()


@pytest.mark.django_db
def test_type_tabs_and_facet_links(client, seeded):
    response = client.get("/search/", {"q": "ha noi"})
    tabs = response.context["tabs"]
    assert tabs[0]["current"] and tabs[0]["count"] == response.context["results"].total
    # Across types only shared facets are offered; a type's tab offers all of its own.
    pages_tab = next(tab for tab in tabs if "type=pages" in tab["url"])
    response = client.get("/search/" + pages_tab["url"])
    kind = next(g for g in response.context["facet_groups"] if g["field"] == "kind")
    news = next(o for o in kind["options"] if o["value"] == "news")
    assert news["label"] == "Tin tức" and "kind=news" in news["url"]

    filtered = client.get("/search/" + news["url"])
    assert {hit.fields["kind"] for hit in filtered.context["results"].hits} == {"news"}


@pytest.mark.django_db
def test_bad_parameters_still_show_a_page(client, seeded):
    response = client.get("/search/", {"q": "x" * 500, "page": "abc", "sort": "bogus", "type": "?"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_search_page_query_count_is_constant(client, seeded):
    few = count_queries(client, "/search/?q=ha+noi&page_size=1")
    assert count_queries(client, "/search/?q=ha+noi") == few


@pytest.mark.django_db
def test_autocomplete_suggests_titles(client, seeded):
    response = client.get("/search/suggest/", {"q": "san giao dich"})
    suggestions = response.json()["suggestions"]
    assert suggestions[0]["title"].startswith("Sàn giao dịch công nghệ")
    assert suggestions[0]["url"].startswith("/tin-tuc/")
    assert client.get("/search/suggest/", {"q": ""}).json() == {"suggestions": []}


@pytest.mark.django_db
def test_api_search(client, seeded):
    body = client.get("/api/v1/search", {"q": "cong nghe", "filter": "language:en"}).json()
    assert body["total"] == 0
    body = client.get("/api/v1/search", {"q": "Technology Exchange", "type": "pages"}).json()
    assert body["hits"][0]["title"] == "Hanoi Technology Exchange connects institutes and companies"
    assert body["facets"]["language"] == [{"value": "en", "count": body["total"]}]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"sort": "bogus"}, {"type": "nope"}, {"filter": "novalue"}, {"page_size": 1000}, {"page": 0}],
)
def test_api_refuses_bad_parameters_clearly(client, seeded, params):
    response = client.get("/api/v1/search", params)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


@pytest.mark.django_db
def test_api_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/search" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "/static/ninja/" in docs


@pytest.mark.django_db
def test_healthz_includes_the_search_engine(client):
    assert client.get("/healthz").json()["checks"]["search"] == "ok"

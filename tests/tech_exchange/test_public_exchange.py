"""The public exchange at /technologies/: full text without diacritics, facets with counts,
filters, sorting, pages, only published listings, the featured block, constant queries, and
the home page's figures."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from search.models import SearchDocument
from tech_exchange import home_hooks, services
from tech_exchange.models import Listing
from tests.conftest import count_queries
from tests.factories.tech_exchange import FACETS
from tests.tech_exchange.conftest import NEWEST_FIRST

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [listing.title for listing in response.context["listings"]]


def facet(response, field) -> dict[str, int]:
    group = next(g for g in response.context["facet_groups"] if g["field"] == field)
    return {option["value"]: option["count"] for option in group["options"]}


def test_lists_only_published_listings_newest_first(client, exchange):
    response = client.get("/en/technologies/")
    assert response.status_code == 200
    assert titles(response) == NEWEST_FIRST
    html = response.content.decode()
    assert "5 technology listings" in html
    assert f'href="/en/technologies/{exchange["air"].slug}/"' in html
    assert "150.000.000 ₫" in html and "Price negotiable" in html
    for listing in exchange["hidden"].values():
        assert listing.title not in html
    # Drafts, listings under review, closed and expired ones never reach the index at all.
    indexed = SearchDocument.objects.filter(doc_type="technologies")
    assert set(indexed.values_list("title", flat=True)) == set(NEWEST_FIRST)


def test_a_buyer_finds_an_offer_without_diacritics(client, exchange):
    found = client.get("/en/technologies/", {"q": "cam bien", "kind": "offer"})
    assert set(titles(found)) == {
        "Cảm biến chất lượng không khí giá rẻ",
        "Cảm biến độ ẩm đất không dây",
    }
    assert titles(client.get("/en/technologies/", {"q": "xu ly nuoc thai"})) == [
        "Vật liệu nano xử lý nước thải dệt nhuộm"
    ]
    # With diacritics, the same; hidden listings with the same words never.
    with_marks = client.get("/en/technologies/", {"q": "Cảm biến"})
    assert set(titles(with_marks)) == {
        "Cảm biến chất lượng không khí giá rẻ",
        "Cảm biến độ ẩm đất không dây",
        "Cần cảm biến đo bụi mịn cho trường học",
    }


def test_facets_count_every_value(client, exchange):
    response = client.get("/en/technologies/")
    fields = [group["field"] for group in response.context["facet_groups"]]
    assert set(fields) == FACETS
    assert facet(response, "kind") == {"offer": 4, "request": 1}
    assert facet(response, "sector") == {"smart_city": 2, "agritech": 2, "cleantech": 1}
    assert facet(response, "price_type") == {"fixed": 2, "negotiable": 3}
    assert facet(response, "owner_type") == {
        "university": 2,
        "institute": 1,
        "enterprise": 1,
        "startup": 1,
    }
    trl = next(g for g in response.context["facet_groups"] if g["field"] == "trl")
    # A scale reads in order, whatever the counts.
    assert [option["value"] for option in trl["options"]] == ["4", "5", "6", "7", "8"]
    assert trl["options"][2]["label"] == "TRL 6: technology demonstrated in a relevant environment"
    html = response.content.decode()
    assert "Offer or request" in html and "Technology request" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "request"}, ["Cần cảm biến đo bụi mịn cho trường học"]),
        ({"kind": "offer", "sector": "smart_city"}, ["Cảm biến chất lượng không khí giá rẻ"]),
        (
            {"trl": ["4", "8"]},
            ["Giống lúa chịu mặn HN-68", "Vật liệu nano xử lý nước thải dệt nhuộm"],
        ),
        ({"licensing_model": "exclusive"}, ["Vật liệu nano xử lý nước thải dệt nhuộm"]),
        ({"ip_status": "know_how"}, ["Giống lúa chịu mặn HN-68"]),
        ({"owner_type": "startup"}, ["Cần cảm biến đo bụi mịn cho trường học"]),
        (
            {"price_type": "fixed"},
            ["Cảm biến độ ẩm đất không dây", "Cảm biến chất lượng không khí giá rẻ"],
        ),
        ({"q": "cam bien", "sector": "agritech"}, ["Cảm biến độ ẩm đất không dây"]),
    ],
)
def test_filters(client, exchange, params, expected):
    assert titles(client.get("/en/technologies/", params)) == expected


def test_filter_links_are_readable_and_removable(client, exchange):
    response = client.get("/en/technologies/")
    kind = next(g for g in response.context["facet_groups"] if g["field"] == "kind")
    request_option = next(o for o in kind["options"] if o["value"] == "request")
    assert request_option["url"] == "?kind=request"
    filtered = client.get("/en/technologies/" + request_option["url"])
    assert titles(filtered) == ["Cần cảm biến đo bụi mịn cho trường học"]
    [chip] = filtered.context["active_filters"]
    assert chip["label"] == "Technology request" and "kind=" not in chip["url"]
    # Facets of the other fields follow the filter; the filtered field keeps its other values.
    assert facet(filtered, "kind") == {"offer": 4, "request": 1}
    assert facet(filtered, "sector") == {"smart_city": 1}


def test_sorting(client, exchange):
    assert titles(client.get("/en/technologies/", {"sort": "title"})) == [
        "Cảm biến chất lượng không khí giá rẻ",
        "Cảm biến độ ẩm đất không dây",
        "Cần cảm biến đo bụi mịn cho trường học",
        "Giống lúa chịu mặn HN-68",
        "Vật liệu nano xử lý nước thải dệt nhuộm",
    ]
    assert titles(client.get("/en/technologies/", {"sort": "newest"})) == NEWEST_FIRST
    html = client.get("/en/technologies/", {"sort": "title"}).content.decode()
    assert '<option value="title" selected>Title A–Z</option>' in html


def test_pages_keep_the_query(client, exchange):
    first = client.get("/en/technologies/", {"page_size": "2", "sort": "title"})
    assert first.context["results"].pages == 3
    next_url = first.context["pages"]["next"]
    assert "page=2" in next_url and "page_size=2" in next_url and "sort=title" in next_url
    last = client.get("/en/technologies/", {"page_size": "2", "sort": "title", "page": "3"})
    assert titles(last) == ["Vật liệu nano xử lý nước thải dệt nhuộm"]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "spaceship"},
        {"trl": "12"},
        {"sector": "magic"},
        {"licensing_model": "free"},
        {"ip_status": "secret"},
        {"price_type": "cheap"},
        {"owner_type": "alien"},
        {"sort": "bogus"},
        {"page": "99"},
        {"q": "x" * 500},
    ],
)
def test_bad_parameters_get_a_message_never_an_error(client, exchange, params):
    response = client.get("/en/technologies/", params)
    assert response.status_code == 200
    assert response.context["problems"]
    assert "alert--warning" in response.content.decode()
    if "q" not in params:
        assert len(response.context["listings"]) == 5


def test_closing_and_expiring_take_a_listing_off(
    client, exchange, django_capture_on_commit_callbacks
):
    air = exchange["air"]
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_close(user=air.owner, listing=air)
        water = exchange["water"]
        Listing.objects.filter(pk=water.pk).update(
            expires_on=timezone.localdate() - timedelta(days=1)
        )
        services.listings_expire()
    remaining = titles(client.get("/en/technologies/"))
    assert air.title not in remaining and water.title not in remaining
    assert len(remaining) == 3


def test_featured_listings_are_pinned_on_the_first_page_only(client, exchange):
    rice = exchange["rice"]
    Listing.objects.filter(pk=rice.pk).update(
        featured_until=timezone.localdate() + timedelta(days=10)
    )
    first = client.get("/en/technologies/")
    assert [listing.title for listing in first.context["featured"]] == [rice.title]
    html = first.content.decode()
    assert "Featured technologies" in html and "data-featured" in html
    # Not on a search or a later page; an expired featuring is not shown.
    assert client.get("/en/technologies/", {"q": "cam bien"}).context["featured"] == []
    assert (
        client.get("/en/technologies/", {"page": "2", "page_size": "2"}).context["featured"] == []
    )
    Listing.objects.filter(pk=rice.pk).update(
        featured_until=timezone.localdate() - timedelta(days=1)
    )
    assert client.get("/en/technologies/").context["featured"] == []


def test_empty_result_helps(client, exchange):
    html = client.get("/en/technologies/", {"q": "khong co gi", "kind": "request"}).content.decode()
    assert "empty-state" in html and 'href="/en/technologies/"' in html


def test_query_count_does_not_depend_on_page_size(client, exchange):
    Listing.objects.filter(pk=exchange["rice"].pk).update(
        featured_until=timezone.localdate() + timedelta(days=3)
    )
    few = count_queries(client, "/en/technologies/?page_size=1")
    many = count_queries(client, "/en/technologies/?page_size=5")
    assert few == many
    assert count_queries(client, "/en/technologies/?q=cam+bien&page_size=1") == count_queries(
        client, "/en/technologies/?q=cam+bien&page_size=5"
    )


def test_vietnamese_is_served_without_a_prefix(client, exchange):
    response = client.get("/technologies/")
    assert response.status_code == 200
    assert f'href="/technologies/{exchange["air"].slug}/"' in response.content.decode()


def test_home_page_figures_and_section(exchange):
    request = RequestFactory().get("/")
    with translation.override("en"):
        offers, requests = home_hooks.open_listings_figures(request)
        [section] = home_hooks.exchange_section(request)
    assert (offers["value"], requests["value"]) == ("4", "1")
    assert offers["label"] == "technologies offered on the exchange"
    assert requests["label"] == "technology sought on the exchange"
    assert offers["url"] == "/en/technologies/?kind=offer"
    assert section["url"] == "/en/technologies/"

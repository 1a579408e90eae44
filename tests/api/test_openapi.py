"""The OpenAPI schema and the documentation page describe the whole open-data API: every section
(search, startups, technologies, sandbox, indicators), every operation with its responses and
every reference resolvable; the docs page loads its assets from the portal, never from a CDN."""

import re
from collections import defaultdict

import pytest
from django.contrib.staticfiles import finders
from ninja import Schema

import portal.dashboard.api
import sandbox.api
import search.api
import startups.api
import tech_exchange.api

pytestmark = pytest.mark.django_db

SECTIONS = [
    "/api/v1/search",
    "/api/v1/startups",
    "/api/v1/startups/{slug}",
    "/api/v1/technologies",
    "/api/v1/technologies/{slug}",
    "/api/v1/sandbox",
    "/api/v1/sandbox/{slug}",
    "/api/v1/indicators",
    "/api/v1/indicators/{code}",
    "/api/v1/indicators/{code}/snapshots",
]
ROUTER_MODULES = [search.api, startups.api, tech_exchange.api, sandbox.api, portal.dashboard.api]


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_schema_is_openapi_3_with_its_info(schema):
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] == "Hanoi Innovation Portal open data"
    assert schema["info"]["version"] == "1"
    assert "429" in schema["info"]["description"]


def test_every_section_of_the_api_is_described(schema):
    assert set(SECTIONS) <= set(schema["paths"])
    tags = {tag for path in schema["paths"].values() for op in path.values() for tag in op["tags"]}
    assert {"search", "startups", "technologies", "sandbox", "indicators"} <= tags


def test_every_operation_is_a_read_with_a_documented_answer(schema):
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path
        operation = operations["get"]
        assert operation["summary"], path
        ok = operation["responses"]["200"]
        assert "schema" in ok["content"]["application/json"], path


def test_the_indicators_document_their_errors(schema):
    snapshots = schema["paths"]["/api/v1/indicators/{code}/snapshots"]["get"]
    assert {"200", "400", "404"} <= set(snapshots["responses"])
    parameters = {p["name"] for p in snapshots["parameters"]}
    assert {"code", "since", "until", "page", "page_size", "lang"} <= parameters


def test_every_reference_resolves(schema):
    components = schema["components"]["schemas"]
    refs = set(_refs(schema["paths"])) | set(_refs(components))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in components, ref


def test_no_two_sections_publish_different_schemas_under_one_name():
    # The schema keeps one component per class name: a second shape under the same name would
    # silently describe the wrong fields for one of the sections.
    shapes = defaultdict(set)
    for module in ROUTER_MODULES:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                shapes[value.__name__].add(frozenset(value.model_json_schema()["properties"]))
    assert {name for name, found in shapes.items() if len(found) > 1} == set()


# --- the documentation page --------------------------------------------------------------------


def test_the_docs_page_loads_its_assets_from_the_portal(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert assets
    for asset in assets:
        assert not re.match(r"(?i)(https?:)?//", asset), asset
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    assert not re.search(r"(?i)https?://", html)
    assert '"validatorUrl": null' in html

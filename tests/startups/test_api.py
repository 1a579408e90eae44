"""The open-data startup API: public fields only whoever asks, the directory's filters, clear
400s for bad parameters and 404 for anything not in the public directory."""

import datetime
import json

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts.roles import Role
from portal.core.models import Commune
from startups.models import Status
from tests.factories import make_user
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

PRIVATE_KEYS = {
    "revenue_vnd",
    "revenue_year",
    "revenue_source",
    "contact_name",
    "contact_email",
    "contact_phone",
    "documents",
    "enterprise_code",
    "members",
}
PRIVATE_VALUES = ("7654321000", "lan@xanh.example.vn", "0987654321", "Nguyễn Thị Lan", "audited")


@pytest.fixture
def startups(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        owner = make_user()
        green = make_startup(
            owner=owner,
            status=Status.VERIFIED,
            name="Công ty Nông nghiệp Xanh",
            english_name="Green Farming Co.",
            sectors=("agritech",),
            stage="seed",
            founded_on=datetime.date(2021, 5, 4),
            pitch="Cảm biến độ ẩm đất",
            description="Giúp hợp tác xã tiết kiệm nước.",
            address="12 Tràng Tiền",
            team_size=14,
            funding_raised_vnd=3_000_000_000,
            revenue_vnd=7_654_321_000,
            revenue_year=2025,
            revenue_source="audited",
            contact_name="Nguyễn Thị Lan",
            contact_email="lan@xanh.example.vn",
            contact_phone="0987654321",
        )
        wallet = make_startup(
            status=Status.VERIFIED,
            name="Ví Điện Tử Đống Đa",
            sectors=("fintech",),
            stage="series_a",
            commune=Commune.objects.get(full_name="Phường Ba Đình"),
            founded_on=datetime.date(2019, 1, 10),
        )
        draft = make_startup(name="Nông nghiệp Nháp", sectors=("agritech",))
        submitted = make_startup(status=Status.SUBMITTED, name="Nông nghiệp Chờ")
    return {
        "green": green,
        "owner": owner,
        "wallet": wallet,
        "draft": draft,
        "submitted": submitted,
    }


def _get(client, path, params=None):
    return client.get(f"/api/v1/startups{path}", params or {})


def _assert_no_private_data(body):
    text = json.dumps(body, ensure_ascii=False)
    for value in PRIVATE_VALUES:
        assert value not in text, value

    def walk(node):
        if isinstance(node, dict):
            assert not PRIVATE_KEYS & set(node), PRIVATE_KEYS & set(node)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(body)


def _staff():
    staff = make_user(Role.DEPARTMENT_STAFF)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return staff


@pytest.mark.parametrize("viewer", ["anonymous", "owner", "staff"])
def test_list_and_detail_return_public_fields_only_whoever_asks(client, startups, viewer):
    if viewer == "owner":
        client.force_login(startups["owner"])
    elif viewer == "staff":
        client.force_login(_staff())
    body = _get(client, "", {"sort": "title"}).json()
    assert body["count"] == 2 and body["pages"] == 1 and body["page"] == 1
    assert [s["name"] for s in body["results"]] == [
        "Công ty Nông nghiệp Xanh",
        "Ví Điện Tử Đống Đa",
    ]
    _assert_no_private_data(body)

    detail = _get(client, "/cong-ty-nong-nghiep-xanh").json()
    _assert_no_private_data(detail)
    assert detail["name"] == "Công ty Nông nghiệp Xanh"
    assert detail["english_name"] == "Green Farming Co."
    assert detail["url"] == "http://testserver/startups/cong-ty-nong-nghiep-xanh/"
    assert detail["sectors"] == [{"code": "agritech", "label": detail["sectors"][0]["label"]}]
    assert detail["stage"]["code"] == "seed"
    assert detail["legal_form"]["code"] == "llc"
    assert detail["founded_on"] == "2021-05-04"
    assert detail["commune"]["name"] == "Phường Hoàn Kiếm"
    assert detail["address"] == "12 Tràng Tiền"
    assert detail["team_size"] == 14
    assert detail["funding_raised_vnd"] == 3_000_000_000
    assert detail["description"] == "Giúp hợp tác xã tiết kiệm nước."
    assert detail["stale"] is False and detail["verified_at"]
    assert detail["logo"] is None


def test_list_searches_without_diacritics_and_filters(client, startups):
    body = _get(client, "", {"q": "nong nghiep"}).json()
    assert [s["name"] for s in body["results"]] == ["Công ty Nông nghiệp Xanh"]

    ba_dinh = Commune.objects.get(full_name="Phường Ba Đình").slug
    for params, expected in [
        ({"sector": "fintech"}, ["Ví Điện Tử Đống Đa"]),
        (
            {"sector": ["fintech", "agritech"], "sort": "title"},
            ["Công ty Nông nghiệp Xanh", "Ví Điện Tử Đống Đa"],
        ),
        ({"stage": "seed"}, ["Công ty Nông nghiệp Xanh"]),
        ({"commune": ba_dinh}, ["Ví Điện Tử Đống Đa"]),
        ({"founded_year": "2019"}, ["Ví Điện Tử Đống Đa"]),
        (
            {"verification": "current", "sort": "title"},
            ["Công ty Nông nghiệp Xanh", "Ví Điện Tử Đống Đa"],
        ),
        ({"verification": "stale"}, []),
    ]:
        results = _get(client, "", params).json()["results"]
        assert [s["name"] for s in results] == expected, params


def test_list_facets_have_values_labels_and_counts(client, startups):
    facets = _get(client, "").json()["facets"]
    assert set(facets) == {"sector", "stage", "commune", "founded_year", "verification"}
    sectors = {f["value"]: f["count"] for f in facets["sector"]}
    assert sectors == {"agritech": 1, "fintech": 1}
    assert all(f["label"] for f in facets["sector"])
    communes = {f["label"] for f in facets["commune"]}
    assert communes == {"Phường Hoàn Kiếm", "Phường Ba Đình"}


def test_list_paginates_through_the_engine(client, startups):
    first = _get(client, "", {"sort": "title", "page_size": "1"}).json()
    second = _get(client, "", {"sort": "title", "page_size": "1", "page": "2"}).json()
    assert (first["count"], first["pages"], first["page_size"]) == (2, 2, 1)
    assert [s["name"] for s in first["results"]] == ["Công ty Nông nghiệp Xanh"]
    assert [s["name"] for s in second["results"]] == ["Ví Điện Tử Đống Đa"]


def test_list_query_count_does_not_depend_on_page_size(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        owner, staff = make_user(), make_user(Role.DEPARTMENT_STAFF)
        for n in range(8):
            make_startup(owner=owner, staff=staff, status=Status.VERIFIED, name=f"Nông trại {n}")

    def queries(page_size):
        client.get("/api/v1/startups", {"page_size": page_size})
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/startups", {"page_size": page_size})
        assert len(response.json()["results"]) == page_size
        return len(captured)

    assert queries(2) == queries(8)


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"sort": "bogus"}, "sắp xếp"),
        ({"page": "abc"}, "số trang"),
        ({"page": "0"}, "số trang"),
        ({"page": "5"}, "trang 5"),
        ({"page_size": "101"}, "100"),
        ({"page_size": "0"}, "mỗi trang"),
        ({"sector": "spaceships"}, "lĩnh vực"),
        ({"stage": "unicorn"}, "giai đoạn"),
        ({"commune": "atlantis"}, "atlantis"),
        ({"founded_year": "3000"}, "năm thành lập"),
        ({"verification": "maybe"}, "current"),
        ({"q": "x" * 201}, "200"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(client, startups, params, mentions):
    # The open-data API speaks the portal's default language, Vietnamese.
    response = _get(client, "", params)
    assert response.status_code == 400
    assert mentions in response.json()["detail"].lower()


@pytest.mark.parametrize("which", ["draft", "submitted"])
def test_unlisted_startups_are_404_even_for_their_members(client, startups, which):
    startup = startups[which]
    assert _get(client, f"/{startup.slug}").status_code == 404
    client.force_login(startup.memberships.get().user)
    response = _get(client, f"/{startup.slug}")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert startup.name not in json.dumps(_get(client, "", {"q": "nong nghiep"}).json())


def test_unknown_slug_is_404(client, db):
    assert _get(client, "/khong-ton-tai").status_code == 404


def test_schema_documents_the_startup_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/startups" in schema["paths"]
    assert "/api/v1/startups/{slug}" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/startups"]["get"]["parameters"]}
    assert {
        "q",
        "sector",
        "stage",
        "commune",
        "founded_year",
        "verification",
        "sort",
        "page",
    } <= parameters
    text = json.dumps(schema)
    assert "revenue_vnd" not in text and "contact_email" not in text

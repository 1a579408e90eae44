"""The public directory and profile pages: only verified startups, Vietnamese-aware search,
facets, sorting, pagination, constant queries, and private fields only for members and staff."""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone, translation

from portal.accounts.roles import Role
from portal.core.models import Commune
from portal.files.kinds import DOCUMENTS
from portal.files.services import private_file_create
from startups import home_hooks, services
from startups.models import Membership, Origin, Sector, Stage, Startup, Status
from tests.conftest import count_queries
from tests.factories import make_user
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _commune(full_name: str) -> Commune:
    return Commune.objects.get(full_name=full_name)


def _staff():
    staff = make_user(Role.DEPARTMENT_STAFF)
    # Staff must use two-factor authentication before any page opens for them.
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return staff


@pytest.fixture
def registry(django_capture_on_commit_callbacks):
    """Startups in every state, indexed the way production indexes them: by the task queued
    after each commit (the test task backend runs it at once)."""
    with django_capture_on_commit_callbacks(execute=True):
        green_owner = make_user()
        green = make_startup(
            owner=green_owner,
            status=Status.VERIFIED,
            name="Công ty Nông nghiệp Xanh",
            english_name="Green Farming Co.",
            sectors=("agritech", "cleantech"),
            stage="seed",
            founded_on=datetime.date(2021, 5, 4),
            pitch="Cảm biến độ ẩm đất cho nông dân ngoại thành",
            description="Chúng tôi giúp hợp tác xã tiết kiệm nước tưới.",
            products="Cảm biến XanhSense",
            address="12 Tràng Tiền",
            team_size=14,
            website="https://xanh.example.vn",
            funding_raised_vnd=3_000_000_000,
            revenue_vnd=7_654_321_000,
            revenue_year=2025,
            revenue_source="audited",
            contact_name="Nguyễn Thị Lan",
            contact_email="lan@xanh.example.vn",
            contact_phone="0987654321",
            ip_held="Giải pháp hữu ích số 2-0001234",
            support_received="Vườn ươm Hà Nội 2024",
        )
        wallet = make_startup(
            status=Status.VERIFIED,
            name="Ví Điện Tử Đống Đa",
            sectors=("fintech",),
            stage="series_a",
            commune=_commune("Phường Ba Đình"),
            founded_on=datetime.date(2019, 1, 10),
            pitch="Thanh toán số cho hộ kinh doanh",
        )
        old = make_startup(
            status=Status.VERIFIED,
            name="Dữ liệu Cũ",
            sectors=("ai",),
            stage="growth",
            founded_on=datetime.date(2015, 3, 1),
        )
        draft = make_startup(name="Công ty Nông nghiệp Nháp", sectors=("agritech",))
        submitted = make_startup(status=Status.SUBMITTED, name="Nông nghiệp Chờ Duyệt")
        rejected = make_startup(status=Status.REJECTED, name="Nông nghiệp Bị Từ Chối")
        # `old` missed its yearly re-confirmation: the daily sweep marks it stale.
        Startup.objects.filter(pk=old.pk).update(
            confirmation_due_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        services.reconfirmation_sweep()
    return {
        "green": green,
        "green_owner": green_owner,
        "wallet": wallet,
        "old": old,
        "draft": draft,
        "submitted": submitted,
        "rejected": rejected,
    }


def _profile(startup) -> str:
    # Not get_absolute_url(): it follows the language a previous request left active.
    return f"/startups/{startup.slug}/"


def _names(response) -> list[str]:
    return [startup.name for startup in response.context["startups"]]


# --- the directory ---------------------------------------------------------------------------


def test_directory_lists_only_verified_startups(client, registry):
    response = client.get("/startups/")
    assert response.status_code == 200
    assert sorted(_names(response)) == sorted(
        ["Công ty Nông nghiệp Xanh", "Ví Điện Tử Đống Đa", "Dữ liệu Cũ"]
    )
    assert response.context["results"].total == 3
    html = response.content.decode()
    assert "Nháp" not in html and "Chờ Duyệt" not in html and "Bị Từ Chối" not in html
    assert re.search(r'id="directory-count">\s*3\b', html)


def test_search_without_diacritics_finds_vietnamese_names(client, registry):
    response = client.get("/startups/", {"q": "nong nghiep"})
    # The draft, submitted and rejected namesakes are not in the directory.
    assert _names(response) == ["Công ty Nông nghiệp Xanh"]
    assert _names(client.get("/startups/", {"q": "dong da"})) == ["Ví Điện Tử Đống Đa"]
    assert _names(client.get("/startups/", {"q": "XanhSense"})) == ["Công ty Nông nghiệp Xanh"]


def test_card_shows_the_public_summary_and_the_stale_badge(client, registry):
    html = client.get("/startups/", {"sort": "title"}).content.decode()
    assert "Green Farming Co." in html
    assert "Cảm biến độ ẩm đất cho nông dân ngoại thành" in html
    with translation.override("vi"):
        assert str(Sector.AGRITECH.label) in html and str(Stage.SEED.label) in html
    assert "Phường Hoàn Kiếm" in html and "2021" in html
    assert _profile(registry["green"]) in html
    cards = client.get("/startups/", {"verification": "stale"}).context["startups"]
    assert [c.name for c in cards] == ["Dữ liệu Cũ"] and cards[0].is_stale
    # Private fields never reach a card.
    assert "lan@xanh.example.vn" not in html and "0987654321" not in html


def test_facets_count_and_filter(client, registry):
    response = client.get("/startups/")
    groups = {group["field"]: group for group in response.context["facet_groups"]}
    assert set(groups) == {"sector", "stage", "commune", "founded_year", "verification"}
    sectors = {o["value"]: o["count"] for o in groups["sector"]["options"]}
    assert sectors == {"agritech": 1, "cleantech": 1, "fintech": 1, "ai": 1}
    verification = {o["value"]: o["count"] for o in groups["verification"]["options"]}
    assert verification == {"current": 2, "stale": 1}
    years = [o["value"] for o in groups["founded_year"]["options"]]
    assert years == ["2021", "2019", "2015"]  # newest first

    fintech = next(o for o in groups["sector"]["options"] if o["value"] == "fintech")
    assert "sector=fintech" in fintech["url"]
    filtered = client.get("/startups/" + fintech["url"])
    assert _names(filtered) == ["Ví Điện Tử Đống Đa"]
    # The chosen value shows as selected and as a removable chip.
    sector_group = next(g for g in filtered.context["facet_groups"] if g["field"] == "sector")
    assert next(o for o in sector_group["options"] if o["value"] == "fintech")["selected"]
    chip = filtered.context["active_filters"][0]
    assert "sector=" not in chip["url"]

    ba_dinh = _commune("Phường Ba Đình").slug
    assert _names(client.get("/startups/", {"commune": ba_dinh})) == ["Ví Điện Tử Đống Đa"]
    assert _names(client.get("/startups/", {"stage": "seed"})) == ["Công ty Nông nghiệp Xanh"]
    assert _names(client.get("/startups/", {"founded_year": "2015"})) == ["Dữ liệu Cũ"]
    # Several values of one facet: any of them; several facets: all of them.
    both = client.get("/startups/", {"sector": ["fintech", "ai"]})
    assert sorted(_names(both)) == ["Dữ liệu Cũ", "Ví Điện Tử Đống Đa"]
    assert _names(
        client.get("/startups/", {"sector": ["fintech", "ai"], "verification": "current"})
    ) == ["Ví Điện Tử Đống Đa"]


def test_sorting(client, registry):
    by_title = _names(client.get("/startups/", {"sort": "title"}))
    assert by_title == ["Công ty Nông nghiệp Xanh", "Dữ liệu Cũ", "Ví Điện Tử Đống Đa"]
    newest = _names(client.get("/startups/", {"sort": "newest"}))
    # Verified last first: `old` was verified last of the three.
    assert newest == ["Dữ liệu Cũ", "Ví Điện Tử Đống Đa", "Công ty Nông nghiệp Xanh"]


def test_pagination_keeps_the_query(client, registry):
    first = client.get(
        "/startups/", {"sort": "title", "page_size": "2", "sector": ["agritech", "fintech", "ai"]}
    )
    assert _names(first) == ["Công ty Nông nghiệp Xanh", "Dữ liệu Cũ"]
    next_url = first.context["pages"]["next"]
    assert "page=2" in next_url and "sort=title" in next_url and "page_size=2" in next_url
    assert next_url.count("sector=") == 3
    second = client.get("/startups/" + next_url)
    assert _names(second) == ["Ví Điện Tử Đống Đa"]
    assert second.context["pages"]["next"] == ""
    previous = second.context["pages"]["previous"]
    assert "page=1" in previous and "sort=title" in previous and "page_size=2" in previous
    html = second.content.decode()
    assert 'start="3"' in html


def test_export_links_carry_the_current_filters(client, registry):
    html = client.get(
        "/startups/", {"q": "nong", "sector": "agritech", "page": "1"}
    ).content.decode()
    assert "/startups/export/?format=csv&amp;q=nong&amp;sector=agritech" in html
    assert "/startups/export/?format=xlsx&amp;q=nong&amp;sector=agritech" in html


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "bogus"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "999"},
        {"page_size": "100000"},
        {"sector": "spaceships"},
        {"stage": "unicorn"},
        {"commune": "atlantis"},
        {"founded_year": "19x9"},
        {"verification": "maybe"},
        {"q": "x" * 500},
    ],
)
def test_bad_parameters_get_a_message_and_a_sensible_fallback(client, registry, params):
    response = client.get("/startups/", params)
    assert response.status_code == 200
    assert response.context["problems"]
    assert "alert--warning" in response.content.decode()
    # The fallback still lists the directory (a long nonsense text only matches nothing).
    if "q" not in params:
        assert len(response.context["startups"]) == 3
    # Links never carry the bad value on.
    for group in response.context["facet_groups"]:
        for option in group["options"]:
            assert "bogus" not in option["url"] and "abc" not in option["url"]


def test_page_beyond_the_end_shows_the_last_page(client, registry):
    response = client.get("/startups/", {"page": "7", "page_size": "2", "sort": "title"})
    assert response.context["results"].request.page == 2
    assert _names(response) == ["Ví Điện Tử Đống Đa"]
    assert any("7" in problem for problem in response.context["problems"])


def test_empty_state_helps(client, registry):
    html = client.get("/startups/", {"q": "khong co gi", "sector": "fintech"}).content.decode()
    assert "empty-state" in html
    assert 'href="?q=khong+co+gi"' in html  # clear the filters, keep the words
    assert 'href="/startups/"' in html


def test_empty_directory_invites_registration(client, db):
    html = client.get("/startups/").content.decode()
    assert "empty-state" in html and 'href="/me/startups/"' in html


def test_query_count_does_not_depend_on_page_size(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        owner = make_user()
        staff = make_user(Role.DEPARTMENT_STAFF)
        for n in range(12):
            make_startup(
                owner=owner,
                staff=staff,
                status=Status.VERIFIED,
                name=f"Nông nghiệp số {n}",
                sectors=("agritech", "ai") if n % 2 else ("fintech",),
            )
    few = count_queries(client, "/startups/?q=nong+nghiep&page_size=2")
    many = count_queries(client, "/startups/?q=nong+nghiep&page_size=12")
    assert few == many
    assert len(client.get("/startups/?q=nong+nghiep&page_size=12").context["startups"]) == 12


def test_english_directory(client, registry):
    response = client.get("/en/startups/", {"q": "nong nghiep"})
    assert response.status_code == 200
    assert _names(response) == ["Công ty Nông nghiệp Xanh"]
    assert "1 verified startup" in response.content.decode()


# --- profiles --------------------------------------------------------------------------------

PRIVATE_VALUES = (
    "7.654.321.000",
    "lan@xanh.example.vn",
    "0987654321",
    "Nguyễn Thị Lan",
    "deck.pdf",
)


@pytest.fixture
def with_document(registry):
    document = private_file_create(
        owner=registry["green_owner"],
        upload=SimpleUploadedFile("deck.pdf", PDF_BYTES, content_type="application/pdf"),
        allowed=DOCUMENTS,
        attach_to=registry["green"],
    )
    return document


def _viewer(kind: str, registry):
    if kind == "anonymous":
        return None
    if kind == "founder_of_another":
        return Membership.objects.get(startup=registry["wallet"]).user
    if kind == "member":
        member = make_user()
        Membership.objects.create(startup=registry["green"], user=member, role="member")
        return member
    if kind == "owner":
        return registry["green_owner"]
    if kind == "staff":
        return _staff()
    raise ValueError(kind)


@pytest.mark.parametrize(
    ("viewer", "sees_private"),
    [
        ("anonymous", False),
        ("founder_of_another", False),
        ("member", True),
        ("owner", True),
        ("staff", True),
    ],
)
def test_profile_private_fields_permission_matrix(
    client, registry, with_document, viewer, sees_private
):
    user = _viewer(viewer, registry)
    if user:
        client.force_login(user)
    response = client.get(_profile(registry["green"]))
    assert response.status_code == 200
    html = response.content.decode()
    # Public fields for everyone.
    for public in (
        "Công ty Nông nghiệp Xanh",
        "Green Farming Co.",
        "Cảm biến độ ẩm đất cho nông dân ngoại thành",
        "Chúng tôi giúp hợp tác xã tiết kiệm nước tưới.",
        "Cảm biến XanhSense",
        "12 Tràng Tiền",
        "Phường Hoàn Kiếm",
        "https://xanh.example.vn",
        "Giải pháp hữu ích số 2-0001234",
        "Vườn ươm Hà Nội 2024",
    ):
        assert public in html, public
    for private in PRIVATE_VALUES:
        assert (private in html) is sees_private, (viewer, private)
    assert (f"/files/{with_document.pk}/" in html) is sees_private
    assert ("2025" in html) is sees_private  # the revenue year appears only with the revenue
    assert (response.context["show_private"]) is sees_private
    if sees_private:
        assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_profile_head_has_title_description_and_open_graph(client, registry):
    html = client.get(_profile(registry["green"])).content.decode()
    assert "<title>Công ty Nông nghiệp Xanh (Green Farming Co.)" in html
    assert '<meta name="description" content="Cảm biến độ ẩm đất cho nông dân ngoại thành">' in html
    assert '<meta property="og:title" content="Công ty Nông nghiệp Xanh">' in html
    assert (
        'property="og:url" content="http://testserver/startups/cong-ty-nong-nghiep-xanh/"' in html
    )
    assert "noindex" not in html


def test_stale_profile_is_marked(client, registry):
    html = client.get(_profile(registry["old"])).content.decode()
    assert "status--warn" in html
    assert client.get(_profile(registry["green"])).content.decode().count("status--warn") == 0


@pytest.mark.parametrize("which", ["draft", "submitted", "rejected"])
def test_unlisted_profiles_are_404_for_the_public_and_for_other_founders(client, registry, which):
    url = f"/startups/{registry[which].slug}/"
    assert client.get(url).status_code == 404
    client.force_login(_viewer("founder_of_another", registry))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("which", ["draft", "submitted", "rejected"])
def test_unlisted_profiles_show_members_and_staff_a_status_banner(client, registry, which):
    startup = registry[which]
    for user in (Membership.objects.get(startup=startup).user, _staff()):
        client.force_login(user)
        response = client.get(f"/startups/{startup.slug}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "alert--warning" in html and startup.get_status_display() in html
        assert 'content="noindex, nofollow"' in html


def test_members_get_the_edit_link_others_do_not(client, registry):
    url = _profile(registry["green"])
    edit = f'href="/me/startups/{registry["green"].pk}/"'
    assert edit not in client.get(url).content.decode()
    client.force_login(registry["green_owner"])
    assert edit in client.get(url).content.decode()
    client.force_login(_viewer("founder_of_another", registry))
    assert edit not in client.get(url).content.decode()


def test_unclaimed_imported_startup_offers_a_claim(client, registry):
    green = registry["green"]
    claim = f'href="/me/startups/claim/{green.slug}/"'
    assert claim not in client.get(_profile(green)).content.decode()
    # An imported record nobody has claimed yet.
    Membership.objects.filter(startup=green).delete()
    Startup.objects.filter(pk=green.pk).update(origin=Origin.IMPORTED)
    assert claim in client.get(_profile(green)).content.decode()
    assert (
        f'href="/en/me/startups/claim/{green.slug}/"'
        in client.get(f"/en/startups/{green.slug}/").content.decode()
    )


def test_unknown_slug_is_404(client, db):
    assert client.get("/startups/khong-ton-tai/").status_code == 404


# --- home page hooks -------------------------------------------------------------------------


def test_home_figure_counts_verified_current_startups_against_the_target(registry):
    request = RequestFactory().get("/")
    with translation.override("vi"):
        (figure,) = home_hooks.verified_startups_figure(request)
    assert figure["value"] == "2"  # the stale one does not count
    assert figure["url"] == "/startups/"
    assert figure["progress"] == pytest.approx(2 / 5000)
    assert "5.000" in figure["target"] and "0,0" in figure["target"]
    (section,) = home_hooks.directory_section(request)
    assert section["url"] == "/startups/" and section["title"]


def test_home_page_shows_the_figure_and_the_entry_point(client, seeded):
    html = client.get("/").content.decode()
    assert 'href="/startups/"' in html
    assert "figure__value" in html

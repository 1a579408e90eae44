import pytest
from wagtail.models import ModelLogEntry

from portal.accounts.roles import Role
from portal.notifications.models import Notification
from startups import services
from startups.models import Claim, ClaimStatus, Status
from tests.factories import make_user, with_mfa
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

QUEUE = "/admin/startups_startup/"


@pytest.fixture
def staff(client):
    user = with_mfa(make_user(Role.DEPARTMENT_STAFF))
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", [None, Role.FOUNDER, Role.REVIEWER, Role.FUND_MANAGER])
def test_only_registry_staff_reach_the_queue_and_review(client, role):
    startup = make_startup(status=Status.SUBMITTED)
    user = make_user(*([role] if role else []))
    if role in (Role.REVIEWER, Role.FUND_MANAGER):
        with_mfa(user)
    client.force_login(user)
    for url in (QUEUE, f"/admin/startups/review/{startup.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    response = client.post(f"/admin/startups/review/{startup.pk}/", {"decision": "verified"})
    startup.refresh_from_db()
    assert startup.status == Status.SUBMITTED


def test_the_queue_opens_on_submitted_startups_and_filters(client, staff):
    waiting = make_startup(status=Status.SUBMITTED, name="Đang chờ duyệt")
    make_startup(status=Status.VERIFIED, name="Đã xác minh rồi")
    response = client.get(QUEUE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Đang chờ duyệt" in content
    assert f"/admin/startups/review/{waiting.pk}/" in content
    assert "Đã xác minh rồi" not in content
    everything = client.get(QUEUE + "?status=").content.decode()
    assert "Đã xác minh rồi" in everything
    assert "Đã xác minh rồi" in client.get(QUEUE + "?status=verified").content.decode()


def test_the_generic_edit_forms_are_not_exposed(client, staff):
    startup = make_startup(status=Status.SUBMITTED)
    for url in (
        "/admin/startups_startup/new/",
        f"/admin/startups_startup/edit/{startup.pk}/",
        f"/admin/startups_startup/delete/{startup.pk}/",
    ):
        assert client.get(url).status_code == 404


def test_staff_verify_from_the_review_page(client, staff):
    owner = make_user()
    startup = make_startup(owner=owner, status=Status.SUBMITTED)
    review = f"/admin/startups/review/{startup.pk}/"
    page = client.get(review).content.decode()
    assert "never been verified" in page or "chưa từng được xác minh" in page
    response = client.post(review, {"decision": "verified", "note": ""})
    assert response.status_code == 302
    startup.refresh_from_db()
    assert startup.status == Status.VERIFIED
    assert Notification.objects.filter(recipient=owner).count() == 1
    assert ModelLogEntry.objects.for_instance(startup).filter(action="startups.verify").exists()


def test_request_changes_needs_reasons_and_records_them(client, staff):
    startup = make_startup(status=Status.SUBMITTED)
    review = f"/admin/startups/review/{startup.pk}/"
    response = client.post(review, {"decision": "changes_requested", "note": "Bổ sung"})
    assert response.status_code == 200
    startup.refresh_from_db()
    assert startup.status == Status.SUBMITTED
    response = client.post(
        review,
        {
            "decision": "changes_requested",
            "reason_codes": ["missing_documents", "incomplete_profile"],
            "note": "Bổ sung giấy phép",
        },
    )
    assert response.status_code == 302
    startup.refresh_from_db()
    assert startup.status == Status.CHANGES_REQUESTED
    transition = startup.transitions.first()
    assert transition.reason_codes == ["missing_documents", "incomplete_profile"]
    history = client.get(review).content.decode()
    assert "Bổ sung giấy phép" in history


def test_a_decision_on_a_draft_is_refused(client, staff):
    startup = make_startup()
    response = client.post(f"/admin/startups/review/{startup.pk}/", {"decision": "verified"})
    assert response.status_code == 200
    startup.refresh_from_db()
    assert startup.status == Status.DRAFT


def test_the_diff_shows_what_changed_since_verification(client, staff):
    owner = make_user()
    startup = make_startup(owner=owner, status=Status.VERIFIED, pitch="Trước đây")
    services.startup_update(user=owner, startup=startup, fields={"pitch": "Bây giờ"})
    page = client.get(f"/admin/startups/review/{startup.pk}/").content.decode()
    assert "<del>Trước đây</del>" in page
    assert "<ins>Bây giờ</ins>" in page


def test_staff_decide_claims(client, staff):
    startup = make_startup(status=Status.VERIFIED)
    startup.memberships.all().delete()
    founder = make_user()
    claim = services.claim_request_review(
        user=founder, startup=startup, evidence="Tôi là giám đốc, có giấy phép kinh doanh."
    )
    queue = client.get("/admin/startups_claim/").content.decode()
    assert f"/admin/startups/claims/{claim.pk}/" in queue
    url = f"/admin/startups/claims/{claim.pk}/"
    assert client.post(url, {"approve": "0", "note": ""}).status_code == 200
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PENDING
    assert client.post(url, {"approve": "1", "note": ""}).status_code == 302
    assert startup.memberships.get().user == founder


def test_the_queue_keeps_its_default_filter_while_paging_and_searching(client, staff):
    make_startup(status=Status.SUBMITTED, name="Đang chờ duyệt")
    make_startup(status=Status.VERIFIED, name="Đã xác minh rồi")
    for query in ("?p=1", "?q=da"):
        content = client.get(QUEUE + query).content.decode()
        assert "Đã xác minh rồi" not in content, query

"""The founder journey at /me/startups/, through the views."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from portal.accounts.roles import Role
from portal.core.models import Commune
from portal.files.models import PrivateFile
from startups import services
from startups.models import (
    Claim,
    ClaimMethod,
    ClaimStatus,
    Invitation,
    MemberRole,
    Membership,
    Origin,
    Startup,
    Status,
    Transition,
)
from tests.conftest import page
from tests.factories import make_user, with_mfa
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

BASE = "/en/me/startups/"


def profile_data(**overrides):
    data = {
        "name": "Công ty Cổ phần Lúa Vàng",
        "english_name": "Golden Rice JSC",
        "enterprise_code": "0109876543",
        "legal_form": "jsc",
        "founded_on": "2023-05-10",
        "commune": str(Commune.objects.get(full_name="Phường Hoàn Kiếm").pk),
        "address": "12 Tràng Tiền",
        "sectors": ["agritech", "ai"],
        "stage": "seed",
        "team_size": "12",
        "website": "https://luavang.vn",
        "pitch": "Giống lúa chịu mặn cho đồng bằng",
        "description": "",
        "products": "",
        "funding_raised_vnd": "1.500.000.000",
        "revenue_vnd": "2.000.000.000",
        "revenue_year": "2025",
        "revenue_source": "self_declared",
        "ip_held": "",
        "support_received": "",
        "contact_name": "Nguyễn Thị Lan",
        "contact_email": "lienhe@luavang.vn",
        "contact_phone": "0912 345 678",
    }
    data.update(overrides)
    return data


def edit_data(startup, **overrides):
    """The edit form as the browser posts it back, unchanged unless overridden."""
    values = {
        name: getattr(startup, name)
        for name in services.PROFILE_FIELDS
        if name not in ("logo", "commune", "founded_on")
    }
    values = {name: "" if value is None else value for name, value in values.items()}
    values["commune"] = str(startup.commune_id)
    values["founded_on"] = startup.founded_on.isoformat() if startup.founded_on else ""
    values["sectors"] = startup.sector_codes
    values.update(overrides)
    return values


def detail_url(startup) -> str:
    return f"{BASE}{startup.pk}/"


def snapshot(startup) -> dict:
    startup = Startup.objects.get(pk=startup.pk)
    return {
        **services.profile_snapshot(startup),
        "status": startup.status,
        "transitions": startup.transitions.count(),
    }


# --- the journey -----------------------------------------------------------------------------


def test_register_edit_and_submit(client):
    founder = make_user(email="lan@luavang.vn")
    client.force_login(founder)

    assert client.get(f"{BASE}new/").status_code == 200
    response = client.post(f"{BASE}new/", profile_data())

    startup = Startup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(startup)
    assert startup.status == Status.DRAFT
    assert startup.funding_raised_vnd == 1_500_000_000
    assert startup.contact_phone == "0912345678"
    assert sorted(startup.sector_codes) == ["agritech", "ai"]
    assert Membership.objects.get(startup=startup).user == founder
    assert Membership.objects.get(startup=startup).role == MemberRole.OWNER

    detail = page(client.get(detail_url(startup)))
    assert "is saved as a draft" in detail
    assert "Only your team sees this profile" in detail
    assert "Submit for verification" in detail

    response = client.post(
        f"{detail_url(startup)}edit/",
        edit_data(startup, pitch="Giống lúa chịu mặn, chịu hạn", revenue_vnd="3.000.000.000"),
    )
    assert response.status_code == 302
    startup.refresh_from_db()
    assert startup.pitch == "Giống lúa chịu mặn, chịu hạn"
    assert startup.revenue_vnd == 3_000_000_000

    response = client.post(f"{detail_url(startup)}submit/", follow=True)
    startup.refresh_from_db()
    assert startup.status == Status.SUBMITTED
    assert "is submitted for verification" in page(response)
    assert "The department is checking the profile" in page(response)

    # Submitted: no more editing until the department decides.
    response = client.get(f"{detail_url(startup)}edit/", follow=True)
    assert "cannot be edited" in page(response)
    assert client.get(f"{BASE}").status_code == 200
    assert "Submitted for verification" in page(client.get(BASE))


def test_submitting_twice_is_refused_and_changes_nothing(client):
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.SUBMITTED)
    before = snapshot(startup)
    client.force_login(founder)

    response = client.post(f"{detail_url(startup)}submit/", follow=True)

    assert "cannot become" in page(response)
    assert snapshot(startup) == before


def test_changes_requested_edit_and_resubmit(client):
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.CHANGES_REQUESTED)
    client.force_login(founder)

    detail = page(client.get(detail_url(startup)))
    assert "What the department asks you to change" in detail
    assert "The profile is incomplete" in detail
    assert "Thiếu mô tả" in detail
    assert "Submit again for verification" in detail

    response = client.post(
        f"{detail_url(startup)}edit/",
        edit_data(startup, description="Chúng tôi phát triển giống lúa chịu mặn."),
        follow=True,
    )
    assert "Submit the profile again when it is ready" in page(response)

    client.post(f"{detail_url(startup)}submit/")
    startup.refresh_from_db()
    assert startup.status == Status.SUBMITTED
    assert startup.description == "Chúng tôi phát triển giống lúa chịu mặn."
    history = page(client.get(detail_url(startup)))
    assert "Changes requested → Submitted for verification" in history
    assert "Department of Science and Technology" in history
    assert list(startup.transitions.values_list("to_status", flat=True)) == [
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        Status.SUBMITTED,
    ]


def test_rejected_startup_shows_its_reasons_and_cannot_be_edited(client):
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.REJECTED)
    client.force_login(founder)

    detail = page(client.get(detail_url(startup)))
    assert "Why the startup was not verified" in detail
    assert "The registered office is not in Hanoi" in detail
    assert "Submit for verification" not in detail

    before = snapshot(startup)
    response = client.post(f"{detail_url(startup)}edit/", edit_data(startup, pitch="Khác"))
    assert response.status_code == 302
    assert snapshot(startup) == before


def test_reconfirm_an_overdue_startup(client):
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.VERIFIED)
    Startup.objects.filter(pk=startup.pk).update(
        confirmation_due_on=timezone.localdate() - timedelta(days=3), is_stale=True
    )
    client.force_login(founder)

    detail = page(client.get(detail_url(startup)))
    assert "Stale: re-confirmation overdue" in detail
    assert "Re-confirmation was due on" in detail

    response = client.post(f"{detail_url(startup)}reconfirm/", follow=True)

    startup.refresh_from_db()
    assert not startup.is_stale
    assert startup.confirmation_due_on > timezone.localdate() + timedelta(days=300)
    assert "the data is confirmed as current" in page(response)
    assert "Next re-confirmation due by" in page(response)


def test_reconfirm_is_refused_before_verification(client):
    founder = make_user()
    startup = make_startup(owner=founder)
    client.force_login(founder)

    response = client.post(f"{detail_url(startup)}reconfirm/", follow=True)

    assert "Only a verified startup is re-confirmed." in page(response)
    assert Startup.objects.get(pk=startup.pk).confirmation_due_on is None


def test_verified_startup_keeps_its_enterprise_code(client):
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.VERIFIED)
    client.force_login(founder)

    form = page(client.get(f"{detail_url(startup)}edit/"))
    assert "can only be changed by the department" in form

    client.post(
        f"{detail_url(startup)}edit/", edit_data(startup, enterprise_code="0999999999", pitch="Mới")
    )
    startup.refresh_from_db()
    assert startup.pitch == "Mới"
    assert startup.enterprise_code != "0999999999"
    assert startup.status == Status.VERIFIED
    assert startup.revisions.filter(is_verified_state=False).count() == 1


# --- members and invitations -----------------------------------------------------------------


def test_invite_and_accept_with_another_account(client, django_capture_on_commit_callbacks):
    owner = make_user()
    startup = make_startup(owner=owner)
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{detail_url(startup)}members/invite/",
            {"email": "Minh@Example.org", "role": "member"},
            follow=True,
        )
    assert "Invitation sent to minh@example.org" in page(response)
    assert "minh@example.org" in page(response)  # listed as pending
    invitation = Invitation.objects.get(startup=startup)
    assert len(mail.outbox) == 1
    path = f"/me/startups/invitations/{invitation.token}/"
    assert path in mail.outbox[0].body

    invitee = make_user(email="minh@example.org")
    client.force_login(invitee)
    shown = page(client.get(f"/en{path}"))
    assert startup.name in shown
    assert "Accept and join" in shown

    response = client.post(f"/en{path}")
    assert response.status_code == 302
    assert response["Location"] == detail_url(startup)
    assert Membership.objects.get(startup=startup, user=invitee).role == MemberRole.MEMBER
    assert client.get(detail_url(startup)).status_code == 200

    # Used once: a second accept is refused with a clear message.
    assert "already a member" in page(client.get(f"/en{path}"))
    assert "already been used" in page(client.post(f"/en{path}"))


def test_accepting_with_the_wrong_account_is_refused(client):
    owner = make_user()
    startup = make_startup(owner=owner)
    invitation = services.member_invite(
        user=owner, startup=startup, email="minh@example.org", role="owner"
    )
    intruder = make_user(email="khac@example.org")
    client.force_login(intruder)

    shown = page(client.get(f"{BASE}invitations/{invitation.token}/"))
    assert "m***@example.org" in shown
    assert "Accept and join" not in shown

    refused = page(client.post(f"{BASE}invitations/{invitation.token}/"))
    assert "This invitation was sent to another email address." in refused
    assert not Membership.objects.filter(user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert client.get(detail_url(startup)).status_code == 404


def test_expired_invitation_says_so(client):
    owner = make_user()
    startup = make_startup(owner=owner)
    invitation = services.member_invite(
        user=owner, startup=startup, email="minh@example.org", role="member"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(make_user(email="minh@example.org"))

    assert "This invitation expired" in page(client.get(f"{BASE}invitations/{invitation.token}/"))
    refused = page(client.post(f"{BASE}invitations/{invitation.token}/"))
    assert "This invitation has expired" in refused
    assert not Membership.objects.filter(user__email="minh@example.org").exists()


def test_invitation_page_sends_anonymous_visitors_to_sign_in(client):
    owner = make_user()
    startup = make_startup(owner=owner)
    invitation = services.member_invite(
        user=owner, startup=startup, email="minh@example.org", role="member"
    )

    response = client.get(f"/me/startups/invitations/{invitation.token}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert f"next=/me/startups/invitations/{invitation.token}/" in response["Location"]


def test_invalid_invitation_is_shown_on_the_form(client):
    owner = make_user()
    startup = make_startup(owner=owner)
    client.force_login(owner)

    response = client.post(
        f"{detail_url(startup)}members/invite/", {"email": owner.email, "role": "member"}
    )

    assert response.status_code == 200
    assert "This person is already a member." in page(response)
    assert not Invitation.objects.exists()


def test_only_owners_invite_and_remove(client):
    owner, member = make_user(), make_user()
    startup = make_startup(owner=owner)
    Membership.objects.create(startup=startup, user=member, role=MemberRole.MEMBER)
    owner_membership = Membership.objects.get(user=owner)
    client.force_login(member)

    detail = page(client.get(detail_url(startup)))
    assert "Invite a co-founder" not in detail
    response = client.post(
        f"{detail_url(startup)}members/invite/", {"email": "x@example.org", "role": "owner"}
    )
    assert "Only the startup&#x27;s owners can invite members." in page(response)
    response = client.post(
        f"{detail_url(startup)}members/{owner_membership.pk}/remove/", follow=True
    )
    assert "Only the startup&#x27;s owners can remove members." in page(response)
    assert not Invitation.objects.exists()
    assert Membership.objects.filter(startup=startup).count() == 2


def test_owner_removes_a_member_but_not_the_last_owner(client):
    owner, member = make_user(), make_user()
    startup = make_startup(owner=owner)
    membership = Membership.objects.create(startup=startup, user=member, role=MemberRole.MEMBER)
    client.force_login(owner)

    response = client.post(f"{detail_url(startup)}members/{membership.pk}/remove/", follow=True)
    assert "no longer belongs to" in page(response)
    assert not Membership.objects.filter(user=member).exists()

    own = Membership.objects.get(user=owner)
    response = client.post(f"{detail_url(startup)}members/{own.pk}/remove/", follow=True)
    assert "A startup needs at least one owner" in page(response)
    assert Membership.objects.filter(user=owner).exists()


# --- documents -------------------------------------------------------------------------------


def test_upload_a_document_and_refuse_a_wrong_type(client):
    founder = make_user()
    startup = make_startup(owner=founder)
    client.force_login(founder)

    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 an executable, not a PDF" * 10)
    response = client.post(f"{detail_url(startup)}documents/", {"file": fake})
    assert response.status_code == 200
    assert "not an accepted type" in page(response)
    assert not PrivateFile.objects.exists()

    pdf = SimpleUploadedFile("giay-chung-nhan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    response = client.post(f"{detail_url(startup)}documents/", {"file": pdf}, follow=True)
    document = PrivateFile.objects.get()
    assert document.attached_to == startup
    assert document.owner == founder
    assert f'href="/files/{document.pk}/"' in page(response)
    assert "giay-chung-nhan.pdf" in page(response)

    outsider = make_user()
    client.force_login(outsider)
    assert client.get(f"/files/{document.pk}/").status_code == 403
    assert (
        client.post(
            f"{detail_url(startup)}documents/",
            {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n")},
        ).status_code
        == 404
    )
    assert PrivateFile.objects.count() == 1


# --- who may see and do what ------------------------------------------------------------------


def test_another_founder_gets_404_and_changes_nothing(client):
    startup = make_startup(owner=make_user(), status=Status.CHANGES_REQUESTED)
    before = snapshot(startup)
    other_founder = make_user()
    make_startup(owner=other_founder)
    client.force_login(other_founder)

    url = detail_url(startup)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}edit/").status_code == 404
    assert client.post(f"{url}edit/", edit_data(startup, name="Đã chiếm")).status_code == 404
    assert client.post(f"{url}submit/").status_code == 404
    assert client.post(f"{url}reconfirm/").status_code == 404
    assert (
        client.post(
            f"{url}members/invite/", {"email": "x@example.org", "role": "owner"}
        ).status_code
        == 404
    )
    membership = Membership.objects.get(startup=startup)
    assert client.post(f"{url}members/{membership.pk}/remove/").status_code == 404
    assert snapshot(startup) == before
    assert not Invitation.objects.exists()
    assert Membership.objects.filter(startup=startup).count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client):
    startup = make_startup()
    for url in (BASE, f"{BASE}new/", detail_url(startup), f"{BASE}claim/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_registry_staff_see_any_startup(client):
    startup = make_startup(status=Status.SUBMITTED)
    client.force_login(with_mfa(make_user(Role.DEPARTMENT_STAFF)))

    response = client.get(detail_url(startup))

    assert response.status_code == 200
    assert startup.contact_email in page(response)


def test_get_is_refused_on_actions(client):
    founder = make_user()
    startup = make_startup(owner=founder)
    client.force_login(founder)

    assert client.get(f"{detail_url(startup)}submit/").status_code == 405
    assert Startup.objects.get(pk=startup.pk).status == Status.DRAFT


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"enterprise_code": "01098765"}, "An enterprise code has 10 digits"),
        ({"enterprise_code": "DUPLICATE"}, "already registered"),
        ({"founded_on": "2999-01-01"}, "The founding date cannot be in the future."),
        ({"funding_raised_vnd": "-1.000.000"}, "An amount of money cannot be negative."),
        ({"revenue_vnd": "-5"}, "An amount of money cannot be negative."),
        ({"sectors": ["ai", "spaceships"]}, "Select a valid choice."),
        ({"contact_phone": "999"}, "Enter a Vietnamese phone number"),
    ],
)
def test_bad_input_rerenders_the_form_and_creates_nothing(client, overrides, message):
    existing = make_startup()
    if overrides.get("enterprise_code") == "DUPLICATE":
        overrides = {"enterprise_code": existing.enterprise_code}
    client.force_login(make_user())

    response = client.post(f"{BASE}new/", profile_data(**overrides))

    assert response.status_code == 200
    assert message in page(response)
    assert "The profile was not saved." in page(response)
    assert Startup.objects.count() == 1


def test_bad_input_on_edit_changes_nothing(client):
    founder = make_user()
    startup = make_startup(owner=founder)
    other = make_startup()
    before = snapshot(startup)
    client.force_login(founder)

    response = client.post(
        f"{detail_url(startup)}edit/",
        edit_data(startup, enterprise_code=other.enterprise_code, pitch="Thay đổi"),
    )

    assert response.status_code == 200
    assert "already registered" in page(response)
    assert snapshot(startup) == before


def test_form_shows_fieldsets_and_private_fields(client):
    client.force_login(make_user())

    form = page(client.get(f"{BASE}new/"))

    for legend in ("Identity", "Location", "Activity", "Funding and revenue", "Contact"):
        assert f"<legend>{legend}</legend>" in form
    assert "only the department and your team see this" in form
    assert form.count('class="tag tag--private"') == 6
    assert 'name="csrfmiddlewaretoken"' in form


# --- claims ----------------------------------------------------------------------------------


def imported_startup(**fields) -> Startup:
    """A verified record nobody manages yet, as an import leaves it."""
    startup = make_startup(status=Status.VERIFIED, **fields)
    startup.memberships.all().delete()
    Startup.objects.filter(pk=startup.pk).update(origin=Origin.IMPORTED)
    return Startup.objects.get(pk=startup.pk)


def test_claim_by_code_sent_to_the_registered_email(client, django_capture_on_commit_callbacks):
    startup = imported_startup(contact_email="lienhe@lua.vn")
    founder = make_user()
    client.force_login(founder)

    response = client.get(f"{BASE}claim/", {"enterprise_code": startup.enterprise_code})
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}claim/{startup.slug}/"
    shown = page(client.get(response["Location"]))
    assert "l***@lua.vn" in shown
    assert "lienhe@lua.vn" not in shown

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}claim/{startup.slug}/code/")
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}claims/{claim.pk}/confirm/"
    assert mail.outbox[0].to == ["lienhe@lua.vn"]
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)

    wrong = "000000" if code != "000000" else "111111"
    response = client.post(f"{BASE}claims/{claim.pk}/confirm/", {"code": wrong})
    assert "The code is not right" in page(response)
    assert not Membership.objects.filter(startup=startup).exists()

    response = client.post(f"{BASE}claims/{claim.pk}/confirm/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == detail_url(startup)
    assert Membership.objects.get(startup=startup).user == founder
    assert Membership.objects.get(startup=startup).role == MemberRole.OWNER
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert startup.name in page(client.get(BASE))


def test_someone_elses_claim_is_not_found(client):
    startup = imported_startup()
    claim = services.claim_send_code(user=make_user(), startup=startup)
    client.force_login(make_user())

    assert client.get(f"{BASE}claims/{claim.pk}/confirm/").status_code == 404
    assert client.post(f"{BASE}claims/{claim.pk}/confirm/", {"code": "123456"}).status_code == 404


def test_claim_by_staff_review(client):
    startup = imported_startup()
    founder = make_user()
    client.force_login(founder)

    response = client.post(f"{BASE}claim/{startup.slug}/review/", {"evidence": "Tôi đây"})
    assert response.status_code == 200
    assert "20 characters or more" in page(response)
    assert not Claim.objects.exists()

    evidence = "Tôi là người đại diện theo pháp luật ghi trên giấy chứng nhận."
    response = client.post(f"{BASE}claim/{startup.slug}/review/", {"evidence": evidence})
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.method == ClaimMethod.STAFF_REVIEW
    assert claim.status == ClaimStatus.PENDING
    assert claim.evidence == evidence

    listing = page(client.get(BASE))
    assert "Your pending claims" in listing
    assert "Waiting for the department" in listing
    # A second claim while one is pending is refused.
    again = page(client.post(f"{BASE}claim/{startup.slug}/code/"))
    assert "You already" in again
    assert Claim.objects.count() == 1


def test_a_startup_with_members_cannot_be_claimed(client):
    startup = make_startup(status=Status.VERIFIED)
    client.force_login(make_user())

    shown = page(client.get(f"{BASE}claim/{startup.slug}/"))
    assert "already has members" in shown
    refused = page(client.post(f"{BASE}claim/{startup.slug}/code/"))
    assert "already has members" in refused
    refused = page(client.post(f"{BASE}claim/{startup.slug}/review/", {"evidence": "x" * 40}))
    assert "already has members" in refused
    assert not Claim.objects.exists()


def test_claim_search_explains_what_it_found(client):
    draft = make_startup()  # someone's unlisted draft
    client.force_login(make_user())

    unknown = page(client.get(f"{BASE}claim/", {"enterprise_code": "0100000999"}))
    assert "No startup with this enterprise code" in unknown
    taken = page(client.get(f"{BASE}claim/", {"enterprise_code": draft.enterprise_code}))
    assert "already has members" in taken
    assert draft.name not in taken
    assert client.get(f"{BASE}claim/{draft.slug}/").status_code == 404


def test_an_expired_code_does_not_block_a_new_claim(client, django_capture_on_commit_callbacks):
    startup = imported_startup()
    founder = make_user()
    old = services.claim_send_code(user=founder, startup=startup)
    Claim.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(founder)

    assert "expired" in page(client.get(f"{BASE}claims/{old.pk}/confirm/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}claim/{startup.slug}/code/")

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == ClaimStatus.EXPIRED
    assert Claim.objects.filter(status=ClaimStatus.PENDING).count() == 1


# --- lists and the /me/ panel -----------------------------------------------------------------


def test_my_startups_lists_memberships_invitations_and_claims(client):
    founder = make_user(email="lan@example.org")
    mine = make_startup(owner=founder, status=Status.VERIFIED)
    not_mine = make_startup()
    inviting = make_startup()
    services.member_invite(
        user=inviting.memberships.get().user, startup=inviting, email=founder.email, role="member"
    )
    client.force_login(founder)

    listing = page(client.get(BASE))

    assert mine.name in listing
    assert "status--ok" in listing
    assert not_mine.name not in listing
    assert "Invitations for you" in listing
    assert inviting.name in listing
    assert "Register a startup" in listing
    assert "Claim an existing startup" in listing


def test_workspace_panel_shows_my_startups(client):
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.SUBMITTED)
    other = make_startup()
    client.force_login(founder)

    overview = page(client.get("/en/me/"))

    assert "My startups" in overview
    assert startup.name in overview
    assert f'href="{detail_url(startup)}"' in overview
    assert other.name not in overview


def test_workspace_panel_invites_to_register_when_there_is_nothing(client):
    client.force_login(make_user())

    overview = page(client.get("/en/me/"))

    assert f'href="{BASE}new/"' in overview
    assert f'href="{BASE}claim/"' in overview


def test_notification_links_lead_to_the_detail_page(client):
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.VERIFIED)
    client.force_login(founder)

    assert services.workspace_path(startup) == f"/me/startups/{startup.pk}/"
    assert client.get(services.workspace_path(startup)).status_code == 200
    assert Transition.objects.filter(startup=startup).count() == 2


def test_reconfirmation_due_soon_is_announced(client):
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.VERIFIED)
    Startup.objects.filter(pk=startup.pk).update(
        confirmation_due_on=timezone.localdate() + timedelta(days=10)
    )
    client.force_login(founder)

    detail = page(client.get(detail_url(startup)))

    assert "(in 10 days), or the startup will be marked stale" in detail
    assert "Re-confirm: the data is current" in detail
    assert "Stale" not in detail


def test_logo_is_uploaded_with_the_profile_and_can_be_cleared(client):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(buffer, "PNG")
    founder = make_user()
    client.force_login(founder)

    client.post(
        f"{BASE}new/",
        {**profile_data(), "logo": SimpleUploadedFile("logo.png", buffer.getvalue())},
    )
    startup = Startup.objects.get()
    assert startup.logo.name.startswith("startups/logos/")

    client.post(f"{detail_url(startup)}edit/", edit_data(startup, pitch="Mới"))
    startup.refresh_from_db()
    assert startup.pitch == "Mới"
    assert startup.logo.name.startswith("startups/logos/")

    client.post(f"{detail_url(startup)}edit/", {**edit_data(startup), "logo-clear": "on"})
    startup.refresh_from_db()
    assert not startup.logo


def test_owner_withdraws_a_pending_invitation_and_members_cannot(client):
    owner, member = make_user(), make_user()
    startup = make_startup(owner=owner)
    Membership.objects.create(startup=startup, user=member, role=MemberRole.MEMBER)
    invitation = services.member_invite(
        user=owner, startup=startup, email="late@example.org", role="member"
    )
    withdraw = f"{detail_url(startup)}invitations/{invitation.pk}/withdraw/"

    client.force_login(member)
    client.post(withdraw)
    assert Invitation.objects.filter(pk=invitation.pk).exists()

    client.force_login(owner)
    assert withdraw in page(client.get(detail_url(startup)))
    response = client.post(withdraw, follow=True)
    assert "late@example.org" in page(response)
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert client.get(f"/me/startups/invitations/{invitation.token}/").status_code == 404


def test_members_remove_a_document_and_others_cannot(client, django_capture_on_commit_callbacks):
    founder = make_user()
    startup = make_startup(owner=founder)
    client.force_login(founder)
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    client.post(f"{detail_url(startup)}documents/", {"file": pdf})
    document = PrivateFile.objects.get()
    storage, name = document.file.storage, document.file.name
    remove = f"{detail_url(startup)}documents/{document.pk}/delete/"

    client.force_login(make_user(Role.FOUNDER))
    assert client.post(remove).status_code == 404
    other = make_startup(owner=founder)
    client.force_login(founder)
    assert client.post(f"{detail_url(other)}documents/{document.pk}/delete/").status_code == 404
    assert PrivateFile.objects.filter(pk=document.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, follow=True)
    assert "bao-cao.pdf" in page(response)
    assert not PrivateFile.objects.exists()
    assert not storage.exists(name)

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from portal.accounts.permissions import has_role
from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from portal.notifications.models import Notification
from startups import services
from startups.models import (
    ClaimStatus,
    Invitation,
    MemberRole,
    Membership,
    Revision,
    Startup,
    Status,
    Transition,
)
from startups.selectors import registry_targets
from tests.factories import make_user
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(Role.DEPARTMENT_STAFF)


def _actions(startup) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(startup)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def test_create_makes_a_draft_owned_by_its_author_who_becomes_founder():
    user = make_user()
    startup = make_startup(owner=user, name="Công ty Đường Sắt Xanh")
    assert startup.status == Status.DRAFT
    assert startup.slug == "cong-ty-duong-sat-xanh"
    assert Membership.objects.get(startup=startup).role == MemberRole.OWNER
    assert has_role(user, Role.FOUNDER)


def test_slugs_stay_unique():
    first = make_startup(name="Mây Xanh")
    second = make_startup(name="May Xanh")
    assert (first.slug, second.slug) == ("may-xanh", "may-xanh-2")


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"enterprise_code": "12345"}, "enterprise_code"),
        ({"enterprise_code": "0101234567-01"}, "enterprise_code"),
        ({"founded_on": date.today() + timedelta(days=1)}, "founded_on"),
        ({"funding_raised_vnd": -5}, "funding_raised_vnd"),
        ({"revenue_vnd": 5, "revenue_year": None}, "revenue_year"),
        ({"team_size": 0}, "team_size"),
    ],
)
def test_bad_profile_data_is_refused_and_nothing_is_created(fields, error_field):
    with pytest.raises(ValidationError) as error:
        make_startup(**fields)
    assert error_field in error.value.message_dict
    assert not Startup.objects.exists()


def test_branch_codes_are_accepted_and_spaces_removed():
    startup = make_startup(enterprise_code=" 0101234567-001 ")
    assert startup.enterprise_code == "0101234567-001"


def test_duplicate_enterprise_code_is_refused_with_a_hint_to_claim():
    make_startup(enterprise_code="0109999999")
    with pytest.raises(ValidationError) as error:
        make_startup(enterprise_code="0109999999")
    assert "already registered" in str(error.value.message_dict["enterprise_code"]) or (
        "đã được đăng ký" in str(error.value.message_dict["enterprise_code"])
    )
    assert Startup.objects.count() == 1


def test_unknown_sector_is_refused():
    with pytest.raises(ValidationError):
        make_startup(sectors=["spacecraft"])
    with pytest.raises(ValidationError):
        make_startup(sectors=[])
    assert not Startup.objects.exists()


def test_the_whole_lifecycle_is_recorded(staff):
    owner = make_user()
    startup = make_startup(owner=owner)
    startup = services.startup_submit(user=owner, startup=startup)
    startup = services.startup_request_changes(
        user=staff, startup=startup, reason_codes=["missing_documents"], note="Thiếu giấy phép"
    )
    startup = services.startup_submit(user=owner, startup=startup)
    startup = services.startup_verify(user=staff, startup=startup)
    assert startup.status == Status.VERIFIED
    assert startup.confirmation_due_on == date.today() + services.CONFIRMATION_PERIOD
    steps = list(
        Transition.objects.filter(startup=startup)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )
    assert steps == [
        ("draft", "submitted"),
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "verified"),
    ]
    assert Transition.objects.get(to_status="changes_requested").reason_codes == [
        "missing_documents"
    ]
    assert _actions(startup) == [
        "wagtail.create",
        "startups.submit",
        "startups.request_changes",
        "startups.submit",
        "startups.verify",
    ]
    assert Revision.objects.get(startup=startup).is_verified_state


def test_members_are_notified_of_decisions_in_their_language(staff):
    owner = make_user(language="en")
    startup = make_startup(owner=owner, status=Status.SUBMITTED)
    services.startup_reject(
        user=staff, startup=startup, reason_codes=["not_in_hanoi"], note="Trụ sở ở Hải Phòng"
    )
    notification = Notification.objects.get(recipient=owner)
    assert "was not verified" in notification.subject
    assert "The registered office is not in Hanoi" in notification.body
    assert "Trụ sở ở Hải Phòng" in notification.body
    assert notification.url == f"/me/startups/{startup.pk}/"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.DRAFT, "verify"),
        (Status.VERIFIED, "submit"),
        (Status.REJECTED, "submit"),
        (Status.REJECTED, "verify"),
        (Status.SUBMITTED, "submit"),
    ],
)
def test_transitions_not_allowed_from_the_current_state_change_nothing(status, action, staff):
    owner = make_user()
    startup = make_startup(owner=owner, status=status, staff=staff)
    before = Transition.objects.count()
    call = {
        "verify": lambda: services.startup_verify(user=staff, startup=startup),
        "submit": lambda: services.startup_submit(user=owner, startup=startup),
    }[action]
    with pytest.raises(PortalError) as error:
        call()
    assert error.value.code == "invalid_transition"
    startup.refresh_from_db()
    assert startup.status == status
    assert Transition.objects.count() == before


def test_only_staff_verify_and_only_members_submit(staff):
    owner, stranger = make_user(), make_user(Role.FOUNDER)
    startup = make_startup(owner=owner)
    with pytest.raises(PortalError):
        services.startup_submit(user=stranger, startup=startup)
    services.startup_submit(user=owner, startup=startup)
    for user in (owner, stranger, make_user(Role.REVIEWER), make_user(Role.FUND_MANAGER)):
        with pytest.raises(PortalError) as error:
            services.startup_verify(user=user, startup=startup)
        assert error.value.status_code == 403
    startup.refresh_from_db()
    assert startup.status == Status.SUBMITTED


def test_decisions_need_known_reasons_and_other_needs_a_note(staff):
    startup = make_startup(status=Status.SUBMITTED)
    for codes, note in (([], "x"), (["made_up"], "x"), (["other"], " ")):
        with pytest.raises(ValidationError):
            services.startup_request_changes(
                user=staff, startup=startup, reason_codes=codes, note=note
            )
    startup.refresh_from_db()
    assert startup.status == Status.SUBMITTED


def test_a_founder_cannot_edit_someone_elses_startup():
    startup = make_startup(name="Gốc")
    with pytest.raises(PortalError):
        services.startup_update(
            user=make_user(Role.FOUNDER), startup=startup, fields={"name": "Đã sửa"}
        )
    startup.refresh_from_db()
    assert startup.name == "Gốc"


def test_rejected_startups_are_not_editable_by_members():
    owner = make_user()
    startup = make_startup(owner=owner, status=Status.REJECTED)
    with pytest.raises(PortalError):
        services.startup_update(user=owner, startup=startup, fields={"pitch": "mới"})


def test_edits_to_a_verified_profile_are_revisions_and_keep_the_code(staff):
    owner = make_user()
    startup = make_startup(owner=owner, status=Status.VERIFIED, staff=staff)
    services.startup_update(
        user=owner, startup=startup, fields={"pitch": "Mới hơn"}, sectors=["ai", "fintech"]
    )
    latest = Revision.objects.filter(startup=startup).first()
    assert not latest.is_verified_state
    assert latest.data["pitch"] == "Mới hơn"
    assert latest.data["sectors"] == ["ai", "fintech"]
    with pytest.raises(ValidationError):
        services.startup_update(
            user=owner, startup=startup, fields={"enterprise_code": "0100000999"}
        )
    services.startup_update(user=staff, startup=startup, fields={"enterprise_code": "0100000999"})
    startup.refresh_from_db()
    assert startup.enterprise_code == "0100000999"


def test_reconfirmation_reminders_then_stale_then_reconfirmed(staff):
    owner = make_user()
    startup = make_startup(owner=owner, status=Status.VERIFIED, staff=staff)
    due = startup.confirmation_due_on
    assert services.reconfirmation_sweep(today=due - timedelta(days=40)) == (0, 0)
    assert services.reconfirmation_sweep(today=due - timedelta(days=30)) == (1, 0)
    assert services.reconfirmation_sweep(today=due - timedelta(days=20)) == (0, 0)
    assert services.reconfirmation_sweep(today=due - timedelta(days=7)) == (1, 0)
    assert services.reconfirmation_sweep(today=due - timedelta(days=1)) == (0, 0)
    assert registry_targets().verified == 1
    assert services.reconfirmation_sweep(today=due + timedelta(days=1)) == (0, 1)
    assert services.reconfirmation_sweep(today=due + timedelta(days=2)) == (0, 0)
    startup.refresh_from_db()
    assert startup.is_stale
    assert registry_targets().verified == 0
    subjects = list(Notification.objects.filter(recipient=owner).values_list("subject", flat=True))
    assert sum("Xác nhận lại" in s or "Re-confirm" in s for s in subjects) == 2
    assert "startups.stale" in _actions(startup)

    services.startup_reconfirm(user=owner, startup=startup)
    startup.refresh_from_db()
    assert not startup.is_stale
    assert startup.confirmation_due_on == date.today() + services.CONFIRMATION_PERIOD
    assert registry_targets().verified == 1


def test_only_members_reconfirm_and_only_verified_startups():
    owner = make_user()
    draft = make_startup(owner=owner)
    with pytest.raises(PortalError):
        services.startup_reconfirm(user=owner, startup=draft)
    verified = make_startup(owner=owner, status=Status.VERIFIED)
    with pytest.raises(PortalError):
        services.startup_reconfirm(user=make_user(), startup=verified)


def test_targets_count_verified_revenue_only(staff):
    make_startup(status=Status.VERIFIED, staff=staff)
    make_startup(
        status=Status.VERIFIED,
        staff=staff,
        revenue_vnd=150_000_000_000,
        revenue_source="audited",
    )
    make_startup(
        status=Status.VERIFIED,
        staff=staff,
        revenue_vnd=150_000_000_000,
        revenue_source="self_declared",
    )
    make_startup(status=Status.SUBMITTED, revenue_vnd=500_000_000_000, revenue_source="audited")
    targets = registry_targets()
    assert (targets.verified, targets.with_large_revenue) == (3, 1)
    assert targets.revenue_share == pytest.approx(1 / 3)
    assert targets.progress == pytest.approx(3 / 5000)


def test_invitations_are_accepted_by_the_invited_address_only(django_capture_on_commit_callbacks):
    owner = make_user()
    startup = make_startup(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.member_invite(
            user=owner, startup=startup, email="Cofounder@Example.org", role="member"
        )
    assert mail.outbox[-1].to == ["cofounder@example.org"]
    assert str(invitation.token) in mail.outbox[-1].body
    with pytest.raises(PortalError):
        services.invitation_accept(user=make_user(), invitation=invitation)
    cofounder = make_user(email="cofounder@example.org")
    membership = services.invitation_accept(user=cofounder, invitation=invitation)
    assert membership.role == MemberRole.MEMBER
    with pytest.raises(PortalError):
        services.invitation_accept(user=cofounder, invitation=invitation)


def test_invitation_refusals():
    owner, member = make_user(), make_user()
    startup = make_startup(owner=owner)
    invitation = services.member_invite(
        user=owner, startup=startup, email=member.email, role="member"
    )
    with pytest.raises(ValidationError):
        services.member_invite(user=owner, startup=startup, email=member.email, role="member")
    services.invitation_accept(user=member, invitation=invitation)
    with pytest.raises(PortalError):
        services.member_invite(user=member, startup=startup, email="x@example.org", role="owner")
    with pytest.raises(ValidationError):
        services.member_invite(user=owner, startup=startup, email=member.email, role="member")
    late = services.member_invite(
        user=owner, startup=startup, email="late@example.org", role="member"
    )
    Invitation.objects.filter(pk=late.pk).update(expires_at=late.created_at)
    with pytest.raises(PortalError):
        services.invitation_accept(user=make_user(email="late@example.org"), invitation=late)


def test_the_last_owner_cannot_leave():
    owner = make_user()
    startup = make_startup(owner=owner)
    with pytest.raises(PortalError):
        services.member_remove(user=owner, membership=startup.memberships.get())
    assert startup.memberships.count() == 1


def _imported_startup(staff, **fields):
    # An imported record has no members: model what the import leaves behind.
    startup = make_startup(status=Status.VERIFIED, staff=staff, **fields)
    startup.memberships.all().delete()
    return startup


def test_claim_by_emailed_code(staff, django_capture_on_commit_callbacks):
    startup = _imported_startup(staff, contact_email="ceo@xanh.vn")
    founder = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.claim_send_code(user=founder, startup=startup)
    assert mail.outbox[-1].to == ["ceo@xanh.vn"]
    code = next(word for word in mail.outbox[-1].body.split() if word.isdigit() and len(word) == 6)
    with pytest.raises(PortalError) as error:
        services.claim_confirm_code(
            user=founder, claim=claim, code=f"{(int(code) + 1) % 10**6:06d}"
        )
    assert error.value.code == "wrong"
    membership = services.claim_confirm_code(user=founder, claim=claim, code=code)
    assert membership.role == MemberRole.OWNER
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    with pytest.raises(PortalError) as error:
        services.claim_send_code(user=make_user(), startup=startup)
    assert error.value.code == "has_members"


def test_claim_codes_expire_after_too_many_attempts(staff):
    startup = _imported_startup(staff)
    founder = make_user()
    claim = services.claim_send_code(user=founder, startup=startup)
    for _ in range(services.CLAIM_CODE_ATTEMPTS):
        with pytest.raises(PortalError):
            services.claim_confirm_code(user=founder, claim=claim, code="abcdef")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.EXPIRED
    assert not startup.memberships.exists()


def test_claim_by_staff_review(staff):
    startup = _imported_startup(staff)
    founder, rival = make_user(), make_user()
    with pytest.raises(ValidationError):
        services.claim_request_review(user=founder, startup=startup, evidence="tôi")
    claim = services.claim_request_review(
        user=founder,
        startup=startup,
        evidence="Tôi là giám đốc, xem giấy phép kinh doanh kèm theo.",
    )
    rival_claim = services.claim_request_review(
        user=rival, startup=startup, evidence="Tôi cũng là người sáng lập của công ty này."
    )
    with pytest.raises(PermissionDenied):
        services.claim_approve(user=founder, claim=claim)
    services.claim_approve(user=staff, claim=claim)
    rival_claim.refresh_from_db()
    assert rival_claim.status == ClaimStatus.REJECTED
    assert startup.memberships.get().user == founder
    assert Notification.objects.filter(recipient=founder).exists()


def test_claim_rejection_needs_a_note(staff):
    startup = _imported_startup(staff)
    claim = services.claim_request_review(
        user=make_user(), startup=startup, evidence="Tôi là giám đốc điều hành của công ty."
    )
    with pytest.raises(ValidationError):
        services.claim_reject(user=staff, claim=claim, note="")
    services.claim_reject(user=staff, claim=claim, note="Không khớp hồ sơ đăng ký")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED


def test_a_startup_first_seen_close_to_its_due_date_gets_one_reminder(staff):
    startup = make_startup(status=Status.VERIFIED, staff=staff)
    assert services.reconfirmation_sweep(today=startup.confirmation_due_on - timedelta(days=5)) == (
        1,
        0,
    )
    assert services.reconfirmation_sweep(today=startup.confirmation_due_on - timedelta(days=4)) == (
        0,
        0,
    )

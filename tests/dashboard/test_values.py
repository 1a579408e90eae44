"""Values entered by staff: published only once a second member of department staff approves
them (never the person who entered them, never anyone else), and corrected by a new annotated
value that leaves the corrected one and every past snapshot as they were. Through the services
and through the admin pages staff use."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from portal.dashboard import selectors, services
from portal.dashboard.models import (
    Indicator,
    IndicatorValue,
    Method,
    SnapshotValue,
    ValueStatus,
)
from portal.notifications.models import Notification
from tests.factories import make_user, with_mfa

pytestmark = pytest.mark.django_db

VALUES = "/admin/dashboard/values/"
ENTER = "/admin/dashboard/values/new/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def value_url(value) -> str:
    return f"/admin/dashboard/values/{value.pk}/"


def manual_indicator(**fields) -> Indicator:
    values = {
        "code": "st-spending-budget",
        "name": "Chi khoa học và công nghệ trong ngân sách Thành phố",
        "name_en": "S&T spending as a share of the city budget",
        "unit": "percent",
        "target_value": Decimal(4),
        "target_deadline": date(2030, 12, 31),
        "method": Method.MANUAL,
    }
    values.update(fields)
    indicator = Indicator(**values)
    indicator.full_clean()
    indicator.save()
    return indicator


def staff_member(**fields):
    return with_mfa(make_user(Role.DEPARTMENT_STAFF, language="en", **fields))


def enter(user, indicator, value="2.3", **fields) -> IndicatorValue:
    return services.value_enter(
        user=user,
        indicator=indicator,
        value=Decimal(value),
        as_of=fields.pop("as_of", date(2026, 9, 30)),
        source=fields.pop("source", "Sở Tài chính Hà Nội"),
        **fields,
    )


@pytest.fixture
def indicator(db):
    return manual_indicator()


# --- the services ----------------------------------------------------------------------------


def test_a_value_is_published_only_once_a_second_member_of_staff_approves_it(indicator):
    entering, second = staff_member(), staff_member()
    value = enter(entering, indicator)
    assert value.status == ValueStatus.PENDING
    assert selectors.current_reading(indicator).value is None
    # The other members of staff are asked to approve it.
    assert Notification.objects.filter(recipient=second, url=VALUES).exists()
    assert not Notification.objects.filter(recipient=entering, url=VALUES).exists()

    with pytest.raises(PortalError) as refused:
        services.value_approve(user=entering, value=value)
    assert refused.value.code == "forbidden"
    assert "not the person who entered it" in str(refused.value.message)
    value.refresh_from_db()
    assert value.status == ValueStatus.PENDING and value.decided_by is None

    services.value_approve(user=second, value=value)
    value.refresh_from_db()
    assert (value.status, value.decided_by) == (ValueStatus.APPROVED, second)
    assert selectors.current_reading(indicator).value == Decimal("2.3")


@pytest.mark.parametrize("role", [None, Role.FOUNDER, Role.FUND_MANAGER, Role.REVIEWER])
def test_nobody_outside_department_staff_enters_or_decides(indicator, role):
    outsider = with_mfa(make_user(*([role] if role else [])))
    with pytest.raises(PortalError):
        enter(outsider, indicator)
    value = enter(staff_member(), indicator)
    for decide in (services.value_approve, services.value_reject):
        with pytest.raises(PortalError):
            decide(user=outsider, value=value, note="Không khớp")
    value.refresh_from_db()
    assert value.status == ValueStatus.PENDING


def test_an_administrator_is_a_valid_second_approver(indicator):
    value = enter(staff_member(), indicator)
    services.value_approve(user=with_mfa(make_user(Role.ADMINISTRATOR)), value=value)
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED


def test_a_decided_value_cannot_be_decided_again(indicator):
    value = enter(staff_member(), indicator)
    second = staff_member()
    services.value_reject(user=second, value=value, note="Sai kỳ báo cáo")
    with pytest.raises(PortalError) as refused:
        services.value_approve(user=staff_member(), value=value)
    assert refused.value.status_code == 409


def test_a_rejection_says_why_and_tells_who_entered_it(indicator):
    entering, second = staff_member(), staff_member()
    value = enter(entering, indicator)
    with pytest.raises(ValidationError):
        services.value_reject(user=second, value=value, note="  ")
    services.value_reject(user=second, value=value, note="Số liệu chưa được Sở Tài chính xác nhận")
    value.refresh_from_db()
    assert value.status == ValueStatus.REJECTED
    told = Notification.objects.get(recipient=entering, url=VALUES)
    assert "Sở Tài chính" in told.body
    assert selectors.current_reading(indicator).value is None


def test_computed_indicators_and_future_dates_are_refused(indicator):
    computed = Indicator.objects.create(
        code="startups", name="Doanh nghiệp", name_en="Startups", unit="count",
        method=Method.COMPUTED, source_key="startups.verified",
    )  # fmt: skip
    staff = staff_member()
    with pytest.raises(PortalError):
        enter(staff, computed, value="10")
    with pytest.raises(ValidationError):
        enter(staff, indicator, as_of=timezone.localdate() + timedelta(days=1))
    assert not IndicatorValue.objects.exists()


def test_a_correction_is_a_new_value_and_the_past_stays_as_it_was(indicator):
    entering, second = staff_member(), staff_member()
    original = enter(entering, indicator, value="2.3")
    services.value_approve(user=second, value=original)
    original.refresh_from_db()
    snapshot = services.snapshot_take(user=entering, note="Họp Ban chỉ đạo")
    frozen = SnapshotValue.objects.get(snapshot=snapshot, indicator=indicator)
    assert frozen.value == Decimal("2.3")

    with pytest.raises(ValidationError) as refused:
        enter(entering, indicator, value="2.6", corrects=original)
    assert "note" in refused.value.error_dict
    correction = enter(
        entering, indicator, value="2.6", corrects=original, note="Sở Tài chính điều chỉnh số liệu"
    )
    assert correction.pk != original.pk
    assert correction.status == ValueStatus.PENDING
    # Until approved, the approved value stays the published one.
    assert selectors.current_reading(indicator).value == Decimal("2.3")
    with pytest.raises(PortalError):
        services.value_approve(user=entering, value=correction)
    services.value_approve(user=second, value=correction)

    reading = selectors.current_reading(indicator)
    assert reading.value == Decimal("2.6")
    assert "Sở Tài chính điều chỉnh số liệu" in reading.verification
    original.refresh_from_db()
    assert (original.value, original.status) == (Decimal("2.3"), ValueStatus.APPROVED)
    frozen.refresh_from_db()
    assert frozen.value == Decimal("2.3")
    with pytest.raises(ValidationError):
        frozen.save()
    assert list(original.corrections.all()) == [correction]


def test_only_an_approved_value_of_the_same_indicator_is_corrected(indicator):
    staff = staff_member()
    pending = enter(staff, indicator)
    with pytest.raises(ValidationError):
        enter(staff, indicator, corrects=pending, note="Sửa")
    other = manual_indicator(code="broadband", name="Băng thông rộng", name_en="Broadband")
    approved = services.value_approve(user=staff_member(), value=enter(staff, other, value="92"))
    with pytest.raises(ValidationError):
        enter(staff, indicator, corrects=approved, note="Sửa")


# --- the admin pages -------------------------------------------------------------------------


def test_staff_enter_a_value_with_its_evidence(client, indicator):
    Indicator.objects.create(
        code="startups", name="Doanh nghiệp", name_en="Computed startups", unit="count",
        method=Method.COMPUTED, source_key="startups.verified",
    )  # fmt: skip
    staff = staff_member()
    client.force_login(staff)
    page = client.get(ENTER).content.decode()
    assert "S&amp;T spending as a share of the city budget" in page
    assert "Computed startups" not in page  # computed indicators take no entered value
    response = client.post(
        ENTER,
        {
            "indicator": indicator.pk,
            "value": "2.35",
            "as_of": "2026-09-30",
            "source": "Báo cáo quyết toán ngân sách 2025",
            "evidence": SimpleUploadedFile("quyet-toan.pdf", PDF_BYTES, "application/pdf"),
            "note": "Số liệu sơ bộ",
        },
    )
    value = IndicatorValue.objects.get()
    assert response.status_code == 302 and response["Location"] == value_url(value)
    assert (value.value, value.entered_by, value.status) == (
        Decimal("2.35"),
        staff,
        ValueStatus.PENDING,
    )
    assert value.evidence.original_name == "quyet-toan.pdf"
    page = client.get(value_url(value)).content.decode()
    assert f"/files/{value.evidence.pk}/" in page
    assert "a second member of department staff must approve or reject it" in page
    download = client.get(f"/files/{value.evidence.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_bad_input_gets_a_message_and_changes_nothing(client, indicator):
    client.force_login(staff_member())
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    base = {"indicator": indicator.pk, "value": "2.3", "as_of": "2026-09-30", "source": "Sở"}
    for data, message in (
        ({"as_of": tomorrow}, "A value cannot be as of a future date."),
        ({"value": "nhiều"}, "Enter a number."),
        ({"source": ""}, "This field is required."),
        (
            {"evidence": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
            "not an accepted type",
        ),
    ):
        response = client.post(ENTER, {**base, **data})
        assert response.status_code == 200
        assert message in response.content.decode(), data
    assert not IndicatorValue.objects.exists()


def test_the_person_who_entered_a_value_cannot_approve_it_in_the_admin(client, indicator):
    entering = staff_member()
    value = enter(entering, indicator)
    client.force_login(entering)
    response = client.post(value_url(value), {"decision": "approve", "note": ""})
    assert response.status_code == 200
    assert "not the person who entered it" in response.content.decode()
    value.refresh_from_db()
    assert value.status == ValueStatus.PENDING


def test_another_member_of_staff_approves_or_rejects_in_the_admin(client, indicator):
    value, other = enter(staff_member(), indicator), enter(staff_member(), indicator, value="3")
    second = staff_member()
    client.force_login(second)
    page = client.get(value_url(value)).content.decode()
    assert "Approve and publish" in page
    assert "Press Approve or Reject." in client.post(value_url(value), {}).content.decode()
    response = client.post(value_url(value), {"decision": "approve", "note": "Khớp báo cáo"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.status, value.decided_by, value.decision_note) == (
        ValueStatus.APPROVED,
        second,
        "Khớp báo cáo",
    )
    refused = client.post(value_url(other), {"decision": "reject", "note": ""})
    assert "Say why the value is rejected." in refused.content.decode()
    client.post(value_url(other), {"decision": "reject", "note": "Sai đơn vị"})
    other.refresh_from_db()
    assert other.status == ValueStatus.REJECTED


def test_outsiders_cannot_decide_through_the_admin(client, indicator):
    value = enter(staff_member(), indicator)
    client.force_login(with_mfa(make_user(Role.FUND_MANAGER, language="en")))
    response = client.post(value_url(value), {"decision": "approve", "note": ""})
    assert response.status_code in (302, 403)
    value.refresh_from_db()
    assert value.status == ValueStatus.PENDING


def test_staff_correct_an_approved_value_with_a_note(client, indicator):
    original = enter(staff_member(), indicator)
    services.value_approve(user=staff_member(), value=original)
    snapshot = services.snapshot_take(user=staff_member())
    staff = staff_member()
    client.force_login(staff)
    correct = f"/admin/dashboard/values/{original.pk}/correct/"
    assert 'value="2.30"' in client.get(correct).content.decode()
    data = {"value": "2.6", "as_of": "2026-09-30", "source": "Sở Tài chính Hà Nội"}
    refused = client.post(correct, {**data, "note": ""})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    response = client.post(correct, {**data, "note": "Sở Tài chính điều chỉnh"})
    correction = IndicatorValue.objects.get(corrects=original)
    assert response["Location"] == value_url(correction)
    assert (correction.value, correction.entered_by) == (Decimal("2.6"), staff)
    assert correction.note == "Sở Tài chính điều chỉnh"
    original.refresh_from_db()
    assert (original.value, original.status) == (Decimal("2.3"), ValueStatus.APPROVED)
    assert SnapshotValue.objects.get(snapshot=snapshot, indicator=indicator).value == Decimal("2.3")
    page = client.get(value_url(original)).content.decode()
    assert value_url(correction) in page
    # The approver of the correction sees what is published now.
    page = client.get(value_url(correction)).content.decode()
    assert "Published now" in page and value_url(original) in page


def test_a_pending_value_is_not_corrected(client, indicator):
    pending = enter(staff_member(), indicator)
    client.force_login(staff_member())
    response = client.post(
        f"/admin/dashboard/values/{pending.pk}/correct/",
        {"value": "2.6", "as_of": "2026-09-30", "source": "Sở", "note": "Sửa"},
    )
    assert "Only an approved value of this indicator can be corrected." in response.content.decode()
    assert IndicatorValue.objects.count() == 1


def test_the_queue_opens_on_values_awaiting_approval(client, indicator):
    waiting = enter(staff_member(), indicator, value="2.3", source="Nguồn đang chờ")
    decided = enter(staff_member(), indicator, value="2.1", source="Nguồn đã duyệt")
    services.value_approve(user=staff_member(), value=decided)
    client.force_login(staff_member())
    page = client.get(VALUES).content.decode()
    assert "Nguồn đang chờ" in page and value_url(waiting) in page
    assert "Nguồn đã duyệt" not in page
    everything = client.get(VALUES + "?status=").content.decode()
    assert "Nguồn đang chờ" in everything and "Nguồn đã duyệt" in everything
    assert ENTER in page

"""The sandbox services: both lifecycles step by step, every refusal (nothing changed), the history
kept on each amendment, the daily expiry and reminders, and concerns from the public."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from wagtail.models import ModelLogEntry

from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from portal.notifications.models import Notification
from sandbox import services, workflow
from sandbox.models import (
    Amendment,
    AmendmentKind,
    Application,
    ApplicationStatus,
    Concern,
    Entry,
    EntryStatus,
)
from tests.factories import make_user
from tests.factories.sandbox import make_application, make_entry
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = date.today()


@pytest.fixture
def staff():
    return make_user(Role.DEPARTMENT_STAFF)


def _pdf(name="qd.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _approval(**overrides) -> dict:
    values = {
        "decision_number": "500/QĐ-UBND",
        "decision_date": TODAY,
        "agency": "construction",
        "scope": "Giao hàng nội khu.",
        "exemptions": "Miễn người lái.",
        "conditions": "Ban ngày.",
        "start_date": TODAY,
        "end_date": TODAY + timedelta(days=365),
    }
    values.update(overrides)
    return values


def _amend(staff, entry, kind, **overrides):
    values = {
        "effective_on": TODAY,
        "decision_number": "900/QĐ-SKHCN",
        "decision_date": TODAY,
        "note": "Theo quyết định của Sở.",
    }
    values.update(overrides)
    return services.entry_amend(user=staff, entry=entry, kind=kind, **values)


def _snapshot(entry: Entry) -> tuple:
    entry.refresh_from_db()
    return (
        entry.status,
        entry.end_date,
        entry.ended_on,
        entry.outcome_report,
        list(entry.amendments.values_list("pk", "kind", "to_status")),
    )


def _actions(instance) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(instance)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


# --- applications ----------------------------------------------------------------------------


def test_an_application_goes_draft_submitted_info_requested_submitted_approved(staff):
    applicant = make_user()
    application = make_application(applicant=applicant)
    assert application.status == ApplicationStatus.DRAFT
    application = services.application_submit(user=applicant, application=application)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert Notification.objects.filter(recipient=staff, url="/admin/sandbox/applications/").exists()

    application = services.application_request_info(
        user=staff, application=application, note="Thiếu bảo hiểm."
    )
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert Notification.objects.filter(
        recipient=applicant, url=f"/me/sandbox/{application.pk}/"
    ).exists()
    services.application_update(
        user=applicant, application=application, fields={"exit_plan": "Thu hồi xe trong 3 ngày."}
    )
    application = services.application_submit(user=applicant, application=application)
    entry = services.application_approve(user=staff, application=application, **_approval())
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_at is not None
    steps = list(application.steps.order_by("pk").values_list("from_status", "to_status"))
    assert steps == [
        ("draft", "submitted"),
        ("submitted", "info_requested"),
        ("info_requested", "submitted"),
        ("submitted", "approved"),
    ]
    assert entry.status == EntryStatus.APPROVED
    assert entry.participant == application.organisation_name
    assert entry.enterprise_code == application.enterprise_code
    assert entry.customer_cap == application.customer_cap
    approval = entry.amendments.get()
    assert (approval.kind, approval.to_status, approval.decision_number) == (
        AmendmentKind.APPROVAL,
        EntryStatus.APPROVED,
        "500/QĐ-UBND",
    )
    assert "sandbox.approve" in _actions(application)
    assert "sandbox.approve" in _actions(entry)


def test_a_rejection_is_final_and_says_why(staff):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    application = services.application_reject(
        user=staff, application=application, note="Rủi ro quá cao."
    )
    assert application.status == ApplicationStatus.REJECTED
    assert application.decided_at is not None
    assert application.steps.first().note == "Rủi ro quá cao."
    for step in (
        lambda: services.application_submit(user=application.applicant, application=application),
        lambda: services.application_request_info(user=staff, application=application, note="x"),
        lambda: services.application_approve(user=staff, application=application, **_approval()),
    ):
        with pytest.raises(PortalError) as error:
            step()
        assert error.value.code == "invalid_transition"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_an_approval_narrows_the_terms_and_keeps_the_document(staff):
    application = make_application(status=ApplicationStatus.SUBMITTED, customer_cap=500)
    entry = services.application_approve(
        user=staff,
        application=application,
        document=_pdf(),
        terms={"customer_cap": 100, "test_area": "Chỉ phường Phú Thượng"},
        **_approval(),
    )
    assert (entry.customer_cap, entry.test_area) == (100, "Chỉ phường Phú Thượng")
    assert entry.amendments.get().document.name.endswith(".pdf")
    with translation.override("vi"):
        assert entry.get_absolute_url() == f"/sandbox/{entry.slug}/"


@pytest.mark.parametrize("note", ["", "   "])
def test_request_info_and_reject_need_a_note(staff, note):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    for decide in (services.application_request_info, services.application_reject):
        with pytest.raises(ValidationError) as error:
            decide(user=staff, application=application, note=note)
        assert "note" in error.value.message_dict
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.steps.count() == 1


def test_only_the_applicant_submits_and_only_staff_decide():
    applicant, other, founder = make_user(), make_user(), make_user(Role.FOUNDER)
    application = make_application(applicant=applicant)
    with pytest.raises(PortalError) as error:
        services.application_submit(user=other, application=application)
    assert error.value.code == "forbidden"
    application = services.application_submit(user=applicant, application=application)
    for user in (applicant, founder):
        with pytest.raises(PortalError) as error:
            services.application_request_info(user=user, application=application, note="x")
        assert error.value.code == "forbidden"
        with pytest.raises(PortalError):
            services.application_approve(user=user, application=application, **_approval())
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Entry.objects.exists()


def test_submitting_twice_and_deciding_a_draft_are_refused(staff):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    with pytest.raises(PortalError) as error:
        services.application_submit(user=application.applicant, application=application)
    assert error.value.code == "invalid_transition"
    draft = make_application()
    for decide in (services.application_request_info, services.application_reject):
        with pytest.raises(PortalError):
            decide(user=staff, application=draft, note="x")
    with pytest.raises(PortalError):
        services.application_approve(user=staff, application=draft, **_approval())
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT and not draft.steps.exists()


def test_an_application_is_edited_only_by_its_applicant_while_a_draft_or_asked_for_more(staff):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    with pytest.raises(PortalError) as error:
        services.application_update(
            user=application.applicant, application=application, fields={"title": "Khác"}
        )
    assert error.value.code == "forbidden"
    draft = make_application()
    with pytest.raises(PortalError):
        services.application_update(user=make_user(), application=draft, fields={"title": "X"})
    draft.refresh_from_db()
    assert draft.title != "X"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"enterprise_code": "12345"}, "enterprise_code"),
        ({"test_space": "physical", "test_area": ""}, "test_area"),
        ({"duration_months": 36}, "duration_months"),
    ],
)
def test_a_wrong_application_is_refused(fields, field):
    with pytest.raises(ValidationError) as error:
        make_application(**fields)
    assert field in error.value.message_dict
    assert not Application.objects.exists()


def test_an_application_for_a_startup_one_does_not_belong_to_is_refused():
    startup = make_startup()
    with pytest.raises(ValidationError) as error:
        make_application(startup=startup)
    assert "startup" in error.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": TODAY - timedelta(days=1)}, "end_date"),
        ({"end_date": TODAY}, "end_date"),
        ({"decision_number": "QĐ-123"}, "decision_number"),
        ({"decision_number": "123/QD-UBND"}, "decision_number"),
        ({"start_date": TODAY - timedelta(days=5)}, "start_date"),
        ({"document": SimpleUploadedFile("qd.pdf", b"PK\x03\x04 a zip")}, "document"),
    ],
)
def test_a_wrong_approval_is_refused_and_changes_nothing(staff, overrides, field):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        services.application_approve(user=staff, application=application, **_approval(**overrides))
    assert field in error.value.message_dict
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.decided_at is None
    assert application.steps.count() == 1
    assert not Entry.objects.exists() and not Amendment.objects.exists()


def test_a_decision_number_is_used_once(staff):
    make_entry(decision_number="500/QĐ-UBND")
    application = make_application(status=ApplicationStatus.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        services.application_approve(user=staff, application=application, **_approval())
    assert "decision_number" in error.value.message_dict
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_slugs_stay_unique_for_the_same_participant_and_title(staff):
    first = make_application(
        status=ApplicationStatus.SUBMITTED, organisation_name="Công ty Ánh Sáng", title="Ví"
    )
    second = make_application(
        status=ApplicationStatus.SUBMITTED, organisation_name="Công ty Ánh Sáng", title="Ví"
    )
    a = services.application_approve(user=staff, application=first, **_approval())
    b = services.application_approve(
        user=staff, application=second, **_approval(decision_number="501/QĐ-UBND")
    )
    assert a.slug == "cong-ty-anh-sang-vi"
    assert b.slug == "cong-ty-anh-sang-vi-2"


# --- register entries: every transition ------------------------------------------------------

ALLOWED = [
    (from_status, kind, target)
    for kind, (sources, target) in workflow.ENTRY_STEPS.items()
    for from_status in sorted(sources)
]


@pytest.mark.parametrize(("from_status", "kind", "target"), ALLOWED)
def test_every_allowed_step(staff, from_status, kind, target):
    entry = make_entry(status=from_status, staff=staff)
    history = list(entry.amendments.values_list("pk", "kind", "to_status", "effective_on"))
    end = entry.end_date
    entry = _amend(
        staff,
        entry,
        kind,
        new_end_date=end + timedelta(days=30),
        outcome_report="Kết quả tốt.",
        lessons_learned="Bài học.",
        document=_pdf(),
    )
    assert entry.status == target
    # The history keeps every earlier item as it was and adds one.
    assert (
        list(entry.amendments.values_list("pk", "kind", "to_status", "effective_on"))[
            : len(history)
        ]
        == history
    )
    latest = entry.amendments.order_by("-pk").first()
    assert (latest.kind, latest.from_status, latest.to_status) == (kind, from_status, target)
    assert latest.decision_number == "900/QĐ-SKHCN"
    assert latest.document.name.endswith(".pdf")
    assert latest.actor == staff
    assert entry.amendments.count() == len(history) + 1
    assert _actions(entry)[-1] == f"sandbox.{kind}"
    if kind == AmendmentKind.EXTENSION:
        assert entry.end_date == end + timedelta(days=30)
        assert (latest.previous_end_date, latest.new_end_date) == (end, entry.end_date)
    else:
        assert entry.end_date == end
    if target in services.ENDED_STATUSES:
        assert entry.ended_on == TODAY
    else:
        assert entry.ended_on is None
    if kind in workflow.ENDINGS:
        assert (entry.outcome_report, entry.lessons_learned) == ("Kết quả tốt.", "Bài học.")
    else:
        assert entry.outcome_report == ""


NOT_ALLOWED = [
    (from_status, kind)
    for kind, (sources, _target) in workflow.ENTRY_STEPS.items()
    for from_status in EntryStatus
    if from_status not in sources
]


@pytest.mark.parametrize(("from_status", "kind"), NOT_ALLOWED)
def test_every_step_not_allowed_is_refused_and_changes_nothing(staff, from_status, kind):
    entry = make_entry(status=from_status, staff=staff)
    before = _snapshot(entry)
    with pytest.raises(PortalError) as error:
        _amend(
            staff,
            entry,
            kind,
            new_end_date=entry.end_date + timedelta(days=30),
            outcome_report="x",
        )
    assert error.value.code == "invalid_transition"
    assert _snapshot(entry) == before


def test_the_whole_life_of_an_entry_is_kept_in_order(staff):
    entry = make_entry(staff=staff, start=TODAY - timedelta(days=40))
    end = entry.end_date
    entry = _amend(staff, entry, AmendmentKind.START, decision_number="", decision_date=None)
    entry = _amend(staff, entry, AmendmentKind.SUSPENSION, note="Sự cố.")
    entry = _amend(staff, entry, AmendmentKind.RESUMPTION, decision_number="901/QĐ-SKHCN")
    entry = _amend(
        staff,
        entry,
        AmendmentKind.EXTENSION,
        decision_number="902/QĐ-SKHCN",
        new_end_date=end + timedelta(days=90),
    )
    entry = _amend(
        staff,
        entry,
        AmendmentKind.EXTENSION,
        decision_number="903/QĐ-SKHCN",
        new_end_date=end + timedelta(days=180),
    )
    entry = _amend(
        staff,
        entry,
        AmendmentKind.GRADUATION,
        decision_number="904/QĐ-SKHCN",
        outcome_report="Đủ điều kiện cấp phép chính thức.",
    )
    rows = list(
        entry.amendments.values_list("kind", "from_status", "to_status", "previous_end_date")
    )
    assert rows == [
        ("approval", "", "approved", None),
        ("start", "approved", "testing", None),
        ("suspension", "testing", "suspended", None),
        ("resumption", "suspended", "testing", None),
        ("extension", "testing", "extended", end),
        ("extension", "extended", "extended", end + timedelta(days=90)),
        ("graduation", "extended", "graduated", None),
    ]
    assert entry.end_date == end + timedelta(days=180)
    assert entry.status == EntryStatus.GRADUATED


# --- register entries: refusals --------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind", "overrides", "field"),
    [
        # an extension that shortens, keeps, or forgets the end date
        (EntryStatus.TESTING, "extension", {"new_end_date": TODAY}, "new_end_date"),
        (EntryStatus.TESTING, "extension", {"new_end_date": "same"}, "new_end_date"),
        (EntryStatus.TESTING, "extension", {"new_end_date": None}, "new_end_date"),
        # the decision number: missing, or in the wrong format
        (EntryStatus.TESTING, "suspension", {"decision_number": ""}, "decision_number"),
        (EntryStatus.TESTING, "suspension", {"decision_number": "12/QD-UB"}, "decision_number"),
        (EntryStatus.TESTING, "revocation", {"decision_number": "số 12"}, "decision_number"),
        (EntryStatus.TESTING, "suspension", {"decision_date": None}, "decision_date"),
        # a reason for a suspension or revocation; an outcome report at the end
        (EntryStatus.TESTING, "suspension", {"note": " "}, "note"),
        (EntryStatus.APPROVED, "revocation", {"note": ""}, "note"),
        (EntryStatus.TESTING, "exit", {"outcome_report": ""}, "outcome_report"),
        (EntryStatus.TESTING, "graduation", {"outcome_report": ""}, "outcome_report"),
        # a change before the decision allowing the test
        (EntryStatus.TESTING, "suspension", {"effective_on": "early"}, "effective_on"),
        # documents of the wrong type
        (
            EntryStatus.TESTING,
            "suspension",
            {"document": SimpleUploadedFile("qd.pdf", b"<!doctype html>")},
            "document",
        ),
        (
            EntryStatus.TESTING,
            "suspension",
            {"document": SimpleUploadedFile("qd.png", b"\x89PNG\r\n\x1a\n....")},
            "document",
        ),
    ],
)
def test_a_wrong_amendment_is_refused_and_changes_nothing(staff, status, kind, overrides, field):
    entry = make_entry(status=status, staff=staff)
    before = _snapshot(entry)
    if overrides.get("new_end_date") == "same":
        overrides["new_end_date"] = entry.end_date
    if overrides.get("effective_on") == "early":
        overrides["effective_on"] = entry.decision_date - timedelta(days=1)
    values = {"outcome_report": "Kết quả.", **overrides}
    with pytest.raises(ValidationError) as error:
        _amend(staff, entry, kind, **values)
    assert field in error.value.message_dict
    assert _snapshot(entry) == before


def test_only_staff_amend_an_entry(staff):
    entry = make_entry(status=EntryStatus.TESTING, staff=staff)
    before = _snapshot(entry)
    for user in (make_user(), make_user(Role.FOUNDER), make_user(Role.REVIEWER)):
        with pytest.raises(PortalError) as error:
            _amend(user, entry, AmendmentKind.SUSPENSION)
        assert error.value.code == "forbidden"
    assert _snapshot(entry) == before
    administrator = make_user(Role.ADMINISTRATOR)
    assert _amend(administrator, entry, AmendmentKind.SUSPENSION).status == EntryStatus.SUSPENDED


# --- the daily expiry ------------------------------------------------------------------------


def test_entries_past_their_end_date_exit_unless_extended(staff):
    start = TODAY - timedelta(days=400)
    past = make_entry(status=EntryStatus.TESTING, staff=staff, start=start)
    approved_past = make_entry(staff=staff, start=start)
    extended = make_entry(status=EntryStatus.EXTENDED, staff=staff, start=start)  # ends later
    suspended = make_entry(status=EntryStatus.SUSPENDED, staff=staff, start=start)
    running = make_entry(status=EntryStatus.TESTING, staff=staff)
    graduated = make_entry(status=EntryStatus.GRADUATED, staff=staff, start=start)
    assert extended.end_date >= TODAY
    assert services.entries_expire(today=TODAY) == 2
    for entry in (past, approved_past):
        entry.refresh_from_db()
        assert entry.status == EntryStatus.EXITED
        assert entry.ended_on == entry.end_date
        expiry = entry.amendments.order_by("-pk").first()
        assert expiry.kind == AmendmentKind.EXPIRY
        assert expiry.effective_on == entry.end_date
        assert expiry.actor is None
        assert "sandbox.expiry" in _actions(entry)
    for entry, status in (
        (extended, EntryStatus.EXTENDED),
        (suspended, EntryStatus.SUSPENDED),  # waits for a decision, not for the calendar
        (running, EntryStatus.TESTING),
        (graduated, EntryStatus.GRADUATED),
    ):
        entry.refresh_from_db()
        assert entry.status == status
    # The next day changes nothing more; on the day after the end, the extended one exits too.
    assert services.entries_expire(today=TODAY) == 0
    assert services.entries_expire(today=extended.end_date) == 0
    assert services.entries_expire(today=extended.end_date + timedelta(days=1)) >= 1
    extended.refresh_from_db()
    assert extended.status == EntryStatus.EXITED


# --- reminders -------------------------------------------------------------------------------


def _reminders(staff) -> int:
    return Notification.objects.filter(
        recipient=staff, url__startswith="/admin/sandbox/entries/"
    ).count()


def test_staff_are_reminded_60_30_and_7_days_before_the_end_each_once(staff):
    entry = make_entry(status=EntryStatus.TESTING, staff=staff)
    sent_on = []
    day = entry.end_date - timedelta(days=80)
    while day <= entry.end_date + timedelta(days=1):
        before = _reminders(staff)
        services.entries_remind(today=day)
        if _reminders(staff) > before:
            sent_on.append((entry.end_date - day).days)
        day += timedelta(days=1)
    assert sent_on == [60, 30, 7]
    notification = Notification.objects.filter(recipient=staff).order_by("-pk").first()
    assert notification.url == f"/admin/sandbox/entries/{entry.pk}/"
    assert entry.decision_number in notification.body


def test_a_late_first_reminder_is_sent_once_not_for_every_threshold_passed(staff):
    entry = make_entry(status=EntryStatus.TESTING, staff=staff)
    assert services.entries_remind(today=entry.end_date - timedelta(days=20)) == 1
    assert services.entries_remind(today=entry.end_date - timedelta(days=20)) == 0
    assert services.entries_remind(today=entry.end_date - timedelta(days=7)) == 1
    assert _reminders(staff) == 2


def test_an_extension_starts_the_reminders_again_and_ended_tests_get_none(staff):
    entry = make_entry(status=EntryStatus.TESTING, staff=staff)
    assert services.entries_remind(today=entry.end_date - timedelta(days=5)) == 1
    entry = _amend(
        staff, entry, AmendmentKind.EXTENSION, new_end_date=entry.end_date + timedelta(days=100)
    )
    assert services.entries_remind(today=entry.end_date - timedelta(days=59)) == 1
    ended = make_entry(status=EntryStatus.REVOKED, staff=staff)
    suspended = make_entry(status=EntryStatus.SUSPENDED, staff=staff)
    assert services.entries_remind(today=ended.end_date - timedelta(days=3)) == 0
    assert services.entries_remind(today=suspended.end_date - timedelta(days=3)) == 0


# --- concerns from the public ----------------------------------------------------------------


def test_a_concern_reaches_staff_and_is_acknowledged(staff, django_capture_on_commit_callbacks):
    entry = make_entry(status=EntryStatus.TESTING, staff=staff)
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.concern_report(
            entry=entry,
            name=" Nguyễn An ",
            email="an@example.org",
            message="Xe chạy trên vỉa hè.",
            client="203.0.113.5",
        )
    assert (concern.name, concern.entry) == ("Nguyễn An", entry)
    assert Notification.objects.filter(
        recipient=staff, url=f"/admin/sandbox/entries/{entry.pk}/"
    ).exists()
    assert [message.to for message in mail.outbox if "an@example.org" in message.to] == [
        ["an@example.org"]
    ]
    assert "sandbox.concern" in _actions(entry)


def test_concerns_are_rate_limited_by_sender_and_by_email(staff):
    entry = make_entry(staff=staff)
    for n in range(services.CONCERNS_PER_HOUR):
        services.concern_report(
            entry=entry, name="An", email=f"an{n}@example.org", message="Vấn đề.", client="1.2.3.4"
        )
    with pytest.raises(PortalError) as error:
        services.concern_report(
            entry=entry, name="An", email="new@example.org", message="Vấn đề.", client="1.2.3.4"
        )
    assert error.value.code == "rate_limited"
    for n in range(services.CONCERNS_PER_HOUR - 1):
        services.concern_report(
            entry=entry, name="Bình", email="an0@example.org", message="Nữa.", client=f"10.0.0.{n}"
        )
    with pytest.raises(PortalError) as error:
        services.concern_report(
            entry=entry, name="Bình", email="AN0@example.org", message="Nữa.", client="10.9.9.9"
        )
    assert error.value.code == "rate_limited"
    assert Concern.objects.count() == 2 * services.CONCERNS_PER_HOUR - 1


def test_a_concern_without_an_email_or_message_is_refused(staff):
    entry = make_entry(staff=staff)
    with pytest.raises(ValidationError) as error:
        services.concern_report(
            entry=entry, name="An", email="không-phải-email", message="", client="1"
        )
    assert {"email", "message"} <= set(error.value.message_dict)
    assert not Concern.objects.exists()


def test_staff_mark_a_concern_handled_once(staff):
    entry = make_entry(staff=staff)
    concern = services.concern_report(
        entry=entry, name="An", email="an@example.org", message="Vấn đề.", client="1"
    )
    with pytest.raises(PortalError):
        services.concern_mark_handled(user=make_user(), concern=concern)
    concern = services.concern_mark_handled(user=staff, concern=concern)
    handled_at = concern.handled_at
    assert handled_at is not None
    assert services.concern_mark_handled(user=staff, concern=concern).handled_at == handled_at
    assert _actions(entry).count("sandbox.concern_handled") == 1

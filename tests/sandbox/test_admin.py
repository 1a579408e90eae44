"""The department's sandbox tools in the Wagtail admin: the applications queue and review page,
the register and each entry's management page, concerns and reports."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from portal.accounts.roles import Role
from portal.notifications.models import Notification
from sandbox import services
from sandbox.models import (
    Amendment,
    AmendmentKind,
    Application,
    ApplicationStatus,
    Concern,
    Domain,
    Entry,
    EntryStatus,
)
from tests.factories import make_user, with_mfa
from tests.factories.sandbox import make_application, make_entry

pytestmark = pytest.mark.django_db

QUEUE = "/admin/sandbox/applications/"
REGISTER = "/admin/sandbox/entries/"
CONCERNS = "/admin/sandbox/concerns/"
REPORTS = "/admin/sandbox/reports/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def review_url(application) -> str:
    return f"/admin/sandbox/applications/{application.pk}/"


def manage_url(entry) -> str:
    return f"/admin/sandbox/entries/{entry.pk}/"


@pytest.fixture
def staff(client):
    user = with_mfa(make_user(Role.DEPARTMENT_STAFF))
    client.force_login(user)
    return user


def approval_data(**overrides) -> dict:
    today = date.today()
    data = {
        "action": "approve",
        "decision_number": "321/QĐ-UBND",
        "decision_date": today.isoformat(),
        "agency": "construction",
        "scope": "Giao hàng bằng xe tự hành trong nội khu Ciputra.",
        "exemptions": "Miễn yêu cầu người lái.",
        "conditions": "Chỉ chạy ban ngày.",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=365)).isoformat(),
        "domain": "transport",
        "test_space": "physical",
        "test_area": "Khu đô thị Ciputra",
        "customer_cap": "200",
        "transaction_cap_vnd": "",
    }
    data.update(overrides)
    return data


def step_data(kind, **overrides) -> dict:
    data = {
        "kind": kind,
        "effective_on": date.today().isoformat(),
        "decision_number": "77/QĐ-SKHCN",
        "decision_date": date.today().isoformat(),
        "new_end_date": "",
        "note": "",
        "outcome_report": "",
        "lessons_learned": "",
    }
    data.update(overrides)
    return data


# --- who may enter ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, Role.FOUNDER, Role.REVIEWER])
def test_only_department_staff_reach_the_sandbox_admin(client, role):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    entry = make_entry(status=EntryStatus.TESTING)
    user = make_user(*([role] if role else []))
    if role == Role.REVIEWER:
        with_mfa(user)
    client.force_login(user)
    for url in (
        QUEUE,
        REGISTER,
        CONCERNS,
        REPORTS,
        review_url(application),
        manage_url(entry),
    ):
        assert client.get(url).status_code in (302, 403), url
    client.post(review_url(application), approval_data())
    client.post(review_url(application), {"action": "return", "decision": "reject", "note": "x"})
    client.post(manage_url(entry), step_data(AmendmentKind.SUSPENSION, note="Sự cố"))
    application.refresh_from_db()
    entry.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert entry.status == EntryStatus.TESTING
    assert not Entry.objects.filter(decision_number="321/QĐ-UBND").exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    entry = make_entry()
    for url in (QUEUE, manage_url(entry), REPORTS):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_staff_without_a_second_factor_set_it_up_first(client):
    client.force_login(make_user(Role.DEPARTMENT_STAFF))
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "login" not in response["Location"]


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR])
def test_staff_and_administrators_see_every_page_and_the_menu(client, role):
    client.force_login(with_mfa(make_user(role)))
    application = make_application(status=ApplicationStatus.SUBMITTED)
    entry = make_entry()
    for url in (QUEUE, REGISTER, CONCERNS, REPORTS, review_url(application), manage_url(entry)):
        assert client.get(url).status_code == 200, url
    home = client.get("/admin/").content.decode()
    for url in (QUEUE, REGISTER, CONCERNS, REPORTS):
        assert url in home


def test_the_generic_edit_forms_are_not_exposed(client, staff):
    entry = make_entry()
    for url in (
        "/admin/sandbox/applications/new/",
        f"/admin/sandbox/entries/edit/{entry.pk}/",
        f"/admin/sandbox/entries/delete/{entry.pk}/",
        "/admin/sandbox/concerns/new/",
    ):
        assert client.get(url).status_code == 404, url


# --- the queue -------------------------------------------------------------------------------


def test_the_queue_opens_on_submitted_applications_and_filters(client, staff):
    waiting = make_application(status=ApplicationStatus.SUBMITTED, title="Đang chờ quyết định")
    make_application(status=ApplicationStatus.REJECTED, title="Đã bị từ chối")
    make_application(title="Còn là bản nháp")
    make_application(
        status=ApplicationStatus.SUBMITTED, title="Ví điện tử thử nghiệm", domain="fintech"
    )
    content = client.get(QUEUE).content.decode()
    assert "Đang chờ quyết định" in content
    assert review_url(waiting) in content
    assert "Đã bị từ chối" not in content
    assert "Còn là bản nháp" not in content
    everything = client.get(QUEUE + "?status=").content.decode()
    assert "Đã bị từ chối" in everything and "Còn là bản nháp" in everything
    rejected = client.get(QUEUE + "?status=rejected").content.decode()
    assert "Đã bị từ chối" in rejected and "Đang chờ quyết định" not in rejected
    fintech = client.get(QUEUE + "?domain=fintech").content.decode()
    assert "Ví điện tử thử nghiệm" in fintech and "Đang chờ quyết định" not in fintech


def test_the_queue_searches_organisation_title_and_enterprise_code(client, staff):
    make_application(
        status=ApplicationStatus.SUBMITTED,
        organisation_name="Công ty Bay Không Người Lái",
        enterprise_code="0109998887",
        title="Giao thuốc bằng drone",
    )
    make_application(status=ApplicationStatus.SUBMITTED, title="Xe buýt tự hành")
    for query in ("Bay Không", "0109998887", "thuốc bằng"):
        content = client.get(QUEUE, {"q": query}).content.decode()
        assert "Giao thuốc bằng drone" in content, query
        assert "Xe buýt tự hành" not in content, query


# --- reviewing an application ----------------------------------------------------------------


def test_the_review_page_shows_the_whole_application_and_its_steps(client, staff):
    application = make_application(status=ApplicationStatus.INFO_REQUESTED)
    services.application_submit(user=application.applicant, application=application)
    page = client.get(review_url(application)).content.decode()
    for text in (
        application.organisation_name,
        application.enterprise_code,
        application.technology,
        application.regulation_to_relax,
        application.risk_measures,
        application.consumer_protection,
        application.exit_plan,
        application.test_area,
        "Bổ sung phương án bảo hiểm.",  # the note of the request for information
    ):
        assert text in page, text
    # the approval form is pre-filled with the terms asked for
    assert 'value="500"' in page


def test_request_information_needs_a_note(client, staff):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    url = review_url(application)
    response = client.post(url, {"action": "return", "decision": "request_info", "note": ""})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    response = client.post(
        url, {"action": "return", "decision": "request_info", "note": "Thiếu bảo hiểm."}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert application.steps.first().note == "Thiếu bảo hiểm."
    assert Notification.objects.filter(recipient=application.applicant).exists()


def test_reject_needs_a_note_and_records_the_decision(client, staff):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    url = review_url(application)
    assert client.post(url, {"action": "return", "decision": "reject"}).status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    response = client.post(url, {"action": "return", "decision": "reject", "note": "Rủi ro cao."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.decided_at is not None
    assert "Rủi ro cao." in client.get(url).content.decode()


def test_approve_creates_the_entry_and_it_shows_on_its_management_page(client, staff):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    data = approval_data(
        document=SimpleUploadedFile("qd.pdf", PDF_BYTES, content_type="application/pdf")
    )
    response = client.post(review_url(application), data)
    assert response.status_code == 302
    entry = Entry.objects.get(application=application)
    assert response["Location"] == manage_url(entry)
    assert entry.decision_number == "321/QĐ-UBND"
    assert entry.customer_cap == 200  # narrowed from the 500 asked for
    assert entry.test_area == "Khu đô thị Ciputra"
    assert entry.status == EntryStatus.APPROVED
    approval = entry.amendments.get()
    assert approval.kind == AmendmentKind.APPROVAL and approval.document
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    page = client.get(manage_url(entry)).content.decode()
    assert "321/QĐ-UBND" in page
    assert application.organisation_name in page
    assert approval.document.url in page
    assert entry.get_absolute_url() in page
    # the review page now links to the entry and offers no decision
    review = client.get(review_url(application)).content.decode()
    assert manage_url(entry) in review
    assert 'value="approve"' not in review


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decision_number": "QĐ 321"}, "decision_number"),
        ({"end_date": (date.today() - timedelta(days=1)).isoformat()}, "end_date"),
        ({"customer_cap": "900"}, "customer_cap"),
        ({"customer_cap": ""}, "customer_cap"),
        ({"scope": ""}, "scope"),
        (
            {"document": SimpleUploadedFile("qd.pdf", b"not a pdf at all", "application/pdf")},
            "document",
        ),
    ],
)
def test_a_wrong_approval_is_refused_and_changes_nothing(client, staff, overrides, field):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    steps = application.steps.count()
    response = client.post(review_url(application), approval_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["approval_form"].errors
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.steps.count() == steps
    assert not Entry.objects.exists()
    assert not Amendment.objects.exists()


def test_a_decision_number_already_used_is_refused(client, staff):
    make_entry(decision_number="321/QĐ-UBND")
    application = make_application(status=ApplicationStatus.SUBMITTED)
    response = client.post(review_url(application), approval_data())
    assert response.status_code == 200
    assert "decision_number" in response.context["approval_form"].errors
    assert not Entry.objects.filter(application=application).exists()


def test_no_decision_on_a_draft(client, staff):
    application = make_application()
    response = client.post(review_url(application), approval_data())
    assert response.status_code == 200
    assert response.context["approval_form"].non_field_errors()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not Entry.objects.exists()


# --- the register ----------------------------------------------------------------------------


def test_the_register_filters_by_status_domain_and_agency_and_searches(client, staff):
    testing = make_entry(status=EntryStatus.TESTING)
    suspended = make_entry(status=EntryStatus.SUSPENDED, agency="state_bank")
    content = client.get(REGISTER).content.decode()
    assert manage_url(testing) in content and manage_url(suspended) in content
    content = client.get(REGISTER + "?status=suspended").content.decode()
    assert manage_url(suspended) in content and manage_url(testing) not in content
    content = client.get(REGISTER + "?agency=construction").content.decode()
    assert manage_url(testing) in content and manage_url(suspended) not in content
    assert manage_url(testing) in client.get(REGISTER + "?domain=transport").content.decode()
    assert manage_url(testing) not in client.get(REGISTER + "?domain=health").content.decode()
    content = client.get(REGISTER, {"q": testing.decision_number}).content.decode()
    assert manage_url(testing) in content and manage_url(suspended) not in content


def test_the_management_page_offers_only_the_steps_allowed(client, staff):
    entry = make_entry(status=EntryStatus.TESTING)
    form = client.get(manage_url(entry)).context["form"]
    offered = [value for value, _label in form.fields["kind"].widget.choices]
    assert offered == ["extension", "suspension", "exit", "graduation", "revocation"]
    ended = make_entry(status=EntryStatus.REVOKED)
    page = client.get(manage_url(ended)).content.decode()
    assert 'name="kind"' not in page


def test_staff_start_suspend_and_resume_with_the_history_kept(client, staff):
    entry = make_entry()
    url = manage_url(entry)
    response = client.post(url, step_data(AmendmentKind.START, decision_number=""))
    assert response.status_code == 302
    response = client.post(
        url,
        step_data(
            AmendmentKind.SUSPENSION,
            note="Sự cố va chạm nhẹ.",
            document=SimpleUploadedFile("dinh-chi.pdf", PDF_BYTES, "application/pdf"),
        ),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUSPENDED
    response = client.post(url, step_data(AmendmentKind.RESUMPTION, decision_number="78/QĐ-SKHCN"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.TESTING
    kinds = list(entry.amendments.values_list("kind", flat=True))
    assert kinds == ["approval", "start", "suspension", "resumption"]
    page = client.get(url).content.decode()
    assert "Sự cố va chạm nhẹ." in page
    assert entry.amendments.get(kind="suspension").document.url in page
    assert ModelLogEntry.objects.for_instance(entry).filter(action="sandbox.suspension").exists()


def test_an_extension_moves_the_end_date(client, staff):
    entry = make_entry(status=EntryStatus.TESTING)
    old_end = entry.end_date
    new_end = old_end + timedelta(days=90)
    response = client.post(
        manage_url(entry),
        step_data(AmendmentKind.EXTENSION, new_end_date=new_end.isoformat()),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.EXTENDED
    assert entry.end_date == new_end
    extension = entry.amendments.get(kind="extension")
    assert (extension.previous_end_date, extension.new_end_date) == (old_end, new_end)


def test_exit_publishes_the_outcome_report(client, staff):
    entry = make_entry(status=EntryStatus.TESTING)
    url = manage_url(entry)
    assert client.post(url, step_data(AmendmentKind.EXIT)).status_code == 200
    response = client.post(
        url,
        step_data(
            AmendmentKind.EXIT,
            outcome_report="Đạt các chỉ tiêu an toàn.",
            lessons_learned="Cần điểm sạc.",
        ),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.EXITED
    assert entry.ended_on == date.today()
    assert "Đạt các chỉ tiêu an toàn." in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("status", "data", "field"),
    [
        (
            EntryStatus.TESTING,
            {"kind": AmendmentKind.EXTENSION, "new_end_date": "2020-01-01"},
            "new_end_date",
        ),
        (
            EntryStatus.TESTING,
            {"kind": AmendmentKind.EXTENSION, "new_end_date": ""},
            "new_end_date",
        ),
        (EntryStatus.TESTING, {"kind": AmendmentKind.SUSPENSION, "note": ""}, "note"),
        (
            EntryStatus.TESTING,
            {"kind": AmendmentKind.SUSPENSION, "note": "x", "decision_number": "77-QD"},
            "decision_number",
        ),
        (
            EntryStatus.TESTING,
            {"kind": AmendmentKind.REVOCATION, "note": "x", "decision_number": ""},
            "decision_number",
        ),
        (
            EntryStatus.TESTING,
            {
                "kind": AmendmentKind.SUSPENSION,
                "note": "x",
                "document": SimpleUploadedFile("qd.pdf", b"<html>", "application/pdf"),
            },
            "document",
        ),
        (EntryStatus.TESTING, {"kind": AmendmentKind.START}, None),
        (EntryStatus.APPROVED, {"kind": AmendmentKind.GRADUATION, "outcome_report": "x"}, None),
        (EntryStatus.EXITED, {"kind": AmendmentKind.RESUMPTION}, None),
        (EntryStatus.TESTING, {"kind": "approval"}, "kind"),
    ],
)
def test_a_refused_step_is_shown_and_changes_nothing(client, staff, status, data, field):
    entry = make_entry(status=status)
    before = (entry.status, entry.end_date, entry.amendments.count())
    kind = data.pop("kind")
    response = client.post(manage_url(entry), step_data(kind, **data))
    assert response.status_code == 200
    form = response.context["form"]
    if field is None:  # a transition not allowed: the service's refusal, above the form
        assert form.non_field_errors()
    else:
        assert field in form.errors
    entry.refresh_from_db()
    assert (entry.status, entry.end_date, entry.amendments.count()) == before


# --- concerns --------------------------------------------------------------------------------


def test_concerns_are_listed_newest_first_and_can_be_marked_handled(client, staff):
    entry = make_entry(status=EntryStatus.TESTING)
    first = services.concern_report(
        entry=entry, name="An", email="an@example.org", message="Xe chạy quá tốc độ.", client="1"
    )
    services.concern_report(
        entry=entry, name="Bình", email="binh@example.org", message="Xe đỗ sai chỗ.", client="2"
    )
    content = client.get(CONCERNS).content.decode()
    assert content.index("Xe đỗ sai chỗ.") < content.index("Xe chạy quá tốc độ.")
    assert manage_url(entry) in content
    assert "Xe chạy quá tốc độ." in client.get(manage_url(entry)).content.decode()
    response = client.post(f"/admin/sandbox/concerns/{first.pk}/handled/")
    assert response.status_code == 302
    assert Concern.objects.get(pk=first.pk).handled_at is not None
    waiting = client.get(CONCERNS + "?waiting=true").content.decode()
    assert "Xe đỗ sai chỗ." in waiting and "Xe chạy quá tốc độ." not in waiting


def test_only_staff_mark_concerns_handled(client):
    entry = make_entry()
    concern = services.concern_report(
        entry=entry, name="An", email="an@example.org", message="Có vấn đề.", client="1"
    )
    client.force_login(make_user(Role.FOUNDER))
    client.post(f"/admin/sandbox/concerns/{concern.pk}/handled/")
    assert Concern.objects.get(pk=concern.pk).handled_at is None


# --- reports ---------------------------------------------------------------------------------


def test_reports_count_by_domain_and_status_and_average_the_decision_time(client, staff):
    make_entry(status=EntryStatus.TESTING)
    make_entry(status=EntryStatus.TESTING)
    make_entry(status=EntryStatus.SUSPENDED)
    rejected = make_application(status=ApplicationStatus.REJECTED)
    # Decided two days after submission; the approved ones were decided at once.
    Application.objects.filter(pk=rejected.pk).update(
        decided_at=rejected.submitted_at + timedelta(days=2)
    )
    ending = make_entry(start=date.today() - timedelta(days=300))  # ends in 65 days: not listed
    soon = make_entry(start=date.today() - timedelta(days=330))  # ends in 35 days
    response = client.get(REPORTS)
    counts = response.context["counts"]
    transport = counts["rows"][list(Domain).index(Domain.TRANSPORT)]
    statuses = list(EntryStatus)
    assert transport["cells"][statuses.index(EntryStatus.TESTING)] == 2
    assert transport["cells"][statuses.index(EntryStatus.SUSPENDED)] == 1
    assert transport["total"] == counts["total"] == 5
    decision_time = response.context["decision_time"]
    assert decision_time["decisions"] == 6
    assert decision_time["average_days"] == pytest.approx(2 / 6, abs=0.05)
    listed = [item["entry"] for item in response.context["ending"]]
    assert listed == [soon]
    assert ending not in listed
    assert manage_url(soon) in response.content.decode()

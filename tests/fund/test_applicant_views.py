"""The applicant's journey at /fund/applications/, through the views: start a draft, fill it in,
attach documents, submit, follow it, answer the fund, withdraw, send tranche evidence. Fund
managers' steps go through the services (the admin is tested on its own)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fund import services
from fund.models import (
    Application,
    ApplicationStatus,
    Attachment,
    CallQuestion,
    TrancheEvidence,
)
from portal.accounts.roles import Role
from portal.notifications.models import Notification
from startups.models import Membership, Status
from tests.conftest import count_queries
from tests.factories import make_user, with_mfa
from tests.factories.fund import BILLION, make_application, make_call, pdf_upload
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

BASE = "/en/fund/applications/"
TODAY = date.today()


def body(response) -> str:
    return response.content.decode()


def detail_url(application) -> str:
    return f"{BASE}{application.pk}/"


def founder_of(application):
    return application.startup.memberships.get().user


def verified_founder():
    founder = make_user(language="en")
    return founder, make_startup(owner=founder, status=Status.VERIFIED)


def empty_draft(call=None):
    """A draft as the "Start" button leaves it: nothing filled in yet."""
    founder, startup = verified_founder()
    call = call or make_call()
    return services.application_create(user=founder, call=call, startup=startup)


def content_data(application, **overrides) -> dict:
    """The edit form as a founder fills it in, with one co-investor and a spare row."""
    data = {
        "amount_requested_vnd": "5.000.000.000",
        "instrument": "equity",
        "pre_money_valuation_vnd": "40 000 000 000",
        "use_of_funds": "Tuyển 6 kỹ sư và triển khai tại 10 phường.",
        "traction": "120 khách hàng doanh nghiệp.",
        "team": "Ba nhà sáng lập, 8 năm kinh nghiệm.",
        "co_investors-TOTAL_FORMS": "2",
        "co_investors-INITIAL_FORMS": "0",
        "co_investors-MIN_NUM_FORMS": "0",
        "co_investors-MAX_NUM_FORMS": "1000",
        "co_investors-0-name": "Sông Hồng Ventures",
        "co_investors-0-amount_vnd": "2.000.000.000",
        "co_investors-1-name": "",
        "co_investors-1-amount_vnd": "",
    }
    for question in application.call.questions.all():
        data[f"question_{question.pk}"] = "Giảm ùn tắc tại các nút giao."
    data.update(overrides)
    return data


def snapshot(application) -> dict:
    application = Application.objects.get(pk=application.pk)
    return {
        **{name: getattr(application, name) for name in services.APPLICATION_FIELDS},
        "answers": application.answers,
        "status": application.status,
        "steps": application.steps.count(),
        "co_investors": list(application.co_investors.values_list("name", "amount_vnd")),
        "attachments": application.attachments.count(),
    }


def not_a_pdf(name="pitch-deck.pdf"):
    return SimpleUploadedFile(name, b"Day khong phai PDF\n" * 10, content_type="application/pdf")


def too_large_pdf():
    size = services.ATTACHMENT_MAX_BYTES + 1
    content = b"%PDF-1.4\n" + b"0" * (size - 9)
    return SimpleUploadedFile("huge.pdf", content, content_type="application/pdf")


def approved_with_tranche():
    manager = with_mfa(make_user(Role.FUND_MANAGER))
    application = make_application(status=ApplicationStatus.APPROVED, manager=manager)
    tranche = services.tranche_add(
        user=manager,
        investment=application.investment,
        amount_vnd=2 * BILLION,
        planned_on=TODAY + timedelta(days=30),
        conditions="Ký hợp đồng thí điểm với 3 phường.",
    )
    return application, tranche, manager


# --- starting an application -----------------------------------------------------------------


def test_start_a_draft_for_the_only_verified_startup(client):
    founder, startup = verified_founder()
    call = make_call()
    client.force_login(founder)

    form = body(client.get(f"{BASE}new/{call.pk}/?startup={startup.pk}"))
    assert f"The application is made for {startup.name}" in form
    assert "1 billion VND to 20 billion VND" in form

    response = client.post(f"{BASE}new/{call.pk}/", {"startup": str(startup.pk)})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(application)}edit/"
    assert (application.call, application.startup, application.applicant) == (
        call,
        startup,
        founder,
    )
    assert application.status == ApplicationStatus.DRAFT
    assert not application.steps.exists()
    assert "is saved as a draft" in body(client.get(response["Location"]))


def test_a_founder_of_several_startups_chooses_which_applies(client):
    founder, first = verified_founder()
    second = make_startup(owner=founder, status=Status.VERIFIED)
    call = make_call()
    client.force_login(founder)

    form = body(client.get(f"{BASE}new/{call.pk}/?startup={second.pk}"))
    assert f'name="startup" value="{first.pk}"' in form
    assert f'name="startup" value="{second.pk}" required checked' in form

    response = client.post(f"{BASE}new/{call.pk}/", {})
    assert "Choose the startup that applies." in body(response)
    assert not Application.objects.exists()

    client.post(f"{BASE}new/{call.pk}/", {"startup": str(second.pk)})
    assert Application.objects.get().startup == second


def test_applying_to_a_closed_call_is_refused(client):
    founder, startup = verified_founder()
    call = make_call(opens_on=TODAY - timedelta(days=40), closes_on=TODAY - timedelta(days=1))
    client.force_login(founder)

    assert "This call closed on" in body(client.get(f"{BASE}new/{call.pk}/"))
    response = client.post(f"{BASE}new/{call.pk}/", {"startup": str(startup.pk)})

    assert response.status_code == 200
    page = body(response)
    assert "No application was started." in page
    assert "is not open for applications" in page
    assert not Application.objects.exists()


def test_applying_from_an_unverified_startup_is_refused(client):
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.CHANGES_REQUESTED)
    call = make_call()
    client.force_login(founder)

    assert "is not verified yet" in body(client.get(f"{BASE}new/{call.pk}/"))
    response = client.post(f"{BASE}new/{call.pk}/", {"startup": str(startup.pk)})

    assert response.status_code == 200
    assert "Only a verified startup you belong to can apply." in body(response)
    assert not Application.objects.exists()


def test_applying_for_someone_elses_startup_is_refused(client):
    theirs = make_startup(status=Status.VERIFIED)
    call = make_call()
    founder, _mine = verified_founder()
    client.force_login(founder)

    response = client.post(f"{BASE}new/{call.pk}/", {"startup": str(theirs.pk)})

    assert "Only a verified startup you belong to can apply." in body(response)
    assert not Application.objects.exists()


def test_applying_twice_to_the_same_call_is_refused(client):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    client.force_login(founder_of(application))
    before = snapshot(application)

    page = body(client.get(f"{BASE}new/{application.call_id}/"))
    assert "has applied to this call" in page
    assert detail_url(application) in page
    response = client.post(
        f"{BASE}new/{application.call_id}/", {"startup": str(application.startup_id)}
    )

    assert response.status_code == 200
    assert f"{application.startup.name} has already applied to this call." in body(response)
    assert Application.objects.count() == 1
    assert snapshot(application) == before


def test_an_unpublished_call_is_not_found(client):
    founder, _startup = verified_founder()
    call = make_call()
    call.unpublish()
    client.force_login(founder)
    assert client.get(f"{BASE}new/{call.pk}/").status_code == 404


# --- filling in the draft --------------------------------------------------------------------


def test_edit_the_draft_with_answers_and_co_investors(client):
    application = empty_draft()
    question = application.call.questions.get()
    client.force_login(founder_of(application))

    form = body(client.get(f"{detail_url(application)}edit/"))
    assert question.text in form
    assert "from 1 billion VND to 20 billion VND" in form
    assert "Co-investors already committed" in form

    response = client.post(f"{detail_url(application)}edit/", content_data(application))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.amount_requested_vnd == 5 * BILLION
    assert application.pre_money_valuation_vnd == 40 * BILLION
    assert application.instrument == "equity"
    assert application.answers == {str(question.pk): "Giảm ùn tắc tại các nút giao."}
    assert list(application.co_investors.values_list("name", "amount_vnd")) == [
        ("Sông Hồng Ventures", 2 * BILLION)
    ]
    assert application.status == ApplicationStatus.DRAFT

    page = body(client.get(detail_url(application)))
    assert "Changes saved." in page
    assert "5.000.000.000 ₫" in page
    assert "Sông Hồng Ventures" in page
    assert "Giảm ùn tắc tại các nút giao." in page

    # The form shows what was saved, the Vietnamese way, and removing a co-investor works.
    form = body(client.get(f"{detail_url(application)}edit/"))
    assert 'value="5.000.000.000"' in form
    assert 'value="Sông Hồng Ventures"' in form
    client.post(
        f"{detail_url(application)}edit/",
        content_data(
            application,
            **{
                "co_investors-TOTAL_FORMS": "3",
                "co_investors-INITIAL_FORMS": "1",
                "co_investors-0-DELETE": "on",
                "co_investors-2-name": "",
                "co_investors-2-amount_vnd": "",
            },
        ),
    )
    assert not application.co_investors.exists()


def test_a_draft_may_be_saved_incomplete(client):
    application = empty_draft()
    client.force_login(founder_of(application))
    data = {
        "traction": "Mới có bản thử nghiệm.",
        "co_investors-TOTAL_FORMS": "1",
        "co_investors-INITIAL_FORMS": "0",
    }

    response = client.post(f"{detail_url(application)}edit/", data)

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.traction == "Mới có bản thử nghiệm."
    assert application.amount_requested_vnd is None


@pytest.mark.parametrize("amount", ["500.000.000", "25.000.000.000"])
def test_amount_outside_the_ticket_range_is_refused(client, amount):
    application = make_application()
    client.force_login(founder_of(application))
    before = snapshot(application)

    response = client.post(
        f"{detail_url(application)}edit/",
        content_data(application, amount_requested_vnd=amount),
    )

    assert response.status_code == 200
    assert "amount_requested_vnd" in response.context["form"].errors
    page = body(response)
    assert "The application was not saved" in page
    assert "This call invests from 1.000.000.000 ₫ to 20.000.000.000 ₫." in page
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount_requested_vnd": "5 tỷ"}, "Write amounts in whole VND"),
        ({"pre_money_valuation_vnd": "-1"}, "cannot be negative"),
        ({"instrument": "loan"}, "Select a valid choice"),
        ({"co_investors-0-amount_vnd": ""}, "This field is required"),
        ({"co_investors-0-amount_vnd": "0"}, "greater than or equal to 1"),
    ],
)
def test_invalid_content_is_refused_and_nothing_saved(client, overrides, message):
    application = make_application()
    client.force_login(founder_of(application))
    before = snapshot(application)

    response = client.post(
        f"{detail_url(application)}edit/", content_data(application, **overrides)
    )

    assert response.status_code == 200
    assert message in body(response)
    assert snapshot(application) == before


# --- documents -------------------------------------------------------------------------------


def test_a_pdf_is_attached_and_downloadable_by_the_team(client):
    application = empty_draft()
    founder = founder_of(application)
    client.force_login(founder)

    response = client.post(
        f"{detail_url(application)}attachments/",
        {"kind": "pitch_deck", "file": pdf_upload("pitch-deck.pdf")},
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get(application=application)
    assert attachment.kind == "pitch_deck"
    assert attachment.uploaded_by == founder
    page = body(client.get(detail_url(application)))
    assert "pitch-deck.pdf is attached as pitch deck." in page
    download = f"/files/{attachment.file.pk}/"
    assert download in page
    # Any member of the startup may download it, not only who uploaded it.
    teammate = make_user()
    Membership.objects.create(startup=application.startup, user=teammate, role="member")
    client.force_login(teammate)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kind", "upload", "says"),
    [
        (
            "pitch_deck",
            not_a_pdf,
            "This file&#x27;s content is not an accepted type. Accepted: PDF, XLSX.",
        ),
        ("pitch_deck", too_large_pdf, "The file is too large"),
        ("", pdf_upload, "This field is required"),
    ],
)
def test_a_refused_document_is_not_attached(client, kind, upload, says):
    application = empty_draft()
    client.force_login(founder_of(application))

    response = client.post(
        f"{detail_url(application)}attachments/", {"kind": kind, "file": upload()}
    )

    assert response.status_code == 200
    page = body(response)
    assert "The document was not attached." in page
    assert says in page
    assert not Attachment.objects.exists()


def test_a_draft_attachment_is_removed(client):
    application = empty_draft()
    founder = founder_of(application)
    attachment = services.attachment_add(
        user=founder, application=application, kind="cap_table", upload=pdf_upload("cap.pdf")
    )
    client.force_login(founder)

    response = client.post(
        f"{detail_url(application)}attachments/{attachment.pk}/remove/", follow=True
    )

    assert "cap.pdf is removed." in body(response)
    assert not Attachment.objects.exists()


# --- submitting ------------------------------------------------------------------------------


def test_submitting_an_incomplete_draft_lists_what_is_missing_and_changes_nothing(client):
    application = empty_draft()
    question = application.call.questions.get()
    client.force_login(founder_of(application))
    before = snapshot(application)

    response = client.post(f"{detail_url(application)}submit/")

    assert response.status_code == 200
    page = body(response)
    assert "The application was not submitted: it is incomplete." in page
    assert "Amount requested (VND)</strong>: Say how much you ask the fund for." in page
    assert "Instrument</strong>: Choose the instrument." in page
    assert "Describe your team." in page
    assert f"Answer the question: {question.text}" in page
    assert "Documents</strong>: Attach the pitch deck." in page
    assert snapshot(application) == before
    assert before["status"] == ApplicationStatus.DRAFT
    assert "Submit to the fund" in page


def test_submitting_locks_the_application(client):
    application = make_application()
    founder = founder_of(application)
    services.attachment_add(
        user=founder, application=application, kind="pitch_deck", upload=pdf_upload()
    )
    client.force_login(founder)

    response = client.post(f"{detail_url(application)}submit/", follow=True)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    page = body(response)
    assert "its content is now locked" in page
    assert "Draft → Submitted" in page
    assert f"by {founder}" in page
    assert "Service deadline of this stage" in page
    assert f"{timezone.localtime(application.stage_due_at):%d/%m/%Y}" in page
    assert "No. 1" in page
    assert f"{detail_url(application)}edit/" not in page
    assert f"{detail_url(application)}submit/" not in page
    assert f"{detail_url(application)}attachments/" not in page

    before = snapshot(application)
    response = client.get(f"{detail_url(application)}edit/", follow=True)
    assert "is locked: it can no longer be edited" in body(response)
    client.post(
        f"{detail_url(application)}edit/", content_data(application, team="Đội khác"), follow=True
    )
    response = client.post(
        f"{detail_url(application)}attachments/",
        {"kind": "other", "file": pdf_upload("more.pdf")},
        follow=True,
    )
    assert "This application is locked" in body(response)
    attachment = application.attachments.get()
    client.post(f"{detail_url(application)}attachments/{attachment.pk}/remove/")
    response = client.post(f"{detail_url(application)}submit/", follow=True)
    assert "This is not possible while the status is “Submitted”" in body(response)
    assert snapshot(application) == before


def test_submitted_answers_keep_the_questions_as_they_were_asked(client):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    question = application.call.questions.get()
    asked = question.text
    CallQuestion.objects.filter(pk=question.pk).update(text="Một câu hỏi đã sửa sau đó?")
    client.force_login(founder_of(application))

    page = body(client.get(detail_url(application)))

    assert asked in page
    assert "Một câu hỏi đã sửa sau đó?" not in page


def test_submit_needs_post(client):
    application = make_application()
    client.force_login(founder_of(application))
    assert client.get(f"{detail_url(application)}submit/").status_code == 405
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


# --- following, answering and withdrawing ----------------------------------------------------


def test_queue_position_and_overdue_deadline_are_shown(client):
    call = make_call()
    first = make_application(call=call, status=ApplicationStatus.SUBMITTED)
    second = make_application(call=call, status=ApplicationStatus.SUBMITTED)
    Application.objects.filter(pk=second.pk).update(stage_due_at=timezone.now() - timedelta(days=1))
    client.force_login(founder_of(second))

    page = body(client.get(detail_url(second)))

    assert "No. 2" in page
    assert "1 application at this stage has waited longer than yours." in page
    assert "Overdue" in page
    client.force_login(founder_of(first))
    page = body(client.get(detail_url(first)))
    assert "No. 1" in page
    assert "yours is the next the fund handles" in page
    assert "Overdue" not in page


def test_answering_a_request_for_information_returns_the_application_to_its_stage(client):
    application = make_application(status=ApplicationStatus.INFO_REQUESTED)
    request_note = application.steps.get(to_status=ApplicationStatus.INFO_REQUESTED).note
    client.force_login(founder_of(application))

    page = body(client.get(detail_url(application)))
    assert "What the fund asks for" in page
    assert request_note in page
    assert "Answer the fund by" in page
    assert f"{detail_url(application)}edit/" in page

    before = snapshot(application)
    response = client.post(f"{detail_url(application)}answer/", {"answer": "  "})
    assert response.status_code == 200
    assert "Write your answer to the fund&#x27;s request." in body(response)
    assert snapshot(application) == before

    response = client.post(
        f"{detail_url(application)}answer/",
        {"answer": "Đã tải lên báo cáo tài chính 2025."},
        follow=True,
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCREENING
    step = application.steps.last()
    assert (step.from_status, step.to_status) == ("info_requested", "screening")
    assert step.note == "Đã tải lên báo cáo tài chính 2025."
    page = body(response)
    assert "Your answer is sent. The application is back at “Screening”." in page
    assert "Đã tải lên báo cáo tài chính 2025." in page

    # Answering again is refused: nothing is asked any more.
    response = client.post(
        f"{detail_url(application)}answer/", {"answer": "Thêm nữa."}, follow=True
    )
    assert application.steps.count() == before["steps"] + 1
    assert "This is not possible while the status is “Screening”" in body(response)


def test_rejected_application_shows_the_reason(client):
    application = make_application(status=ApplicationStatus.REJECTED)
    note = application.steps.get(to_status=ApplicationStatus.REJECTED).note
    client.force_login(founder_of(application))

    page = body(client.get(detail_url(application)))

    assert "Why the fund will not invest" in page
    assert note in page
    assert f"{detail_url(application)}withdraw/" not in page


def test_withdraw_with_a_reason(client):
    application = make_application(status=ApplicationStatus.SCREENING)
    client.force_login(founder_of(application))

    page = body(client.get(detail_url(application)))
    assert f"{detail_url(application)}withdraw/" in page
    assert "Withdraw the application of" in body(client.get(f"{detail_url(application)}withdraw/"))

    response = client.post(
        f"{detail_url(application)}withdraw/",
        {"reason": "Đã nhận vốn từ quỹ khác."},
        follow=True,
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.steps.last().note == "Đã nhận vốn từ quỹ khác."
    page = body(response)
    assert "The application is withdrawn." in page
    assert f"{detail_url(application)}withdraw/" not in page

    # A decided application cannot be withdrawn again.
    before = snapshot(application)
    response = client.post(f"{detail_url(application)}withdraw/", {}, follow=True)
    assert "cannot be withdrawn" in body(response)
    assert snapshot(application) == before


# --- disbursement ----------------------------------------------------------------------------


def test_approved_application_shows_terms_and_takes_tranche_evidence(client):
    application, tranche, manager = approved_with_tranche()
    founder = founder_of(application)
    client.force_login(founder)

    page = body(client.get(detail_url(application)))
    assert "The investment" in page
    assert "5.000.000.000 ₫" in page
    assert "Tranche 1" in page
    assert "Ký hợp đồng thí điểm với 3 phường." in page
    assert f"{tranche.planned_on:%d/%m/%Y}" in page
    assert "No evidence yet." in page
    evidence_url = f"{detail_url(application)}tranches/{tranche.pk}/evidence/"
    assert evidence_url in page

    response = client.post(evidence_url, {f"tranche-{tranche.pk}-file": pdf_upload("hop-dong.pdf")})
    assert response.status_code == 200
    assert "Say what this evidence shows." in body(response)
    response = client.post(
        evidence_url,
        {f"tranche-{tranche.pk}-file": not_a_pdf(), f"tranche-{tranche.pk}-note": "Hợp đồng"},
    )
    assert "The evidence was not uploaded." in body(response)
    assert not TrancheEvidence.objects.exists()

    response = client.post(
        evidence_url,
        {
            f"tranche-{tranche.pk}-file": pdf_upload("hop-dong.pdf"),
            f"tranche-{tranche.pk}-note": "Hợp đồng ký với 3 phường",
        },
        follow=True,
    )

    evidence = TrancheEvidence.objects.get()
    assert (evidence.tranche, evidence.note, evidence.uploaded_by) == (
        tranche,
        "Hợp đồng ký với 3 phường",
        founder,
    )
    page = body(response)
    assert "The evidence for tranche 1 is sent to the fund." in page
    assert f"/files/{evidence.file.pk}/" in page
    assert Notification.objects.filter(recipient=manager).exists()
    assert client.get(f"/files/{evidence.file.pk}/").status_code == 200


def test_a_disbursed_tranche_takes_no_more_evidence(client):
    application, tranche, manager = approved_with_tranche()
    services.tranche_evidence_add(
        user=manager, tranche=tranche, upload=pdf_upload(), note="Biên bản nghiệm thu"
    )
    services.tranche_approve_requirements(user=manager, tranche=tranche)
    services.tranche_disburse(user=manager, tranche=tranche)
    client.force_login(founder_of(application))
    evidence_url = f"{detail_url(application)}tranches/{tranche.pk}/evidence/"

    page = body(client.get(detail_url(application)))
    assert "Disbursed" in page
    assert evidence_url not in page

    response = client.post(
        evidence_url,
        {f"tranche-{tranche.pk}-file": pdf_upload(), f"tranche-{tranche.pk}-note": "Thêm"},
        follow=True,
    )
    assert "This tranche is already disbursed." in body(response)
    assert TrancheEvidence.objects.count() == 1


# --- my applications -------------------------------------------------------------------------


def test_list_shows_every_application_of_my_startups_and_no_one_elses(client):
    founder, startup = verified_founder()
    mine = make_application(startup=startup, status=ApplicationStatus.SUBMITTED)
    teammate = make_user()
    Membership.objects.create(startup=startup, user=teammate, role="member")
    by_teammate = make_application(startup=startup, founder=teammate)
    asked = make_application(
        startup=make_startup(owner=founder, status=Status.VERIFIED),
        status=ApplicationStatus.INFO_REQUESTED,
    )
    other = make_application(status=ApplicationStatus.SUBMITTED)
    Application.objects.filter(pk=mine.pk).update(stage_due_at=timezone.now() - timedelta(days=2))
    call = make_call(title="Đợt đang mở cho hồ sơ mới")
    client.force_login(founder)

    page = body(client.get(BASE))

    for application in (mine, by_teammate, asked):
        assert detail_url(application) in page
    assert detail_url(other) not in page
    assert "status--info" in page and "status--warn" in page and "status--neutral" in page
    assert "More information requested" in page
    assert "Overdue" in page
    assert f"{timezone.localtime(asked.stage_due_at):%d/%m/%Y}" in page
    assert call.title in page and call.url in page
    # A teammate follows the same application.
    client.force_login(teammate)
    assert detail_url(mine) in body(client.get(BASE))
    assert client.get(detail_url(mine)).status_code == 200


def test_list_query_count_does_not_grow_with_the_applications(client):
    founder, startup = verified_founder()
    make_application(startup=startup, status=ApplicationStatus.SUBMITTED)
    client.force_login(founder)
    one = count_queries(client, BASE)

    for status in (ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED):
        make_application(startup=make_startup(owner=founder, status=Status.VERIFIED), status=status)
    make_application(startup=startup, call=make_call(), status=ApplicationStatus.REJECTED)

    assert count_queries(client, BASE) == one


def test_empty_list_points_to_the_open_calls(client):
    call = make_call()
    client.force_login(make_user())
    page = body(client.get(BASE))
    assert "Your startups have not applied to the fund yet." in page
    assert call.url in page


# --- who may see and do what -----------------------------------------------------------------


@pytest.fixture
def approved_case():
    """An approved application with a pitch deck and a tranche with evidence."""
    application, tranche, manager = approved_with_tranche()
    evidence = services.tranche_evidence_add(
        user=founder_of(application), tranche=tranche, upload=pdf_upload(), note="Hợp đồng"
    )
    attachment = application.attachments.get()
    base = detail_url(application)
    pages = [base, f"{base}edit/", f"{base}withdraw/"]
    actions = [
        f"{base}edit/",
        f"{base}submit/",
        f"{base}withdraw/",
        f"{base}answer/",
        f"{base}attachments/",
        f"{base}attachments/{attachment.pk}/remove/",
        f"{base}tranches/{tranche.pk}/evidence/",
    ]
    files = [f"/files/{attachment.file.pk}/", f"/files/{evidence.file.pk}/"]
    return application, pages, actions, files


def test_a_member_of_another_startup_finds_nothing_and_changes_nothing(client, approved_case):
    application, pages, actions, files = approved_case
    outsider, _their_startup = verified_founder()
    client.force_login(outsider)
    before = snapshot(application)
    evidence = TrancheEvidence.objects.count()

    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in actions:
        response = client.post(url, {"answer": "X", "reason": "X", "kind": "other"})
        assert response.status_code == 404, url
    for url in files:
        assert client.get(url).status_code == 403, url
    assert detail_url(application) not in body(client.get(BASE))
    assert snapshot(application) == before
    assert TrancheEvidence.objects.count() == evidence


def test_anonymous_visitors_are_sent_to_sign_in(client, approved_case):
    application, pages, actions, files = approved_case
    before = snapshot(application)

    for url in [BASE, f"{BASE}new/{application.call_id}/", *pages, *files]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
    for url in actions:
        response = client.post(url, {"answer": "X"})
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
    assert snapshot(application) == before


def test_a_former_member_loses_access(client):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    founder = founder_of(application)
    attachment = application.attachments.get()
    teammate = make_user()
    Membership.objects.create(startup=application.startup, user=teammate, role="member")
    Membership.objects.filter(user=teammate).delete()
    client.force_login(teammate)

    assert client.get(detail_url(application)).status_code == 404
    assert client.get(f"/files/{attachment.file.pk}/").status_code == 403
    client.force_login(founder)
    assert client.get(detail_url(application)).status_code == 200


def test_unknown_application_is_not_found(client):
    client.force_login(make_user())
    assert client.get(f"{BASE}999999/").status_code == 404


# --- the /me/ overview and languages ---------------------------------------------------------


def test_workspace_panel_lists_my_applications(client):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    someone_elses = make_application(status=ApplicationStatus.SUBMITTED)
    client.force_login(founder_of(application))

    overview = body(client.get("/en/me/"))

    assert 'id="my-fund-heading"' in overview
    assert detail_url(application) in overview
    assert detail_url(someone_elses) not in overview


def test_workspace_panel_points_founders_to_open_calls_and_stays_away_from_others(client):
    call = make_call()
    founder, _startup = verified_founder()
    client.force_login(founder)
    overview = body(client.get("/en/me/"))
    assert 'id="my-fund-heading"' in overview
    assert call.url in overview

    client.force_login(make_user())
    assert 'id="my-fund-heading"' not in body(client.get("/en/me/"))


def test_pages_render_in_vietnamese_and_notifications_lead_to_them(client):
    application = make_application(status=ApplicationStatus.INFO_REQUESTED)
    founder = founder_of(application)
    client.force_login(founder)

    notification = Notification.objects.filter(recipient=founder).latest("pk")
    assert notification.url == f"/fund/applications/{application.pk}/"
    for url in (
        "/fund/applications/",
        notification.url,
        f"/fund/applications/{application.pk}/edit/",
        f"/fund/applications/{application.pk}/withdraw/",
        f"/fund/applications/new/{make_call().pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="vi">' in body(response)

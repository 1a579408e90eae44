"""The fund managers' pages in the Wagtail admin: who gets in, the application page with each
pipeline step, reviewer assignment with conflict checks and the committee's decision, and the
tranche page with the disbursement steps. Every refusal changes nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from fund import services
from fund.models import (
    Affiliation,
    ApplicationStatus,
    Assignment,
    Investment,
    Tranche,
    TrancheStatus,
)
from portal.accounts.roles import Role
from portal.notifications.models import Notification
from tests.factories import english_admin_user, make_user, with_mfa
from tests.factories.fund import BILLION, make_application, make_investment, pdf_upload

pytestmark = pytest.mark.django_db

QUEUE = "/admin/fund/applications/"
TRANCHES = "/admin/fund/tranches/"
DASHBOARD = "/admin/fund/dashboard/"
FUNDS = "/admin/snippets/fund/fund/"
USE_OF_FUNDS = "Thuê 12 kỹ sư dữ liệu và mở văn phòng tại Cầu Giấy."
CO_INVESTOR = "Quỹ Sáng tạo Sông Hồng"


def page_url(application) -> str:
    return f"/admin/fund/applications/{application.pk}/"


def tranche_url(tranche) -> str:
    return f"/admin/fund/tranches/{tranche.pk}/"


def english_manager(*roles):
    return english_admin_user(*(roles or [Role.FUND_MANAGER]))


@pytest.fixture
def manager(client):
    user = english_manager()
    client.force_login(user)
    return user


def step(client, application, action, **fields):
    """Posts `action` on the application page as if from the page showing its current status."""
    data = {"action": action, f"{action}-seen_status": application.status}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(page_url(application), data)


def tranche_step(client, tranche, action, **fields):
    data = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(tranche_url(tranche), data)


def text(response) -> str:
    return response.content.decode()


# --- who gets in -----------------------------------------------------------------------------


def manager_urls(application, tranche) -> list[str]:
    return [
        QUEUE,
        f"{QUEUE}?export=csv",
        f"{QUEUE}?export=xlsx",
        TRANCHES,
        f"{TRANCHES}?export=csv",
        f"{TRANCHES}?export=xlsx",
        DASHBOARD,
        FUNDS,
        page_url(application),
        tranche_url(tranche),
    ]


@pytest.fixture
def tranche():
    investment = make_investment()
    return services.tranche_add(
        user=investment.decided_by,
        investment=investment,
        amount_vnd=BILLION,
        planned_on=date.today() + timedelta(days=30),
    )


def test_anonymous_visitors_are_sent_to_log_in(client, tranche):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    for url in manager_urls(application, tranche):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


@pytest.mark.parametrize("role", [Role.FOUNDER, Role.REVIEWER, Role.DEPARTMENT_STAFF])
def test_founders_reviewers_and_department_staff_are_refused(client, tranche, role):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    user = make_user(role, language="en")
    if role != Role.FOUNDER:
        with_mfa(user)
    client.force_login(user)
    for url in manager_urls(application, tranche):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"].split("?")[0] != url.split("?")[0], url
    step(client, application, "advance")
    step(client, application, "reject", note="Không phù hợp.")
    tranche_step(client, tranche, "hold", note="Tạm dừng.")
    application.refresh_from_db()
    tranche.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert tranche.status == TrancheStatus.PLANNED
    if role != Role.FOUNDER:
        menu = text(client.get("/admin/"))
        for url in (QUEUE, TRANCHES, DASHBOARD, FUNDS):
            assert url not in menu, url


@pytest.mark.parametrize("role", [Role.FUND_MANAGER, Role.ADMINISTRATOR])
def test_fund_managers_and_administrators_see_every_page_and_the_menu(client, tranche, role):
    client.force_login(english_manager(role))
    application = make_application(status=ApplicationStatus.SUBMITTED)
    for url in manager_urls(application, tranche):
        assert client.get(url).status_code == 200, url
    menu = text(client.get("/admin/"))
    assert "Venture fund" in menu
    for url in (QUEUE, TRANCHES, DASHBOARD, FUNDS):
        assert url in menu, url


def test_fund_managers_without_a_second_factor_set_it_up_first(client):
    client.force_login(make_user(Role.FUND_MANAGER))
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "login" not in response["Location"]


def test_the_generic_forms_cannot_change_applications_or_tranches(client, manager, tranche):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    for url in (
        f"{QUEUE}new/",
        f"{QUEUE}edit/{application.pk}/",
        f"{QUEUE}delete/{application.pk}/",
        f"{TRANCHES}edit/{tranche.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_draft_is_not_shown_to_the_fund(client, manager):
    draft = make_application()
    assert client.get(page_url(draft)).status_code == 404


# --- the application page --------------------------------------------------------------------


def test_the_page_shows_the_whole_application_its_reviews_and_its_history(client, manager):
    application = make_application(
        status=ApplicationStatus.COMMITTEE,
        use_of_funds=USE_OF_FUNDS,
        co_investors=[(CO_INVESTOR, 2 * BILLION)],
    )
    response = client.get(page_url(application))
    page = text(response)
    attachment = application.attachments.get()
    download = reverse("private_file_download", args=[attachment.file.pk])
    for expected in (
        application.startup.name,
        USE_OF_FUNDS,
        application.traction,
        application.team,
        "Vì sao Hà Nội cần giải pháp này?",  # the question asked, with its answer
        "Vì thành phố cần.",
        CO_INVESTOR,
        "2.000.000.000 ₫",
        download,
        "Investment committee",
        "Application submitted",  # the audit trail
        "Reviewer assigned",
        "Invest: 2",  # recommendations of the two submitted reviews
        "4.00",  # the average of each criterion
        "Approve the investment",
    ):
        assert expected in page, expected
    # The pipeline's steps, with the actor of each.
    for step_ in application.steps.select_related("actor"):
        assert step_.actor.email in page
    assert client.get(download).status_code == 200


def test_advance_moves_the_application_on_and_tells_the_applicant(client, manager):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    response = step(client, application, "advance", note="Hồ sơ đủ điều kiện.")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCREENING
    last = application.steps.last()
    assert (last.actor, last.note) == (manager, "Hồ sơ đủ điều kiện.")
    founder = application.startup.memberships.get().user
    assert Notification.objects.filter(recipient=founder, url__contains=str(application.pk))
    assert ModelLogEntry.objects.filter(action="fund.screening", object_id=str(application.pk))


def test_the_committee_is_refused_without_two_submitted_reviews(client, manager):
    application = make_application(status=ApplicationStatus.DUE_DILIGENCE)
    response = step(client, application, "advance")
    assert response.status_code == 200
    assert "The committee needs at least 2 submitted reviews; this application has 0." in text(
        response
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DUE_DILIGENCE


def test_a_step_taken_on_an_outdated_page_is_refused(client, manager):
    """Two managers press "move on" from the same page: only the first one moves it."""
    application = make_application(status=ApplicationStatus.SUBMITTED)
    seen = application.status
    assert step(client, application, "advance").status_code == 302
    response = client.post(
        page_url(application), {"action": "advance", "advance-seen_status": seen}
    )
    assert response.status_code == 200
    assert "Someone else changed this application meanwhile" in text(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCREENING
    assert application.steps.filter(to_status=ApplicationStatus.DUE_DILIGENCE).count() == 0


def test_a_request_for_information_needs_a_note(client, manager):
    application = make_application(status=ApplicationStatus.SCREENING)
    response = step(client, application, "request_info", note="")
    assert response.status_code == 200
    assert "Say what information is needed." in text(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCREENING
    assert step(client, application, "request_info", note="Gửi bảng cân đối.").status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert application.returns_to == ApplicationStatus.SCREENING
    assert "Gửi bảng cân đối." in text(client.get(page_url(application)))


def test_a_rejection_needs_a_note_and_is_recorded(client, manager):
    application = make_application(status=ApplicationStatus.DUE_DILIGENCE)
    response = step(client, application, "reject")
    assert response.status_code == 200
    assert "Tell the applicant why." in text(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DUE_DILIGENCE
    assert step(client, application, "reject", note="Thị trường quá nhỏ.").status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.decided_at is not None
    page = text(client.get(page_url(application)))
    assert "Thị trường quá nhỏ." in page
    assert "Application rejected" in page
    assert 'name="action" value="reject"' not in page


def test_the_committee_approves_with_terms_within_the_ticket_range(client, manager):
    application = make_application(status=ApplicationStatus.COMMITTEE)
    terms = {
        "amount_vnd": "50.000.000.000",
        "instrument": "convertible_note",
        "pre_money_valuation_vnd": "60.000.000.000",
        "conditions": "Báo cáo quý; một ghế quan sát viên.",
        "decided_on": date.today().isoformat(),
    }
    response = step(client, application, "approve", **terms)
    assert response.status_code == 200
    assert "This call invests from 1.000.000.000 ₫ to 20.000.000.000 ₫." in text(response)
    assert not Investment.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMMITTEE

    response = step(client, application, "approve", **{**terms, "amount_vnd": "4.500.000.000"})
    assert response.status_code == 302
    investment = Investment.objects.get(application=application)
    assert investment.amount_vnd == 4_500_000_000
    assert investment.instrument == "convertible_note"
    assert investment.pre_money_valuation_vnd == 60 * BILLION
    assert investment.conditions == "Báo cáo quý; một ghế quan sát viên."
    assert investment.decided_by == manager
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert ModelLogEntry.objects.get(action="fund.approve").data["amount_vnd"] == 4_500_000_000
    founder = application.startup.memberships.get().user
    assert Notification.objects.filter(
        recipient=founder, subject__startswith="Đã phê duyệt đầu tư"
    ).exists()


def test_approval_is_offered_and_accepted_only_at_the_committee(client, manager):
    application = make_application(status=ApplicationStatus.SCREENING)
    assert "approve-amount_vnd" not in text(client.get(page_url(application)))
    response = step(
        client,
        application,
        "approve",
        amount_vnd="5.000.000.000",
        instrument="equity",
        pre_money_valuation_vnd="40.000.000.000",
        decided_on=date.today().isoformat(),
    )
    assert response.status_code == 200
    assert not Investment.objects.exists()


# --- reviewers -------------------------------------------------------------------------------


def test_a_likely_conflict_blocks_the_assignment_until_a_reason_is_given(client, manager):
    application = make_application(status=ApplicationStatus.SCREENING)
    reviewer = with_mfa(make_user(Role.REVIEWER))
    services.affiliation_declare(
        user=reviewer, startup=application.startup, note="Cố vấn chiến lược năm 2025"
    )
    page = text(client.get(page_url(application)))
    assert "likely conflict: declared affiliation: Cố vấn chiến lược năm 2025" in page
    assert "assign-override_reason" not in page

    response = client.post(
        page_url(application), {"action": "assign", "assign-reviewer": reviewer.pk}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Likely conflict of interest" in page
    assert "assign-override_reason" in page
    assert not Assignment.objects.filter(reviewer=reviewer).exists()

    response = client.post(
        page_url(application),
        {
            "action": "assign",
            "assign-reviewer": reviewer.pk,
            "assign-override_reason": "Chuyên gia duy nhất về lĩnh vực này.",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(reviewer=reviewer)
    assert assignment.override_reason == "Chuyên gia duy nhất về lĩnh vực này."
    assert assignment.conflict_flags == ["declared affiliation: Cố vấn chiến lược năm 2025"]
    page = text(client.get(page_url(application)))
    assert "Assigned anyway because:" in page
    assert "Chuyên gia duy nhất về lĩnh vực này." in page
    entry = ModelLogEntry.objects.get(action="fund.assign")
    assert entry.data["override_reason"] == "Chuyên gia duy nhất về lĩnh vực này."


def test_a_reviewer_without_ties_is_assigned_and_unassigned_before_submitting(client, manager):
    application = make_application(status=ApplicationStatus.SCREENING)
    reviewer = make_user(Role.REVIEWER)
    assert Affiliation.objects.count() == 0
    response = client.post(
        page_url(application), {"action": "assign", "assign-reviewer": reviewer.pk}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(application=application, reviewer=reviewer)
    assert assignment.conflict_flags == [] and assignment.assigned_by == manager
    response = client.post(
        page_url(application), {"action": "unassign", "unassign-assignment": assignment.pk}
    )
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_submitted_review_cannot_be_unassigned(client, manager):
    application = make_application(status=ApplicationStatus.COMMITTEE)
    assignment = application.assignments.first()
    response = client.post(
        page_url(application), {"action": "unassign", "unassign-assignment": assignment.pk}
    )
    assert response.status_code == 200
    assert "A submitted review stays on record" in text(response)
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_only_reviewers_are_offered(client, manager):
    application = make_application(status=ApplicationStatus.SCREENING)
    outsider = make_user(Role.FOUNDER)
    response = client.post(
        page_url(application), {"action": "assign", "assign-reviewer": outsider.pk}
    )
    assert response.status_code == 200
    assert not Assignment.objects.filter(reviewer=outsider).exists()


# --- tranches --------------------------------------------------------------------------------


def plan(client, application, amount: str, conditions: str = "", days: int = 30):
    return client.post(
        page_url(application),
        {
            "action": "add_tranche",
            "add_tranche-amount_vnd": amount,
            "add_tranche-planned_on": (date.today() + timedelta(days=days)).isoformat(),
            "add_tranche-conditions": conditions,
        },
    )


def test_tranches_never_total_more_than_the_approved_amount(client, manager):
    investment = make_investment()  # 5 billion approved
    application = investment.application
    assert plan(client, application, "3.000.000.000").status_code == 302
    response = plan(client, application, "2.500.000.000")
    assert response.status_code == 200
    assert "more than the 5.000.000.000 ₫ approved" in text(response)
    assert investment.tranches.count() == 1
    assert plan(client, application, "2.000.000.000").status_code == 302
    page = text(client.get(page_url(application)))
    assert "not yet planned: 0 ₫" in page
    for tranche in investment.tranches.all():
        assert tranche_url(tranche) in page


def test_a_tranche_is_disbursed_only_after_its_requirements_are_approved(client, manager):
    investment = make_investment()
    plan(client, investment.application, "2.000.000.000", conditions="Ký hợp đồng với 3 phường.")
    tranche = investment.tranches.get()

    response = tranche_step(client, tranche, "disburse", disbursed_on=date.today().isoformat())
    assert response.status_code == 200
    assert "A tranche is disbursed only after its requirements are approved." in text(response)
    response = tranche_step(client, tranche, "requirements", note="")
    assert response.status_code == 200
    assert "Upload evidence that the conditions are met" in text(response)
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED

    response = client.post(
        tranche_url(tranche),
        {
            "action": "evidence",
            "evidence-file": pdf_upload("hop-dong.pdf"),
            "evidence-note": "Hợp đồng đã ký",
        },
    )
    assert response.status_code == 302
    evidence = tranche.evidence.get()
    page = text(client.get(tranche_url(tranche)))
    download = reverse("private_file_download", args=[evidence.file.pk])
    assert download in page and "hop-dong.pdf" in page
    assert client.get(download).status_code == 200

    assert tranche_step(client, tranche, "requirements", note="Đủ điều kiện.").status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.REQUIREMENTS_MET
    future = (date.today() + timedelta(days=1)).isoformat()
    response = tranche_step(client, tranche, "disburse", disbursed_on=future)
    assert "The disbursement date cannot be in the future." in text(response)
    yesterday = date.today() - timedelta(days=1)
    response = tranche_step(client, tranche, "disburse", disbursed_on=yesterday.isoformat())
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert (tranche.status, tranche.disbursed_on) == (TrancheStatus.DISBURSED, yesterday)
    founder = investment.application.startup.memberships.get().user
    assert Notification.objects.filter(
        recipient=founder, subject__startswith="Đã giải ngân đợt"
    ).exists()
    assert ModelLogEntry.objects.filter(action="fund.disburse").exists()


def test_hold_needs_a_reason_and_a_held_tranche_is_changed_then_resumed(client, manager):
    investment = make_investment()
    plan(client, investment.application, "2.000.000.000")
    tranche = investment.tranches.get()
    response = tranche_step(client, tranche, "hold", note="")
    assert "Say why the tranche is held." in text(response)
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED

    assert tranche_step(client, tranche, "hold", note="Chờ kiểm toán.").status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.HELD
    new_date = date.today() + timedelta(days=60)
    response = tranche_step(
        client,
        tranche,
        "edit",
        amount_vnd="1.500.000.000",
        planned_on=new_date.isoformat(),
        conditions="Báo cáo kiểm toán.",
    )
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert (tranche.amount_vnd, tranche.planned_on) == (1_500_000_000, new_date)
    assert tranche_step(client, tranche, "resume", note="Đã có kiểm toán.").status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED
    page = text(client.get(tranche_url(tranche)))
    assert "Chờ kiểm toán." in page and "Đã có kiểm toán." in page


def test_a_tranche_whose_requirements_are_met_can_no_longer_be_changed(client, manager):
    investment = make_investment()
    plan(client, investment.application, "2.000.000.000")
    tranche = investment.tranches.get()
    tranche_step(client, tranche, "requirements")
    response = tranche_step(
        client,
        tranche,
        "edit",
        amount_vnd="9.000.000.000",
        planned_on=date.today().isoformat(),
        conditions="",
    )
    assert response.status_code == 200
    assert "cannot be changed" in text(response)
    assert Tranche.objects.get(pk=tranche.pk).amount_vnd == 2 * BILLION

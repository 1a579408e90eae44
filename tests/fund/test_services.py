"""The fund services: every step of an application's lifecycle allowed by fund/workflow.py and
every other one refused (nothing changed), who may take each step, the applicant's rules
(eligibility, ticket range, completeness, documents), information requests, conflict-checked
assignments and reviews, the committee's decision against the fund's capital, tranches, and the
notifications and audit trail each action leaves."""

from datetime import date, timedelta

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from fund import services, workflow
from fund.models import (
    Affiliation,
    Application,
    ApplicationStatus,
    Assignment,
    CallQuestion,
    Criterion,
    Investment,
    Score,
    Tranche,
    TrancheStatus,
)
from portal.accounts.roles import Role
from portal.accounts.services import user_grant_role
from portal.core.exceptions import PortalError
from portal.notifications.models import Notification
from startups import services as startup_services
from startups.models import PastMembership
from tests.factories import make_user
from tests.factories.fund import (
    BILLION,
    application_content,
    full_scores,
    make_application,
    make_call,
    make_fund,
    make_investment,
    pdf_upload,
)
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

S = ApplicationStatus
TODAY = date.today()


@pytest.fixture(autouse=True)
def _english():
    # Refusals and conflict flags are asserted in English.
    with translation.override("en"):
        yield


@pytest.fixture
def manager():
    return make_user(Role.FUND_MANAGER)


def applicant_url(application) -> str:
    return f"/fund/applications/{application.pk}/"


def actions(instance) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(instance)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def snapshot(application) -> tuple:
    """Everything a refused step must leave as it was."""
    application = Application.objects.get(pk=application.pk)
    return (
        application.status,
        application.returns_to,
        application.stage_started_at,
        application.stage_due_at,
        application.submitted_at,
        application.decided_at,
        application.updated_at,
        application.amount_requested_vnd,
        list(application.steps.values_list("pk", flat=True)),
        list(application.attachments.values_list("pk", flat=True)),
        Investment.objects.filter(application=application).exists(),
        ModelLogEntry.objects.for_instance(application).count(),
        Notification.objects.count(),
    )


def add_member(startup, *, role="member"):
    """A second person of the startup, invited by its owner and accepting."""
    owner = startup.memberships.get(role="owner").user
    member = make_user()
    invitation = startup_services.member_invite(
        user=owner, startup=startup, email=member.email, role=role
    )
    startup_services.invitation_accept(user=member, invitation=invitation)
    return member


def submitted_reviews(application, manager, count=workflow.MIN_REVIEWS_FOR_COMMITTEE):
    """Brings `application` to `count` submitted reviews, whatever its assignments' state."""
    for assignment in application.assignments.filter(
        submitted_at__isnull=True, recused_at__isnull=True
    ):
        if assignment.declared_at is None:
            services.assignment_declare(
                user=assignment.reviewer, assignment=assignment, has_conflict=False
            )
        services.review_submit(
            user=assignment.reviewer,
            assignment=assignment,
            scores=full_scores(),
            recommendation="invest",
        )
    while application.assignments.filter(submitted_at__isnull=False).count() < count:
        reviewer = make_user(Role.REVIEWER)
        assignment = services.reviewer_assign(
            user=manager, application=application, reviewer=reviewer
        )
        services.assignment_declare(user=reviewer, assignment=assignment, has_conflict=False)
        services.review_submit(
            user=reviewer, assignment=assignment, scores=full_scores(), recommendation="invest"
        )


# --- the lifecycle ----------------------------------------------------------------------------

APPLICANT_ACTIONS = frozenset({"submit", "answer", "withdraw"})
ACTIONS = ("submit", "advance", "request_info", "answer", "reject", "withdraw", "approve")


def committee_approves(user, application, **terms):
    """The committee's approval, on terms a test changes only where it is about them."""
    return services.application_approve(
        user=user,
        application=application,
        **{
            "amount_vnd": 5 * BILLION,
            "instrument": "equity",
            "pre_money_valuation_vnd": 40 * BILLION,
            **terms,
        },
    )


def take(action: str, application, user):
    if action == "submit":
        return services.application_submit(user=user, application=application)
    if action == "advance":
        return services.application_advance(user=user, application=application)
    if action == "request_info":
        return services.application_request_info(
            user=user, application=application, note="Gửi bảng cơ cấu cổ đông."
        )
    if action == "answer":
        return services.application_answer(
            user=user, application=application, answer="Đã gửi bảng cơ cấu cổ đông."
        )
    if action == "reject":
        return services.application_reject(
            user=user, application=application, note="Chưa phù hợp luận điểm."
        )
    if action == "withdraw":
        return services.application_withdraw(user=user, application=application)
    if action == "approve":
        return committee_approves(user, application)
    raise ValueError(action)


def target_of(action: str, application) -> str | None:
    return {
        "submit": S.SUBMITTED,
        "advance": workflow.ADVANCE.get(application.status),
        "request_info": S.INFO_REQUESTED,
        "answer": application.returns_to or None,
        "reject": S.REJECTED,
        "withdraw": S.WITHDRAWN,
        "approve": S.APPROVED,
    }[action]


def action_for(from_status: str, to_status: str) -> str:
    if to_status == S.SUBMITTED:
        return "submit"
    if to_status == S.INFO_REQUESTED:
        return "request_info"
    if to_status in (S.REJECTED, S.WITHDRAWN, S.APPROVED):
        return {S.REJECTED: "reject", S.WITHDRAWN: "withdraw", S.APPROVED: "approve"}[to_status]
    return "answer" if from_status == S.INFO_REQUESTED else "advance"


def application_at(status: str, manager, *, returns_to: str | None = None):
    """An application in `status`, ready for any step the workflow allows from there."""
    if status == S.INFO_REQUESTED:
        application = application_at(returns_to or S.SCREENING, manager)
        return services.application_request_info(
            user=manager, application=application, note="Gửi báo cáo tài chính."
        )
    application = make_application(status=status, manager=manager)
    if status == S.DRAFT:
        services.attachment_add(
            user=application.applicant,
            application=application,
            kind="pitch_deck",
            upload=pdf_upload(),
        )
    if status == S.DUE_DILIGENCE:
        submitted_reviews(application, manager)
    return Application.objects.get(pk=application.pk)


ALLOWED = [pytest.param(frm, to, id=f"{frm}->{to}") for (frm, to) in workflow.APPLICATION_STEPS]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_step_of_the_workflow_is_taken_by_its_actor_only(manager, from_status, to_status):
    returns_to = to_status if from_status == S.INFO_REQUESTED else None
    if from_status == S.INFO_REQUESTED and to_status == S.WITHDRAWN:
        returns_to = S.SCREENING
    application = application_at(from_status, manager, returns_to=returns_to)
    action = action_for(from_status, to_status)
    assert target_of(action, application) == to_status
    by_applicant = workflow.APPLICATION_STEPS[(from_status, to_status)] == workflow.APPLICANT
    right = application.applicant if by_applicant else manager
    wrong = [
        make_startup(status="verified").memberships.get().user,  # founder of another startup
        make_user(Role.REVIEWER),
        AnonymousUser(),
        manager if by_applicant else application.applicant,
    ]
    before = snapshot(application)
    for user in wrong:
        with pytest.raises(PortalError) as refused:
            take(action, Application.objects.get(pk=application.pk), user)
        assert refused.value.code == "forbidden", user
        assert snapshot(application) == before

    take(action, Application.objects.get(pk=application.pk), right)
    application.refresh_from_db()
    assert application.status == to_status
    step = application.steps.order_by("pk").last()
    assert (step.from_status, step.to_status, step.actor) == (from_status, to_status, right)
    assert application.steps.count() == len(before[8]) + 1
    if to_status in (S.APPROVED, S.REJECTED, S.WITHDRAWN):
        assert application.decided_at is not None and application.stage_due_at is None
    else:
        days = application.call.fund.stage_days(to_status)
        assert application.stage_due_at == application.stage_started_at + timedelta(days=days)


@pytest.mark.parametrize("status", list(S))
def test_every_step_not_in_the_workflow_is_refused_and_changes_nothing(manager, status):
    application = application_at(status, manager)
    assert application.status == status
    refused_actions = [
        action
        for action in ACTIONS
        if (status, target_of(action, application)) not in workflow.APPLICATION_STEPS
    ]
    assert refused_actions
    before = snapshot(application)
    for action in refused_actions:
        user = application.applicant if action in APPLICANT_ACTIONS else manager
        with pytest.raises(PortalError) as refused:
            take(action, Application.objects.get(pk=application.pk), user)
        assert refused.value.code == "invalid_transition", action
        assert snapshot(application) == before, action


def test_any_member_of_the_startup_acts_as_the_applicant(manager):
    application = make_application(status=S.SUBMITTED, manager=manager)
    member = add_member(application.startup)
    services.application_withdraw(user=member, application=application)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert application.steps.last().actor == member


def test_notes_are_required_to_reject_and_to_request_information(manager):
    application = make_application(status=S.SCREENING, manager=manager)
    before = snapshot(application)
    for service in (services.application_reject, services.application_request_info):
        with pytest.raises(ValidationError) as refused:
            service(user=manager, application=application, note="  ")
        assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.application_answer(
            user=application.applicant,
            application=services.application_request_info(
                user=manager, application=application, note="Gửi BCTC."
            ),
            answer=" ",
        )
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED
    assert application.steps.count() == len(before[8]) + 1


# --- creating and editing an application ------------------------------------------------------


def _create(user, call, startup, **fields):
    return services.application_create(
        user=user, call=call, startup=startup, fields=application_content(call, **fields)
    )


@pytest.mark.parametrize("startup_status", ["draft", "submitted", "changes_requested", "rejected"])
def test_only_a_verified_startup_may_apply(startup_status):
    founder = make_user()
    startup = make_startup(owner=founder, status=startup_status)
    with pytest.raises(PortalError) as refused:
        _create(founder, make_call(), startup)
    assert refused.value.code == "forbidden"
    assert not Application.objects.exists()


def test_only_a_member_may_apply_for_the_startup():
    startup = make_startup(status="verified")
    for outsider in (make_user(), make_user(Role.FUND_MANAGER), AnonymousUser()):
        with pytest.raises(PortalError) as refused:
            _create(outsider, make_call(), startup)
        assert refused.value.code == "forbidden"
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(-30, -1), (1, 30)],
    ids=["closed", "upcoming"],
)
def test_a_call_that_is_not_open_takes_no_application(opens, closes):
    call = make_call(
        opens_on=TODAY + timedelta(days=opens), closes_on=TODAY + timedelta(days=closes)
    )
    founder = make_user()
    startup = make_startup(owner=founder, status="verified")
    with pytest.raises(PortalError) as refused:
        _create(founder, call, startup)
    assert refused.value.code == "call_closed"
    assert not Application.objects.exists()


def test_a_draft_of_a_call_that_closed_cannot_be_submitted(manager):
    application = application_at(S.DRAFT, manager)
    call = application.call
    call.opens_on, call.closes_on = TODAY - timedelta(days=20), TODAY - timedelta(days=1)
    call.save()
    before = snapshot(application)
    with pytest.raises(PortalError) as refused:
        services.application_submit(user=application.applicant, application=application)
    assert refused.value.code == "call_closed"
    assert snapshot(application) == before


def test_one_application_per_call_until_it_is_withdrawn():
    founder = make_user()
    startup = make_startup(owner=founder, status="verified")
    call = make_call()
    first = _create(founder, call, startup)
    with pytest.raises(PortalError) as refused:
        _create(founder, call, startup)
    assert refused.value.code == "duplicate_application"
    assert Application.objects.count() == 1
    # Another call is fine.
    _create(founder, make_call(), startup)
    services.application_withdraw(user=founder, application=first)
    again = _create(founder, call, startup)
    assert again.status == S.DRAFT
    assert Application.objects.filter(call=call, startup=startup).count() == 2


@pytest.mark.parametrize("amount", [BILLION - 1, 20 * BILLION + 1])
def test_the_amount_requested_stays_within_the_calls_tickets(amount):
    founder = make_user()
    startup = make_startup(owner=founder, status="verified")
    call = make_call()
    with pytest.raises(ValidationError) as refused:
        _create(founder, call, startup, amount_requested_vnd=amount)
    assert "amount_requested_vnd" in refused.value.message_dict
    assert not Application.objects.exists()

    application = _create(founder, call, startup)
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        services.application_update(
            user=founder, application=application, fields={"amount_requested_vnd": amount}
        )
    assert "amount_requested_vnd" in refused.value.message_dict
    assert snapshot(application) == before


def test_the_ticket_is_checked_again_at_submission(manager):
    application = application_at(S.DRAFT, manager)
    call = application.call
    call.ticket_min_vnd = 10 * BILLION  # the call narrowed after the draft was saved
    call.save()
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(user=application.applicant, application=application)
    assert "amount_requested_vnd" in refused.value.message_dict
    assert snapshot(application) == before


@pytest.mark.parametrize("field", services.APPLICATION_FIELDS)
def test_submission_needs_every_field(manager, field):
    application = application_at(S.DRAFT, manager)
    empty = None if field.endswith("_vnd") else ""
    services.application_update(
        user=application.applicant, application=application, fields={field: empty}
    )
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(user=application.applicant, application=application)
    assert list(refused.value.message_dict) == [field]
    assert snapshot(application) == before


def test_submission_needs_the_required_answers_and_the_pitch_deck():
    call = make_call(questions=("Thị trường mục tiêu?", "Vì sao Hà Nội?"))
    optional = CallQuestion.objects.create(call=call, text="Ghi chú thêm?", required=False)
    founder = make_user()
    startup = make_startup(owner=founder, status="verified")
    first, second = call.questions.filter(required=True).order_by("pk")
    application = services.application_create(
        user=founder,
        call=call,
        startup=startup,
        fields=application_content(call),
        answers={str(first.pk): "Doanh nghiệp vừa.", str(second.pk): "   "},
    )
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(user=founder, application=application)
    errors = refused.value.message_dict
    assert set(errors) == {"answers", "attachments"}
    assert errors["answers"] == ["Answer the question: Vì sao Hà Nội?"]
    assert errors["attachments"] == ["Attach the pitch deck."]
    assert snapshot(application) == before

    services.application_update(
        user=founder,
        application=application,
        fields={},
        answers={str(first.pk): "Doanh nghiệp vừa.", str(second.pk): "Vì thành phố cần."},
    )
    with pytest.raises(ValidationError) as refused:
        services.application_submit(user=founder, application=application)
    assert set(refused.value.message_dict) == {"attachments"}
    services.attachment_add(
        user=founder, application=application, kind="financial_statements", upload=pdf_upload()
    )
    with pytest.raises(ValidationError):  # a document, but not the pitch deck
        services.application_submit(user=founder, application=application)
    services.attachment_add(
        user=founder, application=application, kind="pitch_deck", upload=pdf_upload()
    )
    application = services.application_submit(user=founder, application=application)
    assert application.status == S.SUBMITTED
    # The questions asked are frozen with the answers; the optional one needed no answer.
    assert {asked["id"] for asked in application.questions_asked} == {
        first.pk,
        second.pk,
        optional.pk,
    }


def test_answers_to_questions_of_another_call_are_dropped():
    call = make_call()
    question = call.questions.get()
    founder = make_user()
    application = services.application_create(
        user=founder,
        call=call,
        startup=make_startup(owner=founder, status="verified"),
        fields=application_content(call),
        answers={str(question.pk): " Có ", "999999": "Lạc đề"},
    )
    assert application.answers == {str(question.pk): "Có"}


def test_co_investors_are_replaced_on_update_and_must_have_an_amount():
    founder = make_user()
    call = make_call()
    application = services.application_create(
        user=founder,
        call=call,
        startup=make_startup(owner=founder, status="verified"),
        fields=application_content(call),
        co_investors=[("Quỹ A", 2 * BILLION), ("Quỹ B", BILLION)],
    )
    assert application.co_investment_vnd() == 3 * BILLION
    services.application_update(
        user=founder, application=application, fields={}, co_investors=[(" Quỹ C ", BILLION)]
    )
    assert list(application.co_investors.values_list("name", "amount_vnd")) == [("Quỹ C", BILLION)]
    with pytest.raises(ValidationError):
        services.application_update(
            user=founder, application=application, fields={}, co_investors=[("Quỹ D", 0)]
        )
    assert list(application.co_investors.values_list("name", flat=True)) == ["Quỹ C"]


# --- documents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("deck.pdf", b"just some text", "application/pdf"), "file_type"),
        (
            SimpleUploadedFile("deck.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "application/pdf"),
            "file_type",
        ),
        (
            SimpleUploadedFile(
                "deck.pdf",
                b"%PDF-1.4\n" + b"0" * services.ATTACHMENT_MAX_BYTES,
                "application/pdf",
            ),
            "file_too_large",
        ),
        (SimpleUploadedFile("deck.pdf", b"", "application/pdf"), "file_empty"),
    ],
    ids=["text", "png", "oversize", "empty"],
)
def test_documents_must_be_pdf_or_xlsx_and_within_the_limit(manager, upload, code):
    application = make_application(manager=manager)
    before = snapshot(application)
    with pytest.raises(PortalError) as refused:
        services.attachment_add(
            user=application.applicant, application=application, kind="pitch_deck", upload=upload
        )
    assert refused.value.code == code
    assert snapshot(application) == before


def test_a_spreadsheet_is_accepted_as_a_cap_table(manager, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Cổ đông", "Tỷ lệ"])
    path = tmp_path / "cap-table.xlsx"
    workbook.save(path)
    application = make_application(manager=manager)
    attachment = services.attachment_add(
        user=application.applicant,
        application=application,
        kind="cap_table",
        upload=SimpleUploadedFile("cap-table.xlsx", path.read_bytes()),
    )
    assert attachment.file.extension == "xlsx"
    assert attachment.file.attached_to == application


def test_a_document_kind_must_be_known(manager):
    application = make_application(manager=manager)
    with pytest.raises(ValidationError):
        services.attachment_add(
            user=application.applicant,
            application=application,
            kind="selfie",
            upload=pdf_upload(),
        )
    assert not application.attachments.exists()


def test_the_content_is_locked_once_submitted(manager):
    application = make_application(status=S.SUBMITTED, manager=manager)
    founder = application.applicant
    attachment = application.attachments.get()
    before = snapshot(application)
    refusals = [
        lambda: services.application_update(
            user=founder, application=application, fields={"traction": "Khác"}
        ),
        lambda: services.attachment_add(
            user=founder, application=application, kind="other", upload=pdf_upload()
        ),
        lambda: services.attachment_remove(user=founder, attachment=attachment),
    ]
    for refusal in refusals:
        with pytest.raises(PortalError) as refused:
            refusal()
        assert refused.value.code == "forbidden"
        assert snapshot(application) == before


def test_a_request_for_information_reopens_the_content_to_the_applicant(manager):
    application = make_application(status=S.INFO_REQUESTED, manager=manager)
    founder = application.applicant
    services.application_update(
        user=founder, application=application, fields={"traction": "Đã có 200 khách hàng."}
    )
    services.attachment_add(
        user=founder,
        application=application,
        kind="financial_statements",
        upload=pdf_upload("bctc-2025.pdf"),
    )
    application.refresh_from_db()
    assert application.traction == "Đã có 200 khách hàng."
    assert application.attachments.count() == 2


def test_a_draft_document_is_removed_with_its_file(manager):
    application = make_application(manager=manager)
    attachment = services.attachment_add(
        user=application.applicant, application=application, kind="other", upload=pdf_upload()
    )
    private_file = attachment.file
    with pytest.raises(PortalError):
        services.attachment_remove(user=make_user(), attachment=attachment)
    services.attachment_remove(user=application.applicant, attachment=attachment)
    assert not application.attachments.exists()
    assert not type(private_file).objects.filter(pk=private_file.pk).exists()
    assert actions(application)[-1] == "fund.attachment_removed"


# --- information requests ---------------------------------------------------------------------


@pytest.mark.parametrize("stage", [S.SCREENING, S.DUE_DILIGENCE, S.COMMITTEE])
def test_an_answered_request_returns_to_its_stage_with_a_fresh_deadline(manager, stage):
    fund = make_fund(
        screening_days=7, due_diligence_days=21, committee_days=9, info_response_days=3
    )
    call = make_call(fund=fund)
    application = make_application(status=stage, call=call, manager=manager)
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=2), tick=False):
        application = services.application_request_info(
            user=manager, application=application, note="Gửi hợp đồng với khách hàng."
        )
        assert application.status == S.INFO_REQUESTED
        assert application.returns_to == stage
        assert application.stage_due_at == timezone.now() + timedelta(days=3)
    with time_machine.travel(start + timedelta(days=4), tick=False):
        application = services.application_answer(
            user=application.applicant, application=application, answer="Đã gửi ba hợp đồng."
        )
        answered_at = timezone.now()
    application.refresh_from_db()
    assert application.status == stage
    assert application.returns_to == ""
    assert application.stage_started_at == answered_at
    assert application.stage_due_at == answered_at + timedelta(days=fund.stage_days(stage))
    assert list(application.steps.values_list("from_status", "to_status", "note"))[-2:] == [
        (stage, S.INFO_REQUESTED, "Gửi hợp đồng với khách hàng."),
        (S.INFO_REQUESTED, stage, "Đã gửi ba hợp đồng."),
    ]


# --- the committee ----------------------------------------------------------------------------


def test_the_committee_needs_two_submitted_reviews(manager):
    application = make_application(status=S.SCREENING, manager=manager)
    application = services.application_advance(user=manager, application=application)
    reviewers = [make_user(Role.REVIEWER) for _ in range(3)]
    assignments = [
        services.reviewer_assign(user=manager, application=application, reviewer=reviewer)
        for reviewer in reviewers
    ]

    def refused_for_missing_reviews(count):
        before = snapshot(application)
        with pytest.raises(PortalError) as refused:
            services.application_advance(user=manager, application=application)
        assert refused.value.code == "reviews_missing"
        assert f"has {count}" in str(refused.value.message)
        assert snapshot(application) == before

    refused_for_missing_reviews(0)
    for assignment in assignments[:2]:
        services.assignment_declare(
            user=assignment.reviewer, assignment=assignment, has_conflict=False
        )
    services.review_submit(
        user=reviewers[0], assignment=assignments[0], scores=full_scores(), recommendation="invest"
    )
    services.assignment_declare(
        user=reviewers[2], assignment=assignments[2], has_conflict=True, note="Người thân"
    )
    refused_for_missing_reviews(1)
    services.review_submit(
        user=reviewers[1],
        assignment=assignments[1],
        scores=full_scores(3),
        recommendation="do_not_invest",
    )
    application = services.application_advance(user=manager, application=application)
    assert application.status == S.COMMITTEE


@pytest.mark.parametrize("amount", [BILLION - 1, 20 * BILLION + 1])
def test_the_approved_amount_stays_within_the_calls_tickets(manager, amount):
    application = make_application(status=S.COMMITTEE, manager=manager)
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        committee_approves(manager, application, amount_vnd=amount)
    assert "amount_vnd" in refused.value.message_dict
    assert snapshot(application) == before


def test_the_fund_invests_no_more_than_its_committed_capital(manager):
    fund = make_fund(capital=(("city_budget", "UBND TP Hà Nội", 12 * BILLION),))
    call = make_call(fund=fund)
    first = make_application(
        status=S.APPROVED, call=call, manager=manager, amount_requested_vnd=8 * BILLION
    )
    assert first.investment.amount_vnd == 8 * BILLION
    second = make_application(
        status=S.COMMITTEE, call=call, manager=manager, amount_requested_vnd=5 * BILLION
    )
    before = snapshot(second)
    with pytest.raises(ValidationError) as refused:
        committee_approves(manager, second)
    assert "4.000.000.000" in refused.value.message_dict["amount_vnd"][0]
    assert snapshot(second) == before
    investment = services.application_approve(
        user=manager,
        application=second,
        amount_vnd=4 * BILLION,
        instrument="safe",
        pre_money_valuation_vnd=30 * BILLION,
        conditions="  Báo cáo quý.  ",
    )
    assert (investment.amount_vnd, investment.instrument, investment.conditions) == (
        4 * BILLION,
        "safe",
        "Báo cáo quý.",
    )
    assert investment.decided_by == manager and investment.decided_on == TODAY


def test_a_decision_date_in_the_future_is_refused(manager):
    application = make_application(status=S.COMMITTEE, manager=manager)
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        committee_approves(manager, application, decided_on=TODAY + timedelta(days=1))
    assert "decided_on" in refused.value.message_dict
    assert snapshot(application) == before


# --- conflicts of interest --------------------------------------------------------------------


def _refused_assignment(manager, application, reviewer) -> PortalError:
    with pytest.raises(PortalError) as refused:
        services.reviewer_assign(user=manager, application=application, reviewer=reviewer)
    assert refused.value.code == "conflict_of_interest"
    assert not Assignment.objects.filter(application=application, reviewer=reviewer).exists()
    return refused.value


def test_the_startups_owner_is_a_likely_conflict(manager):
    owner = make_user(Role.REVIEWER)
    application = make_application(status=S.SUBMITTED, manager=manager, founder=owner)
    error = _refused_assignment(manager, application, owner)
    assert "founder (owner) of the startup" in str(error.message)


def test_a_current_member_is_a_likely_conflict(manager):
    application = make_application(status=S.SUBMITTED, manager=manager)
    member = add_member(application.startup)
    user_grant_role(user=member, role=Role.REVIEWER)
    error = _refused_assignment(manager, application, member)
    assert "member of the startup" in str(error.message)


def test_a_former_member_is_a_likely_conflict(manager):
    application = make_application(status=S.SUBMITTED, manager=manager)
    startup = application.startup
    former = add_member(startup)
    user_grant_role(user=former, role=Role.REVIEWER)
    owner = startup.memberships.get(role="owner").user
    startup_services.member_remove(user=owner, membership=startup.memberships.get(user=former))
    assert PastMembership.objects.filter(user=former, startup=startup).exists()
    error = _refused_assignment(manager, application, former)
    assert "former member of the startup" in str(error.message)


def test_the_startups_registered_contact_is_a_likely_conflict(manager):
    reviewer = make_user(Role.REVIEWER, email="Co.Van@Example.org")
    founder = make_user()
    startup = make_startup(owner=founder, status="verified", contact_email="co.van@example.org")
    application = make_application(status=S.SUBMITTED, manager=manager, startup=startup)
    error = _refused_assignment(manager, application, reviewer)
    assert "the startup's registered contact" in str(error.message)


def test_a_declared_affiliation_is_a_likely_conflict(manager):
    application = make_application(status=S.SUBMITTED, manager=manager)
    reviewer = make_user(Role.REVIEWER)
    affiliation = services.affiliation_declare(
        user=reviewer, startup=application.startup, note="  Cổ đông 2%  "
    )
    assert affiliation.note == "Cổ đông 2%"
    error = _refused_assignment(manager, application, reviewer)
    assert "declared affiliation: Cổ đông 2%" in str(error.message)
    # Declaring again updates the tie rather than duplicating it.
    services.affiliation_declare(user=reviewer, startup=application.startup, note="Cổ đông 5%")
    assert Affiliation.objects.get(reviewer=reviewer).note == "Cổ đông 5%"
    assert actions(application.startup).count("fund.affiliation") == 2


def test_only_reviewers_declare_affiliations():
    startup = make_startup(status="verified")
    with pytest.raises(PortalError) as refused:
        services.affiliation_declare(user=make_user(), startup=startup, note="Cố vấn")
    assert refused.value.code == "forbidden"
    with pytest.raises(ValidationError):
        services.affiliation_declare(user=make_user(Role.REVIEWER), startup=startup, note=" ")
    assert not Affiliation.objects.exists()


def test_a_manager_may_assign_despite_the_flags_with_a_recorded_reason(manager):
    application = make_application(status=S.SUBMITTED, manager=manager)
    reviewer = make_user(Role.REVIEWER)
    services.affiliation_declare(user=reviewer, startup=application.startup, note="Cố vấn cũ")
    with pytest.raises(PortalError):
        services.reviewer_assign(
            user=manager, application=application, reviewer=reviewer, override_reason="   "
        )
    assignment = services.reviewer_assign(
        user=manager,
        application=application,
        reviewer=reviewer,
        override_reason=" Chỉ còn một chuyên gia ngành y tế. ",
    )
    assert assignment.override_reason == "Chỉ còn một chuyên gia ngành y tế."
    assert assignment.conflict_flags == ["declared affiliation: Cố vấn cũ"]
    entry = ModelLogEntry.objects.for_instance(application).get(action="fund.assign")
    assert entry.data["override_reason"] == "Chỉ còn một chuyên gia ngành y tế."
    assert entry.data["flags"] == ["declared affiliation: Cố vấn cũ"]
    assert entry.user == manager
    # Without a flag, no reason is recorded.
    clean = services.reviewer_assign(
        user=manager,
        application=application,
        reviewer=make_user(Role.REVIEWER),
        override_reason="Không cần",
    )
    assert clean.conflict_flags == [] and clean.override_reason == ""


def test_assignments_are_refused_to_the_wrong_people_and_at_the_wrong_time(manager):
    application = make_application(status=S.SUBMITTED, manager=manager)
    reviewer = make_user(Role.REVIEWER)
    for user in (make_user(Role.REVIEWER), application.applicant, make_user()):
        with pytest.raises(PortalError) as refused:
            services.reviewer_assign(user=user, application=application, reviewer=reviewer)
        assert refused.value.code == "forbidden"
    with pytest.raises(ValidationError):  # not a reviewer
        services.reviewer_assign(user=manager, application=application, reviewer=make_user())
    inactive = make_user(Role.REVIEWER)
    inactive.is_active = False  # an administrator closed the account
    inactive.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        services.reviewer_assign(user=manager, application=application, reviewer=inactive)
    services.reviewer_assign(user=manager, application=application, reviewer=reviewer)
    with pytest.raises(ValidationError):  # twice
        services.reviewer_assign(user=manager, application=application, reviewer=reviewer)
    for status in (S.DRAFT, S.INFO_REQUESTED, S.REJECTED, S.WITHDRAWN):
        closed = make_application(status=status, manager=manager)
        with pytest.raises(PortalError) as refused:
            services.reviewer_assign(user=manager, application=closed, reviewer=reviewer)
        assert refused.value.code == "invalid_transition"
    assert Assignment.objects.filter(reviewer=reviewer).count() == 1
    assert Notification.objects.filter(
        recipient=reviewer, url=f"/admin/fund/reviews/{Assignment.objects.get().pk}/"
    ).exists()


def test_an_assignment_without_a_submitted_review_can_be_withdrawn(manager):
    application = make_application(status=S.SCREENING, manager=manager)
    reviewers = [make_user(Role.REVIEWER), make_user(Role.REVIEWER)]
    pending, done = (
        services.reviewer_assign(user=manager, application=application, reviewer=reviewer)
        for reviewer in reviewers
    )
    services.assignment_declare(user=reviewers[1], assignment=done, has_conflict=False)
    services.review_submit(
        user=reviewers[1], assignment=done, scores=full_scores(), recommendation="invest"
    )
    with pytest.raises(PortalError) as refused:
        services.reviewer_unassign(user=application.applicant, assignment=pending)
    assert refused.value.code == "forbidden"
    with pytest.raises(PortalError) as refused:
        services.reviewer_unassign(user=manager, assignment=done)
    assert refused.value.code == "review_submitted"
    services.reviewer_unassign(user=manager, assignment=pending)
    assert list(application.assignments.all()) == [done]
    assert "fund.unassign" in actions(application)


# --- reviews ----------------------------------------------------------------------------------


@pytest.fixture
def assignment(manager):
    application = make_application(status=S.SCREENING, manager=manager)
    return services.reviewer_assign(
        user=manager, application=application, reviewer=make_user(Role.REVIEWER)
    )


def _review(assignment, user=None, **overrides):
    values = {"scores": full_scores(), "recommendation": "invest", "comment": "Đầu tư."}
    values.update(overrides)
    return services.review_submit(user=user or assignment.reviewer, assignment=assignment, **values)


def _unchanged(assignment):
    assignment.refresh_from_db()
    assert assignment.submitted_at is None and assignment.recommendation == ""
    assert not Score.objects.filter(assignment=assignment).exists()


def test_a_review_before_the_declaration_is_refused(assignment):
    with pytest.raises(PortalError) as refused:
        _review(assignment)
    assert refused.value.code == "forbidden"
    _unchanged(assignment)


def test_a_review_by_someone_not_assigned_is_refused(assignment, manager):
    services.assignment_declare(user=assignment.reviewer, assignment=assignment, has_conflict=False)
    for user in (make_user(Role.REVIEWER), manager, assignment.application.applicant):
        with pytest.raises(PortalError) as refused:
            _review(assignment, user=user)
        assert refused.value.code == "forbidden"
        with pytest.raises(PortalError):
            services.assignment_declare(user=user, assignment=assignment, has_conflict=True)
    _unchanged(assignment)


def test_a_review_is_submitted_once(assignment):
    services.assignment_declare(user=assignment.reviewer, assignment=assignment, has_conflict=False)
    _review(assignment, scores={criterion: (5, f" {criterion} ") for criterion in Criterion})
    with pytest.raises(PortalError) as refused:
        _review(assignment, scores=full_scores(1))
    assert refused.value.code == "already_submitted"
    assert set(assignment.scores.values_list("score", flat=True)) == {5}
    assert assignment.scores.get(criterion="team").comment == "team"
    assert assignment.scores.count() == len(Criterion)


@pytest.mark.parametrize(
    "change",
    [
        {"scores": {c: (4, "") for c in Criterion if c != Criterion.IMPACT}},
        {"scores": {**full_scores(), Criterion.MARKET: (6, "")}},
        {"scores": {**full_scores(), Criterion.TEAM: (0, "")}},
        {"scores": {**full_scores(), Criterion.TEAM: ("4", "")}},
        {"recommendation": "maybe"},
    ],
    ids=["missing", "six", "zero", "text", "recommendation"],
)
def test_an_incomplete_review_is_refused(assignment, change):
    services.assignment_declare(user=assignment.reviewer, assignment=assignment, has_conflict=False)
    with pytest.raises(ValidationError):
        _review(assignment, **change)
    _unchanged(assignment)


def test_reviews_are_accepted_only_under_review(manager):
    application = make_application(status=S.SUBMITTED, manager=manager)
    assignment = services.reviewer_assign(
        user=manager, application=application, reviewer=make_user(Role.REVIEWER)
    )
    services.assignment_declare(user=assignment.reviewer, assignment=assignment, has_conflict=False)
    with pytest.raises(PortalError) as refused:
        _review(assignment)
    assert refused.value.code == "invalid_transition"
    _unchanged(assignment)


def test_a_declaration_is_made_once(assignment):
    reviewer = assignment.reviewer
    services.assignment_declare(user=reviewer, assignment=assignment, has_conflict=False)
    with pytest.raises(PortalError) as refused:
        services.assignment_declare(
            user=reviewer, assignment=assignment, has_conflict=True, note="Nhớ ra"
        )
    assert refused.value.code == "already_declared"
    assignment.refresh_from_db()
    assert assignment.is_cleared and assignment.recused_at is None


def test_declaring_a_conflict_recuses_and_is_remembered(assignment, manager):
    reviewer, application = assignment.reviewer, assignment.application
    with pytest.raises(ValidationError):
        services.assignment_declare(
            user=reviewer, assignment=assignment, has_conflict=True, note="  "
        )
    services.assignment_declare(
        user=reviewer, assignment=assignment, has_conflict=True, note="Anh trai tôi là CTO."
    )
    assignment.refresh_from_db()
    assert assignment.recused_at is not None and not assignment.is_cleared
    assert assignment.recusal_note == "Anh trai tôi là CTO."
    affiliation = Affiliation.objects.get(reviewer=reviewer, startup=application.startup)
    assert affiliation.note == "Anh trai tôi là CTO."
    assert Notification.objects.filter(
        recipient=manager, url=f"/admin/fund/applications/{application.pk}/"
    ).exists()
    with pytest.raises(PortalError) as refused:
        _review(assignment)
    assert refused.value.code == "forbidden"
    # The next application of this startup flags the reviewer.
    later = make_application(
        status=S.SUBMITTED, manager=manager, startup=application.startup, call=make_call()
    )
    _refused_assignment(manager, later, reviewer)


# --- tranches ---------------------------------------------------------------------------------


@pytest.fixture
def investment(manager):
    return make_investment(manager=manager, amount_requested_vnd=10 * BILLION)


def _tranche(manager, investment, amount=4 * BILLION, conditions="", days=30):
    return services.tranche_add(
        user=manager,
        investment=investment,
        amount_vnd=amount,
        planned_on=TODAY + timedelta(days=days),
        conditions=conditions,
    )


def _tranche_state(tranche):
    tranche.refresh_from_db()
    return (
        tranche.status,
        tranche.amount_vnd,
        tranche.planned_on,
        tranche.disbursed_on,
        tranche.steps.count(),
    )


def test_tranches_total_no_more_than_the_approved_amount(manager, investment):
    first = _tranche(manager, investment, 6 * BILLION)
    second = _tranche(manager, investment, 4 * BILLION, days=60)
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError) as refused:
        _tranche(manager, investment, 1)
    assert "amount_vnd" in refused.value.message_dict
    assert investment.tranches.count() == 2
    before = _tranche_state(second)
    with pytest.raises(ValidationError):
        services.tranche_update(
            user=manager,
            tranche=second,
            amount_vnd=4 * BILLION + 1,
            planned_on=second.planned_on,
        )
    assert _tranche_state(second) == before
    services.tranche_update(
        user=manager,
        tranche=second,
        amount_vnd=3 * BILLION,
        planned_on=TODAY + timedelta(days=90),
        conditions="Ra mắt sản phẩm",
    )
    second.refresh_from_db()
    assert (second.amount_vnd, second.planned_on, second.conditions) == (
        3 * BILLION,
        TODAY + timedelta(days=90),
        "Ra mắt sản phẩm",
    )


def test_only_fund_managers_plan_and_move_tranches(manager, investment):
    tranche = _tranche(manager, investment)
    founder = investment.application.applicant
    for user in (founder, make_user(Role.REVIEWER), make_user()):
        for attempt in (
            lambda user=user: _tranche(user, investment),
            lambda user=user: services.tranche_approve_requirements(user=user, tranche=tranche),
            lambda user=user: services.tranche_hold(user=user, tranche=tranche, note="Tạm dừng"),
        ):
            with pytest.raises(PortalError) as refused:
                attempt()
            assert refused.value.code == "forbidden"
    assert investment.tranches.count() == 1
    assert _tranche_state(tranche)[0] == TrancheStatus.PLANNED


def test_a_tranche_is_disbursed_only_after_its_requirements(manager, investment):
    tranche = _tranche(manager, investment)
    before = _tranche_state(tranche)
    with pytest.raises(PortalError) as refused:
        services.tranche_disburse(user=manager, tranche=tranche)
    assert refused.value.code == "requirements_unmet"
    assert _tranche_state(tranche) == before
    services.tranche_approve_requirements(user=manager, tranche=tranche, note="Đủ điều kiện")
    with pytest.raises(ValidationError) as refused:
        services.tranche_disburse(
            user=manager, tranche=tranche, disbursed_on=TODAY + timedelta(days=1)
        )
    assert "disbursed_on" in refused.value.message_dict
    assert _tranche_state(tranche)[0] == TrancheStatus.REQUIREMENTS_MET
    services.tranche_disburse(user=manager, tranche=tranche, disbursed_on=TODAY - timedelta(days=2))
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.DISBURSED
    assert tranche.disbursed_on == TODAY - timedelta(days=2)
    assert list(tranche.steps.values_list("from_status", "to_status")) == [
        ("", "planned"),
        ("planned", "requirements_met"),
        ("requirements_met", "disbursed"),
    ]
    # A disbursed tranche is final.
    for attempt in (
        lambda: services.tranche_update(
            user=manager, tranche=tranche, amount_vnd=BILLION, planned_on=TODAY
        ),
        lambda: services.tranche_hold(user=manager, tranche=tranche, note="Sai"),
        lambda: services.tranche_disburse(user=manager, tranche=tranche),
        lambda: services.tranche_evidence_add(
            user=manager, tranche=tranche, upload=pdf_upload(), note="Muộn"
        ),
    ):
        with pytest.raises(PortalError) as refused:
            attempt()
        assert refused.value.code in ("invalid_transition", "requirements_unmet")
    assert _tranche_state(tranche)[0] == TrancheStatus.DISBURSED


def test_conditions_need_evidence_before_their_approval(manager, investment):
    tranche = _tranche(manager, investment, conditions="Doanh thu quý đạt 2 tỷ đồng")
    with pytest.raises(PortalError) as refused:
        services.tranche_approve_requirements(user=manager, tranche=tranche)
    assert refused.value.code == "evidence_missing"
    assert _tranche_state(tranche)[0] == TrancheStatus.PLANNED
    founder = investment.application.applicant
    with pytest.raises(PortalError) as refused:
        services.tranche_evidence_add(
            user=make_user(), tranche=tranche, upload=pdf_upload(), note="Báo cáo"
        )
    assert refused.value.code == "forbidden"
    with pytest.raises(ValidationError):
        services.tranche_evidence_add(user=founder, tranche=tranche, upload=pdf_upload(), note=" ")
    assert not tranche.evidence.exists()
    evidence = services.tranche_evidence_add(
        user=founder, tranche=tranche, upload=pdf_upload("doanh-thu.pdf"), note="Báo cáo quý 3"
    )
    assert evidence.file.attached_to == tranche
    assert Notification.objects.filter(
        recipient=manager, url=f"/admin/fund/applications/{investment.application_id}/"
    ).exists()
    services.tranche_approve_requirements(user=manager, tranche=tranche)
    assert _tranche_state(tranche)[0] == TrancheStatus.REQUIREMENTS_MET


def test_a_tranche_is_held_with_a_reason_and_resumed(manager, investment):
    tranche = _tranche(manager, investment)
    with pytest.raises(ValidationError):
        services.tranche_hold(user=manager, tranche=tranche, note=" ")
    assert _tranche_state(tranche)[0] == TrancheStatus.PLANNED
    services.tranche_hold(user=manager, tranche=tranche, note="Chờ kiểm toán")
    assert _tranche_state(tranche)[0] == TrancheStatus.HELD
    with pytest.raises(PortalError) as refused:
        services.tranche_approve_requirements(user=manager, tranche=tranche)
    assert refused.value.code == "invalid_transition"
    with pytest.raises(PortalError) as refused:
        services.tranche_disburse(user=manager, tranche=tranche)
    assert refused.value.code == "requirements_unmet"
    # A held tranche may still be re-planned.
    services.tranche_update(user=manager, tranche=tranche, amount_vnd=5 * BILLION, planned_on=TODAY)
    services.tranche_resume(user=manager, tranche=tranche, note="Đã kiểm toán")
    assert _tranche_state(tranche)[:2] == (TrancheStatus.PLANNED, 5 * BILLION)
    with pytest.raises(PortalError):
        services.tranche_resume(user=manager, tranche=tranche)
    services.tranche_approve_requirements(user=manager, tranche=tranche)
    services.tranche_hold(user=manager, tranche=tranche, note="Nghi vấn")
    assert _tranche_state(tranche)[0] == TrancheStatus.HELD
    assert Tranche.objects.get(pk=tranche.pk).steps.last().note == "Nghi vấn"


# --- notifications and the audit trail --------------------------------------------------------


def test_every_member_of_the_startup_hears_of_each_step(manager):
    founder = make_user()
    startup = make_startup(owner=founder, status="verified")
    member = add_member(startup)
    members = [founder, member]
    application = make_application(manager=manager, startup=startup)
    services.attachment_add(
        user=founder, application=application, kind="pitch_deck", upload=pdf_upload()
    )

    def heard(step):
        for person in members:
            notes = Notification.objects.filter(recipient=person, url=applicant_url(application))
            assert notes.count() == heard.count + 1, (step, person)
        heard.count += 1

    heard.count = 0
    services.application_submit(user=member, application=application)
    heard("submit")
    services.application_advance(user=manager, application=application)
    heard("screening")
    services.application_request_info(user=manager, application=application, note="Gửi BCTC")
    heard("request_info")
    services.application_answer(user=founder, application=application, answer="Đã gửi")
    assert Notification.objects.filter(
        recipient=manager, url=f"/admin/fund/applications/{application.pk}/"
    ).exists()
    services.application_advance(user=manager, application=application)
    heard("due_diligence")
    submitted_reviews(application, manager)
    services.application_advance(user=manager, application=application)
    heard("committee")
    investment = committee_approves(manager, application)
    heard("approve")
    tranche = _tranche(manager, investment)
    services.tranche_hold(user=manager, tranche=tranche, note="Chờ hồ sơ")
    heard("hold")
    services.tranche_resume(user=manager, tranche=tranche)
    services.tranche_approve_requirements(user=manager, tranche=tranche)
    services.tranche_disburse(user=manager, tranche=tranche)
    heard("disburse")

    rejected = make_application(
        status=S.SCREENING, manager=manager, startup=startup, call=make_call()
    )
    services.application_reject(user=manager, application=rejected, note="Ngoài phạm vi")
    for person in members:
        assert Notification.objects.filter(recipient=person, url=applicant_url(rejected)).exists()


def test_each_action_is_in_the_audit_trail_with_its_actor(manager):
    application = make_application(manager=manager)
    founder = application.applicant
    services.application_update(user=founder, application=application, fields={"team": "Bốn"})
    attachment = services.attachment_add(
        user=founder, application=application, kind="other", upload=pdf_upload()
    )
    services.attachment_remove(user=founder, attachment=attachment)
    services.attachment_add(
        user=founder, application=application, kind="pitch_deck", upload=pdf_upload()
    )
    services.application_submit(user=founder, application=application)
    services.application_advance(user=manager, application=application, note="Hồ sơ đủ")
    services.application_request_info(user=manager, application=application, note="Gửi BCTC")
    services.application_answer(user=founder, application=application, answer="Đã gửi")
    services.application_advance(user=manager, application=application)
    reviewers = [make_user(Role.REVIEWER) for _ in range(3)]
    assignments = [
        services.reviewer_assign(user=manager, application=application, reviewer=reviewer)
        for reviewer in reviewers
    ]
    services.assignment_declare(
        user=reviewers[2], assignment=assignments[2], has_conflict=True, note="Họ hàng"
    )
    for reviewer, assignment in zip(reviewers[:2], assignments[:2], strict=True):
        services.assignment_declare(user=reviewer, assignment=assignment, has_conflict=False)
        _review(assignment)
    services.application_advance(user=manager, application=application)
    investment = committee_approves(manager, application)
    tranche = _tranche(manager, investment, conditions="Ký hợp đồng")
    services.tranche_update(
        user=manager,
        tranche=tranche,
        amount_vnd=BILLION,
        planned_on=TODAY,
        conditions="Ký hợp đồng",
    )
    services.tranche_evidence_add(
        user=founder, tranche=tranche, upload=pdf_upload(), note="Hợp đồng"
    )
    services.tranche_hold(user=manager, tranche=tranche, note="Chờ")
    services.tranche_resume(user=manager, tranche=tranche)
    services.tranche_approve_requirements(user=manager, tranche=tranche)
    services.tranche_disburse(user=manager, tranche=tranche)

    assert actions(application) == [
        "wagtail.create",
        "wagtail.edit",
        "fund.attachment_added",
        "fund.attachment_removed",
        "fund.attachment_added",
        "fund.submit",
        "fund.screening",
        "fund.request_info",
        "fund.answer",
        "fund.due_diligence",
        "fund.assign",
        "fund.assign",
        "fund.assign",
        "fund.recuse",
        "fund.declare",
        "fund.review",
        "fund.declare",
        "fund.review",
        "fund.committee",
        "fund.approve",
        "fund.tranche_add",
        "fund.tranche_update",
        "fund.tranche_evidence",
        "fund.hold",
        "fund.resume",
        "fund.requirements_met",
        "fund.disburse",
    ]
    entries = ModelLogEntry.objects.for_instance(application)
    assert entries.get(action="fund.submit").user == founder
    assert entries.get(action="fund.screening").data == {"note": "Hồ sơ đủ"}
    assert entries.get(action="fund.recuse").user == reviewers[2]
    approve = entries.get(action="fund.approve")
    assert approve.user == manager and approve.data["amount_vnd"] == 5 * BILLION
    assert entries.get(action="fund.disburse").data["amount_vnd"] == BILLION

    other = make_application(status=S.SUBMITTED, manager=manager)
    services.application_reject(user=manager, application=other, note="Không phù hợp")
    withdrawn = make_application(manager=manager)
    services.application_withdraw(user=withdrawn.applicant, application=withdrawn)
    assert actions(other)[-1] == "fund.reject"
    assert ModelLogEntry.objects.for_instance(other).get(action="fund.reject").data == {
        "note": "Không phù hợp"
    }
    assert actions(withdrawn)[-1] == "fund.withdraw"

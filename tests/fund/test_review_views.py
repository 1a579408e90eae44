"""The reviewers' pages in the Wagtail admin: who may open them and the application's files,
what a reviewer sees before and after declaring a conflict of interest, scoring and its
refusals, others' scores hidden until one's own review is in, and declared affiliations."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from fund import services
from fund.models import (
    Affiliation,
    ApplicationStatus,
    Assignment,
    Criterion,
    Score,
)
from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from tests.conftest import count_queries
from tests.factories import english_admin_user, make_user, with_mfa
from tests.factories.fund import full_scores, make_application
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

MY_REVIEWS = "/admin/fund/reviews/"
AFFILIATIONS = "/admin/fund/affiliations/"
USE_OF_FUNDS = "Thuê 12 kỹ sư dữ liệu và mở văn phòng tại Cầu Giấy."
TRACTION = "Doanh thu định kỳ 1,2 tỷ đồng mỗi tháng."
CO_INVESTOR = "Quỹ Sáng tạo Sông Hồng"


def review_url(assignment) -> str:
    return f"/admin/fund/reviews/{assignment.pk}/"


def file_url(application) -> str:
    return reverse("private_file_download", args=[application.attachments.get().file.pk])


def reviewer_user(**fields):
    return english_admin_user(Role.REVIEWER, **fields)


def rubric_data(score="4", **overrides) -> dict:
    data = {"action": "review", "recommendation": "invest", "comment": "Đội ngũ mạnh."}
    for criterion in Criterion:
        data[criterion.value] = score
        data[f"{criterion.value}_comment"] = f"Nhận xét về {criterion.value}"
    data.update(overrides)
    return data


@pytest.fixture
def manager():
    return make_user(Role.FUND_MANAGER)


@pytest.fixture
def application(manager):
    return make_application(
        status=ApplicationStatus.SCREENING,
        manager=manager,
        use_of_funds=USE_OF_FUNDS,
        traction=TRACTION,
        co_investors=[(CO_INVESTOR, 2_000_000_000)],
    )


@pytest.fixture
def reviewer():
    return reviewer_user()


@pytest.fixture
def assignment(manager, application, reviewer):
    return services.reviewer_assign(user=manager, application=application, reviewer=reviewer)


def declared(assignment):
    return services.assignment_declare(
        user=assignment.reviewer, assignment=assignment, has_conflict=False
    )


# --- who may open what ------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, assignment, application):
    for url in (MY_REVIEWS, AFFILIATIONS, review_url(assignment), file_url(application)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


def test_an_unassigned_reviewer_is_refused_the_review_and_the_files(
    client, assignment, application
):
    declared(assignment)
    other = reviewer_user()
    client.force_login(other)
    assert client.get(review_url(assignment)).status_code == 404
    assert client.get(file_url(application)).status_code == 403
    response = client.post(review_url(assignment), rubric_data())
    assert response.status_code == 404
    assert not Score.objects.exists()
    assert USE_OF_FUNDS not in client.get(MY_REVIEWS).content.decode()


@pytest.mark.parametrize("who", ["founder", "other_founder", "fund_manager", "plain_user"])
def test_people_other_than_the_assigned_reviewer_cannot_open_the_review(
    client, assignment, application, who
):
    user = {
        "founder": lambda: application.startup.memberships.get().user,
        "other_founder": lambda: make_startup(status="verified").memberships.get().user,
        "fund_manager": lambda: with_mfa(make_user(Role.FUND_MANAGER)),
        "plain_user": lambda: make_user(),
    }[who]()
    client.force_login(user)
    for url in (review_url(assignment), MY_REVIEWS, AFFILIATIONS):
        assert client.get(url).status_code in (302, 403, 404), url
    client.post(review_url(assignment), {"action": "declare", "declaration": "none"})
    assignment.refresh_from_db()
    assert assignment.declared_at is None
    if who == "other_founder":
        assert client.get(file_url(application)).status_code == 403


# --- before, during and after the declaration -------------------------------------------------


def test_before_declaring_the_reviewer_sees_only_who_applies(client, assignment, application):
    client.force_login(assignment.reviewer)
    response = client.get(review_url(assignment))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (application.startup.name, application.startup.enterprise_code):
        assert shown in page
    assert application.call.title in page
    assert 'name="declaration"' in page
    for hidden in (
        USE_OF_FUNDS,
        TRACTION,
        CO_INVESTOR,
        application.team,
        "pitch.pdf",
        "/files/",
        'name="recommendation"',
    ):
        assert hidden not in page, hidden
    assert client.get(file_url(application)).status_code == 403


def test_declaring_no_conflict_opens_the_application_and_its_files(client, assignment, application):
    client.force_login(assignment.reviewer)
    response = client.post(review_url(assignment), {"action": "declare", "declaration": "none"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.is_cleared
    page = client.get(review_url(assignment)).content.decode()
    for shown in (USE_OF_FUNDS, TRACTION, CO_INVESTOR, application.team, "Vì thành phố cần."):
        assert shown in page, shown
    assert file_url(application) in page
    assert 'name="recommendation"' in page
    assert "shown once you have submitted your own review" in page
    download = client.get(file_url(application))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert ModelLogEntry.objects.for_instance(application).filter(action="fund.declare").exists()


def test_a_declared_conflict_needs_a_description_and_recuses(client, assignment, application):
    client.force_login(assignment.reviewer)
    url = review_url(assignment)
    response = client.post(url, {"action": "declare", "declaration": "conflict", "note": ""})
    assert response.status_code == 200
    assert "Describe the conflict of interest." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.recused_at is None and assignment.declared_at is None

    note = "Tôi là cố vấn của công ty từ 2024."
    response = client.post(url, {"action": "declare", "declaration": "conflict", "note": note})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.recused_at is not None
    assert Affiliation.objects.filter(
        reviewer=assignment.reviewer, startup=application.startup
    ).exists()
    page = client.get(url).content.decode()
    assert "recused" in page and note in page
    for hidden in (USE_OF_FUNDS, TRACTION, CO_INVESTOR, "/files/", 'name="declaration"'):
        assert hidden not in page, hidden
    assert client.get(file_url(application)).status_code == 403
    # A recused reviewer cannot take it back.
    client.post(url, {"action": "declare", "declaration": "none"})
    assignment.refresh_from_db()
    assert assignment.declared_at is None


def test_a_declaration_without_a_choice_is_refused(client, assignment):
    client.force_login(assignment.reviewer)
    response = client.post(review_url(assignment), {"action": "declare"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.declared_at is None and assignment.recused_at is None


# --- scoring ----------------------------------------------------------------------------------


def test_scoring_before_declaring_is_refused_and_saves_nothing(client, assignment):
    client.force_login(assignment.reviewer)
    response = client.post(review_url(assignment), rubric_data(), follow=True)
    page = response.content.decode()
    assert "Declare that you have no conflict of interest before reviewing." in page
    assert USE_OF_FUNDS not in page
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"team": ""}, "This field is required."),
        ({"impact": "6"}, "Select a valid choice. 6 is not one of the available choices."),
        ({"market": "0"}, "Select a valid choice. 0 is not one of the available choices."),
        ({"recommendation": ""}, "This field is required."),
    ],
)
def test_an_incomplete_or_out_of_range_rubric_is_refused(client, assignment, overrides, message):
    declared(assignment)
    client.force_login(assignment.reviewer)
    response = client.post(review_url(assignment), rubric_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert not Score.objects.exists()


def test_a_rubric_without_a_criterion_field_is_refused(client, assignment):
    declared(assignment)
    client.force_login(assignment.reviewer)
    data = rubric_data()
    del data["financials"]
    response = client.post(review_url(assignment), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Score.objects.exists()


def test_a_complete_review_is_saved_once(client, assignment, application):
    declared(assignment)
    client.force_login(assignment.reviewer)
    response = client.post(review_url(assignment), rubric_data(score="5"))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert assignment.recommendation == "invest"
    assert dict(assignment.scores.values_list("criterion", "score")) == dict.fromkeys(
        Criterion.values, 5
    )
    assert assignment.scores.get(criterion="team").comment == "Nhận xét về team"
    page = client.get(review_url(assignment)).content.decode()
    assert 'name="recommendation"' not in page
    assert "You submitted your review" in page

    again = client.post(review_url(assignment), rubric_data(score="1"), follow=True)
    assert "Your review of this application is already submitted." in again.content.decode()
    assert set(assignment.scores.values_list("score", flat=True)) == {5}
    assert ModelLogEntry.objects.for_instance(application).filter(action="fund.review").count() == 1


def test_no_rubric_is_offered_while_the_applicant_is_asked_for_information(
    client, assignment, application, manager
):
    declared(assignment)
    services.application_request_info(user=manager, application=application, note="Gửi BCTC.")
    client.force_login(assignment.reviewer)
    page = client.get(review_url(assignment)).content.decode()
    assert USE_OF_FUNDS in page
    assert 'name="recommendation"' not in page
    assert "Reviews are accepted while the application is under review" in page
    response = client.post(review_url(assignment), rubric_data(), follow=True)
    assert "Reviews are accepted while the application is under review" in (
        response.content.decode()
    )
    assert not Score.objects.exists()


def test_other_reviewers_scores_are_hidden_until_ones_own_review_is_in(
    client, manager, application, assignment
):
    first = reviewer_user(first_name="An", last_name="Nguyễn")
    first_assignment = declared(
        services.reviewer_assign(user=manager, application=application, reviewer=first)
    )
    scores = {criterion: (2, f"Riêng của An: {criterion}") for criterion in Criterion}
    services.review_submit(
        user=first,
        assignment=first_assignment,
        scores=scores,
        recommendation="do_not_invest",
        comment="An không đề xuất đầu tư.",
    )
    declared(assignment)
    client.force_login(assignment.reviewer)
    page = client.get(review_url(assignment)).content.decode()
    assert "Riêng của An" not in page
    assert "An không đề xuất đầu tư." not in page
    assert "Nguyễn An" not in page

    client.post(review_url(assignment), rubric_data(score="4"))
    page = client.get(review_url(assignment)).content.decode()
    assert "Riêng của An: team" in page
    assert "An không đề xuất đầu tư." in page
    assert "Nguyễn An" in page
    assert "3.00" in page  # the average of 2 and 4 on every criterion
    assert "2 reviews submitted." in page


# --- affiliations -----------------------------------------------------------------------------


def test_an_affiliation_declared_here_blocks_a_later_assignment(client, manager, application):
    reviewer = reviewer_user()
    client.force_login(reviewer)
    startup = application.startup
    response = client.post(
        AFFILIATIONS, {"startup": f" {startup.enterprise_code} ", "note": "Cố vấn chiến lược"}
    )
    assert response.status_code == 302
    page = client.get(AFFILIATIONS).content.decode()
    assert startup.name in page and "Cố vấn chiến lược" in page
    assert ModelLogEntry.objects.for_instance(startup).filter(action="fund.affiliation").exists()

    with pytest.raises(PortalError) as refused:
        services.reviewer_assign(user=manager, application=application, reviewer=reviewer)
    assert refused.value.code == "conflict_of_interest"
    assert "Cố vấn chiến lược" in str(refused.value.message)
    assert not Assignment.objects.filter(reviewer=reviewer).exists()


def test_an_affiliation_is_found_by_exact_name(client):
    startup = make_startup(status="verified", name="Công ty Lúa Xanh")
    reviewer = reviewer_user()
    client.force_login(reviewer)
    response = client.post(AFFILIATIONS, {"startup": "Công ty Lúa Xanh", "note": "Cổ đông"})
    assert response.status_code == 302
    assert Affiliation.objects.get(reviewer=reviewer).startup == startup


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"startup": "0999999999", "note": "Cổ đông"},
            "No startup with this enterprise code or name is registered on the portal.",
        ),
        ({"startup": "Lúa", "note": "Cổ đông"}, "No startup with this enterprise code or name"),
        ({"startup": "", "note": "Cổ đông"}, "This field is required."),
        ({"note": "  "}, "This field is required."),
    ],
)
def test_an_affiliation_that_cannot_be_recorded_is_refused(client, data, message):
    make_startup(status="verified", name="Công ty Lúa Xanh")
    client.force_login(reviewer_user())
    response = client.post(AFFILIATIONS, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Affiliation.objects.exists()


def test_a_blank_tie_is_refused_by_the_service(client):
    startup = make_startup(status="verified")
    client.force_login(reviewer_user())
    response = client.post(AFFILIATIONS, {"startup": startup.enterprise_code, "note": "   "})
    assert response.status_code == 200
    assert not Affiliation.objects.exists()


# --- my reviews -------------------------------------------------------------------------------


def test_my_reviews_lists_only_my_assignments_with_their_status_and_deadline(
    client, manager, application, assignment
):
    other = make_application(status=ApplicationStatus.SCREENING, manager=manager)
    recused = services.reviewer_assign(
        user=manager, application=other, reviewer=assignment.reviewer
    )
    services.assignment_declare(
        user=assignment.reviewer, assignment=recused, has_conflict=True, note="Họ hàng"
    )
    someone_elses = make_application(status=ApplicationStatus.SCREENING, manager=manager)
    services.reviewer_assign(user=manager, application=someone_elses, reviewer=reviewer_user())
    client.force_login(assignment.reviewer)
    page = client.get(MY_REVIEWS).content.decode()
    assert review_url(assignment) in page and review_url(recused) in page
    assert f"{application.startup.name} · {application.call.title}" in page
    assert someone_elses.startup.name not in page
    assert "Awaiting declaration" in page and "Recused" in page
    assert timezone.localtime(application.stage_due_at).strftime("%d/%m/%Y") in page

    declared(assignment)
    assert "Reviewing" in client.get(MY_REVIEWS).content.decode()
    services.review_submit(
        user=assignment.reviewer,
        assignment=assignment,
        scores=full_scores(),
        recommendation="invest",
    )
    assert "Submitted" in client.get(MY_REVIEWS).content.decode()


def test_my_reviews_flags_an_application_past_its_stage_deadline(client, manager, reviewer):
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        late = make_application(status=ApplicationStatus.SCREENING, manager=manager)
    services.reviewer_assign(user=manager, application=late, reviewer=reviewer)
    client.force_login(reviewer)
    assert "Overdue" in client.get(MY_REVIEWS).content.decode()
    services.application_advance(user=manager, application=late)
    assert "Overdue" not in client.get(MY_REVIEWS).content.decode()


def test_my_reviews_lists_waiting_assignments_before_submitted_ones(client, manager, reviewer):
    waiting = services.reviewer_assign(
        user=manager,
        application=make_application(status=ApplicationStatus.SCREENING, manager=manager),
        reviewer=reviewer,
    )
    done = declared(
        services.reviewer_assign(
            user=manager,
            application=make_application(status=ApplicationStatus.SCREENING, manager=manager),
            reviewer=reviewer,
        )
    )
    services.review_submit(
        user=reviewer, assignment=done, scores=full_scores(), recommendation="invest"
    )
    client.force_login(reviewer)
    page = client.get(MY_REVIEWS).content.decode()
    assert page.index(review_url(waiting)) < page.index(review_url(done))


def test_the_reviews_menu_is_shown_to_reviewers_only(client, reviewer):
    client.force_login(reviewer)
    home = client.get("/admin/").content.decode()
    assert MY_REVIEWS in home and AFFILIATIONS in home
    client.force_login(with_mfa(make_user(Role.FUND_MANAGER)))
    home = client.get("/admin/").content.decode()
    assert MY_REVIEWS not in home and AFFILIATIONS not in home


def test_my_reviews_runs_a_constant_number_of_queries(client, manager, reviewer):
    def assign():
        application = make_application(status=ApplicationStatus.SCREENING, manager=manager)
        services.reviewer_assign(user=manager, application=application, reviewer=reviewer)

    assign()
    client.force_login(reviewer)
    few = count_queries(client, MY_REVIEWS)
    for _ in range(3):
        assign()
    assert count_queries(client, MY_REVIEWS) == few

"""The applicant journey at /me/sandbox/, through the views. Staff steps go through the services
(the admin is tested on its own)."""

import pytest

from portal.accounts.roles import Role
from portal.notifications.models import Notification
from sandbox import services
from sandbox.models import Application, ApplicationStatus, ApplicationStep
from startups.models import Membership
from tests.conftest import page
from tests.factories import make_user, with_mfa
from tests.factories.sandbox import make_application, make_entry
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

BASE = "/en/me/sandbox/"


def application_data(**overrides):
    data = {
        "organisation_name": "Công ty Cổ phần Giao Hàng Tự Hành",
        "enterprise_code": "0109 876 543",
        "startup": "",
        "title": "Xe tự hành giao hàng ở Ecopark",
        "technology": "Xe điện tự hành tốc độ thấp.",
        "regulation_to_relax": "Luật Trật tự, an toàn giao thông đường bộ, điều 35.",
        "domain": "transport",
        "test_space": "physical",
        "test_area": "Khu đô thị Ecopark",
        "duration_months": "12",
        "customer_cap": "500",
        "transaction_cap_vnd": "1.500.000.000",
        "risk_measures": "Giới hạn tốc độ 15 km/h.",
        "consumer_protection": "Bảo hiểm trách nhiệm dân sự.",
        "exit_plan": "Thu hồi xe trong 7 ngày.",
    }
    data.update(overrides)
    return data


def edit_data(application, **overrides):
    """The edit form as the browser posts it back, unchanged unless overridden."""
    values = {}
    for name in services.APPLICATION_FIELDS:
        value = getattr(application, name if name != "startup" else "startup_id")
        values[name] = "" if value is None else str(value)
    values.update(overrides)
    return values


def detail_url(application) -> str:
    return f"{BASE}{application.pk}/"


def snapshot(application) -> dict:
    application = Application.objects.get(pk=application.pk)
    return {
        **{name: getattr(application, name) for name in services.APPLICATION_FIELDS},
        "status": application.status,
        "steps": application.steps.count(),
    }


def staff_user():
    return with_mfa(make_user(Role.DEPARTMENT_STAFF))


# --- the journey -----------------------------------------------------------------------------


def test_create_a_draft_edit_it_and_submit_it(client):
    applicant = make_user()
    startup = make_startup(owner=applicant)
    staff = staff_user()
    client.force_login(applicant)

    form = page(client.get(f"{BASE}new/"))
    for legend in ("Who applies", "What you want to test", "Where, for how long", "Safeguards"):
        assert legend in form
    assert startup.name in form

    response = client.post(f"{BASE}new/", application_data(startup=str(startup.pk)))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(application)
    assert application.applicant == applicant
    assert application.status == ApplicationStatus.DRAFT
    assert application.enterprise_code == "0109876543"
    assert application.transaction_cap_vnd == 1_500_000_000
    assert application.duration_months == 12
    # Linked, and nothing copied from the startup's profile.
    assert application.startup == startup
    assert application.organisation_name == "Công ty Cổ phần Giao Hàng Tự Hành"

    detail = page(client.get(detail_url(application)))
    assert "is saved as a draft" in detail
    assert f"{detail_url(application)}edit/" in detail
    assert "Submit to the department" in detail
    assert "1.500.000.000" in detail

    edit_form = page(client.get(f"{detail_url(application)}edit/"))
    assert 'value="1.500.000.000"' in edit_form
    response = client.post(
        f"{detail_url(application)}edit/",
        edit_data(application, transaction_cap_vnd="2 000 000 000", test_space="online"),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.transaction_cap_vnd == 2_000_000_000
    assert application.test_space == "online"
    assert application.status == ApplicationStatus.DRAFT

    response = client.post(f"{detail_url(application)}submit/", follow=True)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    step = ApplicationStep.objects.get(application=application)
    assert (step.from_status, step.to_status, step.actor) == ("draft", "submitted", applicant)
    assert Notification.objects.filter(recipient=staff).exists()
    detail = page(response)
    assert "is submitted to the department" in detail
    assert "The department is assessing the application" in detail
    assert f"{detail_url(application)}edit/" not in detail
    assert f"{detail_url(application)}submit/" not in detail


def test_more_information_requested_then_edited_and_submitted_again(client):
    applicant = make_user(language="en")
    staff = staff_user()
    application = make_application(applicant=applicant, status=ApplicationStatus.SUBMITTED)
    services.application_request_info(
        user=staff, application=application, note="Bổ sung phương án bảo hiểm cho người đi bộ."
    )
    client.force_login(applicant)

    # The notification leads to exactly the application's page.
    notification = Notification.objects.get(recipient=applicant)
    assert notification.url == f"/me/sandbox/{application.pk}/"
    assert client.get(notification.url).status_code == 200

    detail = page(client.get(detail_url(application)))
    assert "More information requested" in detail
    assert "What the department asks for" in detail
    assert "Bổ sung phương án bảo hiểm cho người đi bộ." in detail
    assert "Submit again" in detail
    assert f"{detail_url(application)}edit/" in detail

    response = client.post(
        f"{detail_url(application)}edit/",
        edit_data(application, consumer_protection="Bảo hiểm cho cả người đi bộ."),
    )
    assert response.status_code == 302
    assert "Submit the application again" in page(client.get(detail_url(application)))

    response = client.post(f"{detail_url(application)}submit/", follow=True)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.consumer_protection == "Bảo hiểm cho cả người đi bộ."
    assert [step.to_status for step in application.steps.order_by("pk")] == [
        "submitted",
        "info_requested",
        "submitted",
    ]
    detail = page(response)
    assert "submitted again with the information asked for" in detail
    # The history keeps the department's question.
    assert "Bổ sung phương án bảo hiểm cho người đi bộ." in detail
    assert "Department of Science and Technology" in detail


def test_rejected_application_shows_the_reason_and_cannot_be_edited(client):
    application = make_application(status=ApplicationStatus.REJECTED)
    client.force_login(application.applicant)

    detail = page(client.get(detail_url(application)))
    assert "Why the test was not approved" in detail
    assert "Chưa đủ biện pháp an toàn." in detail
    assert f"{detail_url(application)}edit/" not in detail
    assert f"{detail_url(application)}submit/" not in detail

    before = snapshot(application)
    response = client.post(
        f"{detail_url(application)}edit/", edit_data(application, title="Khác"), follow=True
    )
    assert "cannot be edited" in page(response)
    assert snapshot(application) == before


def test_approved_application_links_to_its_register_entry(client):
    entry = make_entry()
    applicant = entry.application.applicant
    client.force_login(applicant)

    listing = page(client.get(BASE))
    assert entry.get_absolute_url() in listing
    assert entry.decision_number in listing
    assert "status--ok" in listing

    detail = page(client.get(detail_url(entry.application)))
    assert entry.get_absolute_url() in detail
    assert "See the register entry" in detail
    assert entry.decision_number in detail
    assert f"{detail_url(entry.application)}edit/" not in detail


def test_my_applications_lists_only_mine_with_their_status(client):
    applicant = make_user()
    draft = make_application(applicant=applicant, title="Ví điện tử cho chợ truyền thống")
    asked = make_application(applicant=applicant, status=ApplicationStatus.INFO_REQUESTED)
    other = make_application(title="Drone giao thuốc của người khác")
    client.force_login(applicant)

    listing = page(client.get(BASE))

    assert draft.title in listing
    assert asked.title in listing
    assert other.title not in listing
    assert "status--neutral" in listing and "status--warn" in listing
    assert "More information requested" in listing
    assert 'aria-current="page">Sandbox applications' in listing


def test_empty_list_invites_to_apply(client):
    client.force_login(make_user())
    listing = page(client.get(BASE))
    assert "You have not applied yet" in listing
    assert f"{BASE}new/" in listing


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"enterprise_code": "01234"}, "enterprise_code", "An enterprise code has 10 digits"),
        ({"test_space": "physical", "test_area": " "}, "test_area", "Say where in Hanoi"),
        ({"test_space": "both", "test_area": ""}, "test_area", "Say where in Hanoi"),
        ({"duration_months": "0"}, "duration_months", "greater than or equal to 1"),
        ({"duration_months": "30"}, "duration_months", "less than or equal to 24"),
        ({"customer_cap": "-5"}, "customer_cap", "greater than or equal to"),
        ({"transaction_cap_vnd": "-1.000.000"}, "transaction_cap_vnd", "cannot be negative"),
        ({"transaction_cap_vnd": "1,5 tỷ"}, "transaction_cap_vnd", "Write amounts in whole VND"),
        ({"title": ""}, "title", "This field is required"),
        ({"exit_plan": ""}, "exit_plan", "This field is required"),
    ],
)
def test_invalid_application_is_refused_and_nothing_saved(client, overrides, field, message):
    client.force_login(make_user())

    response = client.post(f"{BASE}new/", application_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    body = page(response)
    assert message in body
    assert "The application was not saved" in body
    assert not Application.objects.exists()


def test_a_startup_the_applicant_does_not_belong_to_is_refused(client):
    applicant = make_user()
    mine = make_startup(owner=applicant)
    theirs = make_startup()
    client.force_login(applicant)

    form = page(client.get(f"{BASE}new/"))
    assert mine.name in form
    assert theirs.name not in form

    response = client.post(f"{BASE}new/", application_data(startup=str(theirs.pk)))

    assert response.status_code == 200
    assert "Choose one of the startups you belong to" in page(response)
    assert not Application.objects.exists()


def test_invalid_edit_changes_nothing(client):
    application = make_application()
    client.force_login(application.applicant)
    before = snapshot(application)

    for overrides in (
        {"enterprise_code": "12-34"},
        {"test_space": "physical", "test_area": ""},
        {"duration_months": "25"},
        {"customer_cap": "0"},
        {"startup": str(make_startup().pk)},
    ):
        response = client.post(
            f"{detail_url(application)}edit/", edit_data(application, **overrides)
        )
        assert response.status_code == 200
        assert response.context["form"].errors
        assert snapshot(application) == before


def test_submitting_twice_says_so_and_changes_nothing(client):
    application = make_application()
    client.force_login(application.applicant)
    client.post(f"{detail_url(application)}submit/")
    before = snapshot(application)
    notifications = Notification.objects.count()

    response = client.post(f"{detail_url(application)}submit/", follow=True)

    assert "This application is already submitted" in page(response)
    assert snapshot(application) == before
    assert before["status"] == ApplicationStatus.SUBMITTED
    assert before["steps"] == 1
    assert Notification.objects.count() == notifications


def test_submit_needs_post(client):
    application = make_application()
    client.force_login(application.applicant)
    assert client.get(f"{detail_url(application)}submit/").status_code == 405
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


# --- who may see and do what -----------------------------------------------------------------


def test_someone_elses_application_is_not_found_and_nothing_changes(client):
    application = make_application()
    client.force_login(make_user())
    before = snapshot(application)

    assert client.get(detail_url(application)).status_code == 404
    assert client.get(f"{detail_url(application)}edit/").status_code == 404
    response = client.post(f"{detail_url(application)}edit/", edit_data(application, title="X"))
    assert response.status_code == 404
    assert client.post(f"{detail_url(application)}submit/").status_code == 404
    assert snapshot(application) == before


def test_pages_need_an_account(client):
    application = make_application()
    for url in (BASE, f"{BASE}new/", detail_url(application), f"{detail_url(application)}edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    client.post(f"{detail_url(application)}submit/")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_staff_see_an_application_but_do_not_edit_or_submit_it(client):
    application = make_application(status=ApplicationStatus.INFO_REQUESTED)
    client.force_login(staff_user())
    before = snapshot(application)

    detail = page(client.get(detail_url(application)))
    assert application.title in detail
    assert "Bổ sung phương án bảo hiểm." in detail
    assert f"{detail_url(application)}edit/" not in detail
    assert f"{detail_url(application)}submit/" not in detail
    assert "/admin/sandbox/applications/" in detail

    response = client.post(f"{detail_url(application)}edit/", edit_data(application, title="X"))
    assert response.status_code == 302
    response = client.post(f"{detail_url(application)}submit/", follow=True)
    assert "not allowed" in page(response)
    assert snapshot(application) == before


def test_unknown_application_is_not_found(client):
    client.force_login(make_user())
    assert client.get(f"{BASE}999999/").status_code == 404


# --- the /me/ overview -----------------------------------------------------------------------


def test_workspace_panel_lists_my_applications(client):
    applicant = make_user()
    application = make_application(applicant=applicant, status=ApplicationStatus.SUBMITTED)
    make_application(title="Ứng dụng của người khác")
    client.force_login(applicant)

    overview = page(client.get("/en/me/"))

    assert 'id="my-sandbox-heading"' in overview
    assert application.title in overview
    assert detail_url(application) in overview
    assert "status--info" in overview
    assert "Ứng dụng của người khác" not in overview


def test_workspace_panel_invites_founders_and_stays_away_from_others(client):
    founder = make_user()
    make_startup(owner=founder)
    client.force_login(founder)
    overview = page(client.get("/en/me/"))
    assert 'id="my-sandbox-heading"' in overview
    assert f"{BASE}new/" in overview

    client.force_login(make_user())
    overview = page(client.get("/en/me/"))
    assert 'id="my-sandbox-heading"' not in overview
    # The side menu still leads to the applications.
    assert f'href="{BASE}"' in overview


def test_a_startup_the_applicant_has_left_is_refused_on_edit(client):
    applicant = make_user()
    startup = make_startup(owner=applicant)
    application = make_application(applicant=applicant, startup=startup)
    Membership.objects.filter(user=applicant, startup=startup).delete()
    client.force_login(applicant)
    before = snapshot(application)

    response = client.post(f"{detail_url(application)}edit/", edit_data(application, title="X"))

    assert response.status_code == 200
    assert "You can only apply for a startup you belong to" in page(response)
    assert snapshot(application) == before


def test_pages_render_in_vietnamese(client):
    application = make_application(status=ApplicationStatus.INFO_REQUESTED)
    client.force_login(application.applicant)
    for url in ("/me/sandbox/", "/me/sandbox/new/", f"/me/sandbox/{application.pk}/"):
        assert client.get(url).status_code == 200
    assert client.get(f"/me/sandbox/{application.pk}/edit/").status_code == 200

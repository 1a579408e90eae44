"""The fund's public pages: the /fund/ index of calls and a call's page with its "Apply" panel,
for every kind of visitor."""

from datetime import date, timedelta

import pytest

from fund.models import ApplicationStatus
from startups.models import Status
from tests.conftest import count_queries
from tests.factories import make_user
from tests.factories.fund import fund_index, make_application, make_call
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

TODAY = date.today()


def page(client, call) -> str:
    response = client.get(f"/en{call.url}")
    assert response.status_code == 200
    return response.content.decode()


def new_url(call) -> str:
    return f"/en/fund/applications/new/{call.pk}/"


def closed_call(**fields):
    return make_call(
        opens_on=TODAY - timedelta(days=60), closes_on=TODAY - timedelta(days=5), **fields
    )


def upcoming_call(**fields):
    return make_call(
        opens_on=TODAY + timedelta(days=5), closes_on=TODAY + timedelta(days=40), **fields
    )


# --- the call page ---------------------------------------------------------------------------


def test_call_page_shows_thesis_sectors_ticket_dates_eligibility_and_questions(client):
    call = make_call(
        thesis="<p>Đô thị thông minh cho Thủ đô.</p>",
        eligibility="<p>Có trụ sở tại Hà Nội.</p>",
        questions=("Vì sao Hà Nội cần giải pháp này?", "Đội ngũ của bạn có gì đặc biệt?"),
    )

    body = page(client, call)

    assert call.title in body
    assert "Đô thị thông minh cho Thủ đô." in body
    assert "Artificial intelligence, Smart city" in body
    assert "1 billion VND to 20 billion VND" in body
    assert f"from {call.opens_on:%d/%m/%Y} to {call.closes_on:%d/%m/%Y}" in body, "the call's dates"
    assert "Có trụ sở tại Hà Nội." in body
    assert "Vì sao Hà Nội cần giải pháp này?" in body
    assert "Đội ngũ của bạn có gì đặc biệt?" in body
    assert "Open for applications" in body


def test_anonymous_visitor_is_asked_to_sign_in_and_comes_back_to_the_call(client):
    call = make_call()
    body = page(client, call)
    assert "Sign in to apply" in body
    assert f'href="/en/accounts/login/?next=/en{call.url}"' in body
    assert new_url(call) not in body


def test_signed_in_user_without_a_startup_is_told_to_register_one(client):
    call = make_call()
    client.force_login(make_user())
    body = page(client, call)
    assert "You are not a member of any startup" in body
    assert 'href="/en/me/startups/"' in body
    assert new_url(call) not in body


def test_member_of_an_unverified_startup_is_told_why_and_where_to_go(client):
    call = make_call()
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.SUBMITTED)
    client.force_login(founder)

    body = page(client, call)

    assert "Only a startup verified by the Department of Science and Technology" in body
    assert f"{startup.name} is not verified yet (status: Submitted for verification)" in body
    assert 'href="/en/me/startups/"' in body
    assert new_url(call) not in body


def test_member_of_a_verified_startup_can_apply(client):
    call = make_call()
    founder = make_user()
    startup = make_startup(owner=founder, status=Status.VERIFIED)
    client.force_login(founder)

    body = page(client, call)

    assert f'href="{new_url(call)}?startup={startup.pk}"' in body
    assert f"Apply for {startup.name}" in body


def test_startup_that_already_applied_is_led_to_its_application(client):
    call = make_call()
    application = make_application(call=call, status=ApplicationStatus.SUBMITTED)
    founder = application.startup.memberships.get().user
    client.force_login(founder)

    body = page(client, call)

    assert f"{application.startup.name} has applied to this call." in body
    assert f'href="/en/fund/applications/{application.pk}/"' in body
    assert new_url(call) not in body


def test_only_the_startups_that_have_not_applied_are_offered(client):
    call = make_call()
    founder = make_user()
    applied = make_application(
        call=call, startup=make_startup(owner=founder, status=Status.VERIFIED)
    )
    other = make_startup(owner=founder, status=Status.VERIFIED)
    client.force_login(founder)

    body = page(client, call)

    assert f"{applied.startup.name} has applied to this call." in body
    assert f"?startup={other.pk}" in body
    assert f"?startup={applied.startup_id}" not in body


def test_a_withdrawn_application_does_not_stop_a_new_one(client):
    call = make_call()
    withdrawn = make_application(call=call, status=ApplicationStatus.WITHDRAWN)
    client.force_login(withdrawn.startup.memberships.get().user)

    body = page(client, call)

    assert f"?startup={withdrawn.startup_id}" in body
    assert "has applied to this call" not in body


def test_closed_call_says_so_and_offers_no_way_to_apply(client):
    call = closed_call()
    founder = make_user()
    make_startup(owner=founder, status=Status.VERIFIED)
    client.force_login(founder)

    body = page(client, call)

    assert f"This call closed on {call.closes_on:%d/%m/%Y}" in body
    assert new_url(call) not in body
    assert "Closed" in body


def test_closed_call_still_leads_an_applicant_to_their_application(client):
    call = make_call()
    application = make_application(call=call, status=ApplicationStatus.SUBMITTED)
    call.closes_on = TODAY - timedelta(days=1)
    call.opens_on = TODAY - timedelta(days=30)
    call.save_revision().publish()
    client.force_login(application.startup.memberships.get().user)

    body = page(client, call)

    assert "This call closed on" in body
    assert f'href="/en/fund/applications/{application.pk}/"' in body


def test_upcoming_call_says_when_it_opens(client):
    call = upcoming_call()
    founder = make_user()
    make_startup(owner=founder, status=Status.VERIFIED)
    client.force_login(founder)

    body = page(client, call)

    assert f"This call opens on {call.opens_on:%d/%m/%Y}" in body
    assert new_url(call) not in body


def test_call_page_renders_in_vietnamese(client):
    call = make_call()
    response = client.get(call.url)
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


# --- the index -------------------------------------------------------------------------------


def test_index_lists_open_upcoming_and_closed_calls_in_their_sections(client):
    open_call = make_call(title="Đợt mở")
    soon = upcoming_call(title="Đợt sắp mở")
    past = closed_call(title="Đợt đã đóng")

    response = client.get(f"/en{fund_index().url}")

    assert response.status_code == 200
    body = response.content.decode()
    sections = {
        heading: body.index(heading) for heading in ("Open calls", "Upcoming calls", "Closed calls")
    }
    assert sections["Open calls"] < body.index(open_call.title) < sections["Upcoming calls"]
    assert sections["Upcoming calls"] < body.index(soon.title) < sections["Closed calls"]
    assert sections["Closed calls"] < body.index(past.title)
    assert open_call.url in body and soon.url in body and past.url in body
    assert "1 billion VND to 20 billion VND" in body


def test_index_without_an_open_call_says_so(client):
    closed_call()
    body = client.get(f"/en{fund_index().url}").content.decode()
    assert "No call is open at the moment" in body
    assert "Closed calls" in body
    assert "Upcoming calls" not in body


def test_unpublished_calls_are_not_listed(client):
    call = make_call(title="Đợt chưa công bố")
    call.unpublish()
    body = client.get(f"/en{fund_index().url}").content.decode()
    assert "Đợt chưa công bố" not in body


def test_index_query_count_does_not_grow_with_the_calls(client):
    make_call()
    url = f"/en{fund_index().url}"
    few = count_queries(client, url)
    for _ in range(3):
        make_call()
        closed_call()
    assert count_queries(client, url) == few

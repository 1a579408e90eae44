"""Anonymous use of the open-data API is limited per client address (API_ANON_RATE), across every
section: past the limit the answer is a 429 with a clear message and a Retry-After header, until
the window ends. Signed-in users are not limited."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from portal.api import anonymous_rate
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# 20 seconds into a minute, so a window of one minute ends 40 seconds later.
NOW = datetime(2026, 6, 1, 3, 0, 20, tzinfo=UTC)
PATHS = ["/api/v1/indicators", "/api/v1/startups", "/api/v1/sandbox", "/api/v1/technologies"]


@pytest.fixture
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@override_settings(API_ANON_RATE="4/m")
def test_the_request_past_the_limit_gets_429_with_a_message_and_retry_after(client, frozen_time):
    assert anonymous_rate() == (4, 60)
    # One count for the whole API, whichever section is asked.
    for path in PATHS:
        assert client.get(path).status_code == 200, path
    response = client.get("/api/v1/indicators")
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    body = response.json()
    assert body["retry_after"] == 40
    message = body["detail"]
    assert "4" in message and "60" in message and "40" in message
    assert message != "Too many requests."
    # Still refused while the window lasts, then answered again.
    assert client.get("/api/v1/startups").status_code == 429
    frozen_time.shift(timedelta(seconds=40))
    assert client.get("/api/v1/indicators").status_code == 200


@override_settings(API_ANON_RATE="2/m")
def test_each_address_has_its_own_count(client, frozen_time):
    for _ in range(2):
        assert client.get("/api/v1/indicators").status_code == 200
    assert client.get("/api/v1/indicators").status_code == 429
    other = client.get("/api/v1/indicators", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


@override_settings(API_ANON_RATE="2/m")
def test_signed_in_users_are_not_limited(client, frozen_time):
    client.force_login(make_user())
    for _ in range(10):
        assert client.get("/api/v1/indicators").status_code == 200


@override_settings(API_ANON_RATE="1/h")
def test_the_rate_may_be_per_hour(client, frozen_time):
    assert client.get("/api/v1/indicators").status_code == 200
    response = client.get("/api/v1/indicators")
    assert response.status_code == 429
    # 3:00:20 UTC: the hour's window ends at 4:00.
    assert response["Retry-After"] == str(60 * 60 - 20)


def test_the_default_allows_sixty_requests_a_minute():
    assert anonymous_rate() == (60, 60)

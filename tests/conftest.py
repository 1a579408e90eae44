import os

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_user


def pytest_configure(config):
    if os.environ.get("REQUIRE_POSTGRES") == "1" and "postgres" not in os.environ.get(
        "DATABASE_URL", ""
    ):
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL does not name PostgreSQL")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and used TOTP codes live in the cache; no test may inherit another's.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def user(db):
    return make_user()


@pytest.fixture
def database_vendor(db):
    return connection.vendor


def count_queries(client, url: str) -> int:
    """Queries of a warm request (the first one fills per-site caches and is not counted)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def totp_code(secret: str, at: float) -> str:
    return format_hotp_value(hotp_value(secret, int(at) // 30))

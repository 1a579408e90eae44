import csv
import io
import os
import time

import openpyxl
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


@pytest.fixture(autouse=True)
def _postgres_marked_tests_need_postgresql(request):
    # SQLite serialises whole-database writes, so what these tests race for never happens there;
    # CI sets REQUIRE_POSTGRES=1, under which a missing PostgreSQL fails instead of skipping.
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        reason = f"row locks are only exercised on PostgreSQL, not {connection.vendor}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1: {reason}")
        pytest.skip(reason)


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


def time_step_with_margin(margin: float = 5.0) -> float:
    """Now, or the start of the next 30-second TOTP step when this one ends too soon: the
    server checks the code a moment after the browser submits it, and with no tolerance a code
    from the step that just ended is refused."""
    now = time.time()
    left = 30 - now % 30
    if left < margin:
        time.sleep(left + 0.1)
        now = time.time()
    return now


def totp_code(secret: str, at: float) -> str:
    return format_hotp_value(hotp_value(secret, int(at) // 30))


def page(response) -> str:
    return response.content.decode()


def read_csv(response) -> list[dict]:
    """The rows of a streamed CSV export, by column heading."""
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


def read_xlsx(response) -> list[dict]:
    """The rows of the first sheet of an XLSX export, by column heading."""
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    heading, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(heading, row, strict=True)) for row in rows]

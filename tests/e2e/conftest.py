import io
import os
import shutil

import pytest
from django.db import connections

from tests.conftest import time_step_with_margin, totp_code

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    # Function-scoped on purpose: while Playwright's event loop runs in this thread, Django
    # hands out a different connection object, and the next test's database set-up (the
    # serialized rollback) would not see the real one.
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # The ORM calls the test itself makes (seeding) are synchronous, beside Playwright's loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Close the connections opened inside the loop's context, or the test database
        # cannot be dropped at the end of the run.
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def accounts():
    """Only the demo accounts: journeys make their own records."""
    from portal.accounts.demo import seed_demo_accounts

    seed_demo_accounts(io.StringIO().write)


def sign_in(page, base_url: str, email: str, totp_secret: str | None = None) -> None:
    """Signs a demo account in through the login form (and the TOTP step for staff)."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "demo-password-2026")
    page.click("main form button[type=submit]")
    if totp_secret:
        page.wait_for_url(f"{base_url}/accounts/2fa/authenticate/")
        page.fill("input[name=code]", totp_code(totp_secret, time_step_with_margin()))
        page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}/me/")

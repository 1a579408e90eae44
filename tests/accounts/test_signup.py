import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from portal.accounts.models import User
from tests.factories import PASSWORD, make_user

SIGNUP = {"email": "new.founder@example.org", "password1": PASSWORD, "password2": PASSWORD}


def _code_from_outbox() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def _sign_up(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.django_db
def test_sign_up_verify_code_from_outbox_then_log_in(client):
    verify_url = _sign_up(client)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [SIGNUP["email"]]

    response = client.post(verify_url, {"code": _code_from_outbox()})

    assert response.status_code == 302
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("workspace")).status_code == 200


@pytest.mark.django_db
def test_new_account_keeps_the_language_it_signed_up_in(client):
    client.post("/en/accounts/signup/", SIGNUP)
    assert User.objects.get(email=SIGNUP["email"]).language == "en"


@pytest.mark.django_db
def test_wrong_code_is_refused_and_changes_nothing(client):
    verify_url = _sign_up(client)
    code = _code_from_outbox()
    wrong = "ZZZZ-ZZZZ" if code != "ZZZZ-ZZZZ" else "YYYY-YYYY"

    response = client.post(verify_url, {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not EmailAddress.objects.get(email=SIGNUP["email"]).verified


@pytest.mark.django_db
def test_expired_code_is_refused(client):
    with time_machine.travel("2026-11-22 10:00 +0700", tick=False) as traveller:
        verify_url = _sign_up(client)
        code = _code_from_outbox()
        traveller.shift(16 * 60)

        response = client.post(verify_url, {"code": code})

    assert not EmailAddress.objects.get(email=SIGNUP["email"]).verified
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_duplicate_email_does_not_create_a_second_account(client):
    make_user(email="taken@example.org")
    client.post(reverse("account_signup"), {**SIGNUP, "email": "Taken@Example.org"})
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


@pytest.mark.django_db
def test_login_rate_limit_triggers_after_repeated_failures(client):
    user = make_user()
    for _ in range(5):
        response = client.post(
            "/en/accounts/login/", {"login": user.email, "password": "wrong-password"}
        )
        assert "Too many failed login attempts" not in response.content.decode()

    # Even the right password is refused now: the limit, not the password, stops it.
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_google_sign_in_is_off_without_its_keys(client, settings):
    assert not settings.GOOGLE_SIGN_IN_ENABLED
    assert "google" not in client.get("/accounts/login/").content.decode().lower()
    assert client.get("/accounts/google/login/").status_code == 404


@pytest.mark.django_db
def test_password_reset_by_emailed_link(client):
    user = make_user()
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)

    form_url = client.get(link)["Location"]  # allauth moves the key out of the address
    response = client.post(
        form_url, {"password1": "a-new-password-2026", "password2": "a-new-password-2026"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-password-2026")

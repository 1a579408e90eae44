import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from portal.accounts.roles import STAFF_ROLES, Role
from tests.conftest import time_step_with_margin, totp_code
from tests.factories import PASSWORD, make_user

ACTIVATE_URL = "/accounts/2fa/totp/activate/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
@pytest.mark.parametrize("path", ["/", "/me/", "/admin/", "/en/"])
def test_staff_without_mfa_is_sent_to_set_up_from_every_page(client, role, path):
    client.force_login(make_user(role))

    response = client.get(path)

    assert response.status_code == 302
    expected = f"/en{ACTIVATE_URL}" if path.startswith("/en/") else ACTIVATE_URL
    assert response["Location"] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.FOUNDER, Role.PROVIDER])
def test_roles_without_staff_duties_are_not_forced_to_set_up_mfa(client, role):
    client.force_login(make_user(role))
    assert client.get("/me/").status_code == 200


@pytest.mark.django_db
def test_staff_after_totp_set_up_can_log_in_only_with_a_valid_code(client):
    reviewer = make_user(Role.REVIEWER)
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.post(reverse("account_login"), {"login": reviewer.email, "password": PASSWORD})
        # Changing MFA needs a fresh password confirmation, which the redirect allows.
        response = client.get(ACTIVATE_URL)
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        client.post(response["Location"], {"password": PASSWORD})
        assert client.get(ACTIVATE_URL).status_code == 200
        secret = client.session["mfa.totp.secret"]

        response = client.post(ACTIVATE_URL, {"code": totp_code(secret, time_step_with_margin())})

        assert response.status_code == 302
        assert Authenticator.objects.filter(user=reviewer, type="totp").exists()
        assert client.get("/me/").status_code == 200

        client.post(reverse("account_logout"))
        response = client.post(
            reverse("account_login"), {"login": reviewer.email, "password": PASSWORD}
        )
        assert response["Location"] == reverse("mfa_authenticate")
        # Not yet signed in: the code stage stands between the password and the portal.
        assert client.get("/me/").status_code == 302

        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not response.wsgi_request.user.is_authenticated

        traveller.shift(30)
        response = client.post(
            reverse("mfa_authenticate"), {"code": totp_code(secret, time_step_with_margin())}
        )
        assert response.status_code == 302
        assert client.get("/me/").status_code == 200

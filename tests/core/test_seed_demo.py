import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from wagtail.models import Page

from portal.accounts.models import User
from portal.accounts.permissions import has_role
from portal.accounts.roles import STAFF_ROLES, Role
from portal.core.models import Commune, CommuneKind
from portal.pages.models import HomePage, NavigationMenu
from sandbox.models import Amendment, Application, ApplicationStatus, Entry, EntryStatus
from startups.models import Startup, Status


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts():
    return (
        Commune.objects.count(),
        User.objects.count(),
        Authenticator.objects.count(),
        Page.objects.count(),
        NavigationMenu.objects.count(),
        Startup.objects.count(),
        Application.objects.count(),
        Amendment.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_complete():
    output = _seed()
    first = _counts()
    _seed()
    assert _counts() == first

    assert Commune.objects.filter(kind=CommuneKind.WARD).count() == 51
    assert Commune.objects.filter(kind=CommuneKind.COMMUNE).count() == 75
    assert Commune.objects.get(slug="phuong-ba-dinh").name == "Ba Đình"

    for email, role in [
        ("admin@example.org", Role.ADMINISTRATOR),
        ("staff@example.org", Role.DEPARTMENT_STAFF),
        ("manager@example.org", Role.FUND_MANAGER),
        ("reviewer@example.org", Role.REVIEWER),
        ("founder@example.org", Role.FOUNDER),
        ("provider@example.org", Role.PROVIDER),
    ]:
        user = User.objects.get(email=email)
        assert has_role(user, role)
        assert user.check_password("demo-password-2026")
        assert Authenticator.objects.filter(user=user, type="totp").exists() == (
            role in STAFF_ROLES
        )
        assert email in output

    assert "JBSWY3DPEHPK3PXP" in output and "http://127.0.0.1:8000/" in output
    assert {h.locale.language_code for h in HomePage.objects.live()} == {"vi", "en"}

    # The registry and the sandbox register hold something in every state.
    assert set(Startup.objects.values_list("status", flat=True)) == set(Status.values)
    assert Startup.objects.filter(is_stale=True).exists()
    assert set(Entry.objects.values_list("status", flat=True)) == set(EntryStatus.values)
    assert set(Application.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        _seed()
    assert not User.objects.exists()

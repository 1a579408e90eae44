import itertools

from portal.accounts.roles import Role
from portal.accounts.services import user_create, user_grant_role

PASSWORD = "a-long-test-password-2026"
_sequence = itertools.count(1)


def make_user(*roles: Role, email: str | None = None, language: str = "vi", **fields):
    user = user_create(
        email=email or f"user{next(_sequence)}@example.org",
        password=PASSWORD,
        language=language,
        email_verified=True,
        **fields,
    )
    for role in roles:
        user_grant_role(user=user, role=role)
    return user


def with_mfa(user):
    """Staff roles must have a second factor before the portal lets them in."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def english_admin_user(*roles: Role, **fields):
    """A user of `roles`, with a second factor, whose Wagtail admin (which speaks the language of
    the user's admin profile) is in English."""
    from wagtail.users.models import UserProfile

    user = with_mfa(make_user(*roles, language="en", **fields))
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    return user

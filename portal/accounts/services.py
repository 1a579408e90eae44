from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.users.models import UserProfile

from portal.core.audit import audit_log

from .models import User
from .permissions import can_grant_roles
from .roles import Role


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    language: str = "vi",
    email_verified: bool = False,
) -> User:
    user = User(
        email=User.objects.normalize_email(email).lower(),
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    admin_language_sync(user=user)
    return user


def admin_language_sync(*, user: User) -> None:
    """The Wagtail admin speaks the language the user chose for the portal (it reads its own
    profile setting)."""
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": user.language})


def _check_can_change_roles(actor: User | None) -> None:
    # `actor=None` is the system itself (migrations, seeding, management commands).
    if actor is not None and not can_grant_roles(actor):
        raise PermissionDenied


@transaction.atomic
def user_grant_role(*, user: User, role: Role, actor: User | None = None) -> None:
    _check_can_change_roles(actor)
    user.groups.add(Group.objects.get(name=role.group_name))
    if role == Role.ADMINISTRATOR and not user.is_superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    user.__dict__.pop("_portal_roles", None)
    audit_log(user, "accounts.role_granted", user=actor, data={"role": role.value})


@transaction.atomic
def user_revoke_role(*, user: User, role: Role, actor: User | None = None) -> None:
    _check_can_change_roles(actor)
    user.groups.remove(Group.objects.get(name=role.group_name))
    if role == Role.ADMINISTRATOR and user.is_superuser:
        user.is_superuser = user.is_staff = False
        user.save(update_fields=["is_superuser", "is_staff"])
    user.__dict__.pop("_portal_roles", None)
    audit_log(user, "accounts.role_revoked", user=actor, data={"role": role.value})

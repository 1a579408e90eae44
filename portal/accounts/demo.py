from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.conf import settings

from .models import User
from .permissions import user_roles
from .roles import STAFF_ROLES, Role
from .services import user_create, user_grant_role

DEMO_ACCOUNTS = [
    ("admin@example.org", Role.ADMINISTRATOR, "Quản trị", "Hệ thống"),
    ("staff@example.org", Role.DEPARTMENT_STAFF, "Lan", "Nguyễn Thị"),
    ("manager@example.org", Role.FUND_MANAGER, "Minh", "Trần Văn"),
    ("reviewer@example.org", Role.REVIEWER, "Hà", "Lê Thu"),
    ("founder@example.org", Role.FOUNDER, "Quốc Anh", "Phạm"),
    ("provider@example.org", Role.PROVIDER, "Mai Hương", "Đỗ"),
]


def _ensure_totp(user: User, secret: str) -> None:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing and decrypt(existing.data["secret"]) == secret:
        return
    if existing:
        existing.delete()
    TOTP.activate(user, secret)


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


def seed_demo_accounts(write) -> None:
    password = settings.DEMO_PASSWORD
    secret = settings.DEMO_TOTP_SECRET
    rows = []
    for email, role, first_name, last_name in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first() or user_create(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email_verified=True,
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        EmailAddress.objects.filter(user=user, email=email).update(verified=True, primary=True)
        if role not in user_roles(user):
            user_grant_role(user=user, role=role)
        if role in STAFF_ROLES:
            _ensure_totp(user, secret)
        rows.append(f"  {email:<24} {str(role.label):<22} {'TOTP' if role in STAFF_ROLES else ''}")
    write(f"Demo accounts (password: {password}):")
    for row in rows:
        write(row)
    write(f"TOTP secret for the staff-role accounts (add it to an authenticator app): {secret}")

import itertools

from portal.accounts.roles import Role
from portal.core.models import Commune
from startups import services
from startups.models import Status

from . import make_user

_codes = itertools.count(1)


def make_startup(*, owner=None, status: str = Status.DRAFT, sectors=("ai",), staff=None, **fields):
    """A startup created and moved to `status` through the services, as users would."""
    owner = owner or make_user()
    n = next(_codes)
    values = {
        "name": f"Công ty Khởi nghiệp {n}",
        "enterprise_code": f"{100000000 + n:010d}",
        "legal_form": "llc",
        "commune": Commune.objects.get(full_name="Phường Hoàn Kiếm"),
        "stage": "seed",
        "pitch": "Nền tảng thử nghiệm cho doanh nghiệp Hà Nội",
        "contact_email": f"lienhe{n}@example.org",
        "contact_phone": "0912345678",
        "revenue_vnd": 2_000_000_000,
        "revenue_year": 2025,
        "revenue_source": "self_declared",
    }
    values.update(fields)
    startup = services.startup_create(user=owner, fields=values, sectors=list(sectors))
    if status == Status.DRAFT:
        return startup
    startup = services.startup_submit(user=owner, startup=startup)
    if status == Status.SUBMITTED:
        return startup
    staff = staff or make_user(Role.DEPARTMENT_STAFF)
    if status == Status.VERIFIED:
        return services.startup_verify(user=staff, startup=startup)
    if status == Status.CHANGES_REQUESTED:
        return services.startup_request_changes(
            user=staff, startup=startup, reason_codes=["incomplete_profile"], note="Thiếu mô tả"
        )
    if status == Status.REJECTED:
        return services.startup_reject(
            user=staff, startup=startup, reason_codes=["not_in_hanoi"], note=""
        )
    raise ValueError(status)

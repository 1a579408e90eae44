import itertools
from datetime import date, timedelta

from portal.accounts.roles import Role
from sandbox import services
from sandbox.models import AmendmentKind, ApplicationStatus, EntryStatus

from . import make_user

_numbers = itertools.count(1)


def make_application(
    *, applicant=None, status: str = ApplicationStatus.DRAFT, staff=None, **fields
):
    """An application created and moved to `status` through the services."""
    applicant = applicant or make_user()
    n = next(_numbers)
    values = {
        "organisation_name": f"Công ty Thử nghiệm {n}",
        "enterprise_code": f"{200000000 + n:010d}",
        "title": f"Xe tự hành giao hàng nội khu {n}",
        "technology": "Xe điện tự hành tốc độ thấp giao hàng trong khu đô thị.",
        "regulation_to_relax": "Quy định về phương tiện tham gia giao thông.",
        "domain": "transport",
        "test_space": "physical",
        "test_area": "Khu đô thị Ciputra, phường Phú Thượng",
        "duration_months": 12,
        "customer_cap": 500,
        "risk_measures": "Giới hạn tốc độ 15 km/h, giám sát từ xa.",
        "consumer_protection": "Bảo hiểm trách nhiệm dân sự cho mọi chuyến giao hàng.",
        "exit_plan": "Dừng dịch vụ và thu hồi xe trong 7 ngày.",
    }
    values.update(fields)
    application = services.application_create(user=applicant, fields=values)
    if status == ApplicationStatus.DRAFT:
        return application
    application = services.application_submit(user=applicant, application=application)
    if status == ApplicationStatus.SUBMITTED:
        return application
    staff = staff or make_user(Role.DEPARTMENT_STAFF)
    if status == ApplicationStatus.INFO_REQUESTED:
        return services.application_request_info(
            user=staff, application=application, note="Bổ sung phương án bảo hiểm."
        )
    if status == ApplicationStatus.REJECTED:
        return services.application_reject(
            user=staff, application=application, note="Chưa đủ biện pháp an toàn."
        )
    raise ValueError(status)


def make_entry(*, status: str = EntryStatus.APPROVED, staff=None, start=None, **approval):
    """A register entry approved by decision, then moved to `status` through the services."""
    staff = staff or make_user(Role.DEPARTMENT_STAFF)
    application = make_application(status=ApplicationStatus.SUBMITTED, staff=staff)
    n = next(_numbers)
    start = start or date.today() - timedelta(days=30)
    values = {
        "decision_number": f"{n}/QĐ-UBND",
        "decision_date": start - timedelta(days=10),
        "agency": "construction",
        "scope": "Thử nghiệm giao hàng bằng xe tự hành trong nội khu.",
        "exemptions": "Miễn áp dụng yêu cầu người lái trên phương tiện.",
        "conditions": "Chỉ hoạt động từ 6h đến 22h; báo cáo sự cố trong 24 giờ.",
        "start_date": start,
        "end_date": start + timedelta(days=365),
    }
    values.update(approval)
    entry = services.application_approve(user=staff, application=application, **values)
    steps = {
        EntryStatus.APPROVED: [],
        EntryStatus.TESTING: [AmendmentKind.START],
        EntryStatus.SUSPENDED: [AmendmentKind.START, AmendmentKind.SUSPENSION],
        EntryStatus.EXTENDED: [AmendmentKind.START, AmendmentKind.EXTENSION],
        EntryStatus.EXITED: [AmendmentKind.START, AmendmentKind.EXIT],
        EntryStatus.GRADUATED: [AmendmentKind.START, AmendmentKind.GRADUATION],
        EntryStatus.REVOKED: [AmendmentKind.REVOCATION],
    }[status]
    for kind in steps:
        decision = (
            {}
            if kind == AmendmentKind.START
            else {
                "decision_number": f"{next(_numbers)}/QĐ-SKHCN",
                "decision_date": start,
            }
        )
        entry = services.entry_amend(
            user=staff,
            entry=entry,
            kind=kind,
            effective_on=start,
            new_end_date=entry.end_date + timedelta(days=180),
            note="Theo đề nghị của Sở.",
            outcome_report="Thử nghiệm đạt các chỉ tiêu an toàn.",
            lessons_learned="Cần hạ tầng sạc tại điểm giao.",
            **decision,
        )
    return entry

"""Sandbox demo data: applications in every state and register entries in every status, each with
the history of decisions that led there, made through the services. Safe to run again."""

from datetime import timedelta

from django.utils import timezone

from portal.accounts.demo import demo_user

from . import services
from .models import AmendmentKind, Application, ApplicationStatus, EntryStatus

# (participant, code, what is tested, domain, agency, area or "" for online, final status)
ENTRIES = [
    (
        "Công ty Cổ phần Ví Số Thăng Long",
        "0109100001",
        "Cho vay ngang hàng cho hộ kinh doanh",
        "fintech",
        "state_bank",
        "",
        EntryStatus.TESTING,
    ),
    (
        "Công ty TNHH Xe Tự Hành Hồ Tây",
        "0109100002",
        "Xe buýt tự hành tuyến nội khu Tây Hồ",
        "transport",
        "construction",
        "Phường Tây Hồ, tuyến Lạc Long Quân",
        EntryStatus.EXTENDED,
    ),
    (
        "Công ty Cổ phần Bay Không Người Lái Sông Hồng",
        "0109100003",
        "Giao thuốc bằng thiết bị bay không người lái",
        "drones",
        "police",
        "Xã Sóc Sơn, các trạm y tế xã",
        EntryStatus.SUSPENDED,
    ),
    (
        "Công ty TNHH Khám Bệnh Từ Xa An Khang",
        "0109100004",
        "Khám bệnh từ xa cho người cao tuổi",
        "health",
        "health",
        "",
        EntryStatus.GRADUATED,
    ),
    (
        "Công ty Cổ phần Học Liệu Số Bách Khoa",
        "0109100005",
        "Cấp chứng chỉ số cho khoá học ngắn",
        "education",
        "education",
        "",
        EntryStatus.EXITED,
    ),
    (
        "Công ty TNHH Điện Mặt Trời Mái Nhà Đông Anh",
        "0109100006",
        "Mua bán điện mặt trời mái nhà ngang hàng",
        "energy",
        "industry",
        "Xã Đông Anh",
        EntryStatus.APPROVED,
    ),
    (
        "Công ty Cổ phần Tiền Nhanh Hà Nội",
        "0109100007",
        "Ví điện tử cho vay tiêu dùng tức thì",
        "fintech",
        "state_bank",
        "",
        EntryStatus.REVOKED,
    ),
    (
        "Công ty TNHH Dịch Vụ Công Số Thủ Đô",
        "0109100008",
        "Ký số từ xa cho thủ tục hành chính",
        "e_government",
        "peoples_committee",
        "",
        EntryStatus.TESTING,
    ),
]
# How an entry reaches each status: the amendments after its approval.
PATHS = {
    EntryStatus.APPROVED: [],
    EntryStatus.TESTING: [AmendmentKind.START],
    EntryStatus.EXTENDED: [AmendmentKind.START, AmendmentKind.EXTENSION],
    EntryStatus.SUSPENDED: [AmendmentKind.START, AmendmentKind.SUSPENSION],
    EntryStatus.GRADUATED: [AmendmentKind.START, AmendmentKind.GRADUATION],
    EntryStatus.EXITED: [AmendmentKind.START, AmendmentKind.EXIT],
    EntryStatus.REVOKED: [AmendmentKind.START, AmendmentKind.REVOCATION],
}
NOTES = {
    AmendmentKind.SUSPENSION: "Tạm dừng sau sự cố hạ cánh khẩn cấp ngày 02/10; chờ báo cáo an toàn.",
    AmendmentKind.REVOCATION: "Thu hồi do vượt hạn mức khách hàng được phép và thu phí trái quy định.",
}
OUTCOME = (
    "Thử nghiệm đạt các chỉ tiêu an toàn và bảo vệ khách hàng; không phát sinh khiếu nại nghiêm "
    "trọng. Đề xuất sửa đổi quy định để áp dụng rộng rãi."
)
LESSONS = "Cần quy trình xác thực khách hàng điện tử thống nhất và kênh báo cáo sự cố 24/7."


def _application(applicant, participant, code, title, domain, area):
    return services.application_create(
        user=applicant,
        fields={
            "organisation_name": participant,
            "enterprise_code": code,
            "title": title,
            "technology": f"{title}: giải pháp do doanh nghiệp tự phát triển tại Hà Nội.",
            "regulation_to_relax": "Điều kiện cấp phép hoạt động chưa có quy định cho mô hình mới.",
            "domain": domain,
            "test_space": "physical" if area else "online",
            "test_area": area,
            "duration_months": 12,
            "customer_cap": 2000,
            "transaction_cap_vnd": 50_000_000 if domain == "fintech" else None,
            "risk_measures": "Giới hạn quy mô, giám sát theo thời gian thực, dừng khẩn cấp.",
            "consumer_protection": "Công khai rủi ro, bảo hiểm, kênh khiếu nại trong 24 giờ.",
            "exit_plan": "Chấm dứt dịch vụ, hoàn trả số dư và bàn giao dữ liệu trong 30 ngày.",
        },
    )


def seed_demo_sandbox(write) -> None:
    if Application.objects.filter(enterprise_code__startswith="01091").exists():
        write("Sandbox: demo data already there")
        return
    staff = demo_user("staff@example.org")
    founder = demo_user("founder@example.org")
    today = timezone.localdate()
    for number, (participant, code, title, domain, agency, area, status) in enumerate(
        ENTRIES, start=1
    ):
        application = _application(founder, participant, code, title, domain, area)
        application = services.application_submit(user=founder, application=application)
        decided = today - timedelta(days=300 - number * 20)
        entry = services.application_approve(
            user=staff,
            application=application,
            decision_number=f"{100 + number}/QĐ-UBND",
            decision_date=decided,
            agency=agency,
            scope=f"Thử nghiệm có kiểm soát: {title.lower()}.",
            exemptions="Miễn một số điều kiện cấp phép trong thời gian thử nghiệm.",
            conditions="Báo cáo định kỳ hằng tháng; dừng ngay khi có sự cố ảnh hưởng khách hàng.",
            start_date=decided + timedelta(days=7),
            end_date=decided + timedelta(days=372),
        )
        for step, kind in enumerate(PATHS[status], start=1):
            effective = min(decided + timedelta(days=7 + step * 40), today)
            decision = (
                {}
                if kind == AmendmentKind.START
                else {"decision_number": f"{200 + number * 10 + step}/QĐ-SKHCN"}
            )
            entry = services.entry_amend(
                user=staff,
                entry=entry,
                kind=kind,
                effective_on=effective,
                decision_date=effective if decision else None,
                new_end_date=entry.end_date + timedelta(days=180),
                note=NOTES.get(kind, ""),
                outcome_report=OUTCOME,
                lessons_learned=LESSONS,
                **decision,
            )
    # Applications still on the way: one of each state before a decision.
    for status, (participant, code, title) in zip(
        (
            ApplicationStatus.DRAFT,
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.INFO_REQUESTED,
            ApplicationStatus.REJECTED,
        ),
        [
            ("Công ty TNHH Robot Phục Vụ Hoàn Kiếm", "0109100011", "Robot phục vụ tại phố đi bộ"),
            ("Công ty Cổ phần Thanh Toán QR Phố Cổ", "0109100012", "Thanh toán QR cho du khách"),
            ("Công ty TNHH Taxi Bay Long Biên", "0109100013", "Taxi bay chở khách nội đô"),
            ("Công ty TNHH Tín Dụng Nhanh 24h", "0109100014", "Cho vay tín chấp qua mạng xã hội"),
        ],
        strict=True,
    ):
        application = _application(founder, participant, code, title, "other", "")
        if status == ApplicationStatus.DRAFT:
            continue
        application = services.application_submit(user=founder, application=application)
        if status == ApplicationStatus.INFO_REQUESTED:
            services.application_request_info(
                user=staff, application=application, note="Bổ sung phương án bảo hiểm hành khách."
            )
        elif status == ApplicationStatus.REJECTED:
            services.application_reject(
                user=staff, application=application, note="Mô hình không thuộc phạm vi thử nghiệm."
            )
    write(f"Sandbox: {len(ENTRIES)} register entries in every status, 4 applications in progress")

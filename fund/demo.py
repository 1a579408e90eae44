"""Fund demo data, made through the services as founders, reviewers and fund managers would:
the fund and its capital, the /fund/ pages with an open call and a closed pilot call, applications
in every stage with reviews, and investments with tranches in every state. Safe to run again."""

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import Locale

from portal.accounts.demo import demo_user
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.accounts.services import user_create, user_grant_role
from portal.pages.demo import menu_add, publish, translation_of
from portal.pages.models import HomePage, MenuSlot
from startups.models import Startup, Status

from . import services
from .models import (
    Application,
    ApplicationStatus,
    CallPage,
    CallQuestion,
    CapitalCommitment,
    Criterion,
    Fund,
    FundIndexPage,
    Tranche,
    TrancheStatus,
)

BILLION = 1_000_000_000
FUND_NAME = "Quỹ Đầu tư mạo hiểm Hà Nội"
CAPITAL = [
    ("city_budget", "Ngân sách Thành phố Hà Nội", 600 * BILLION, date(2026, 3, 1)),
    ("private_investor", "Công ty Cổ phần Sông Hồng Ventures", 150 * BILLION, date(2026, 5, 20)),
    ("private_investor", "Quỹ Thăng Long Capital", 100 * BILLION, date(2026, 9, 10)),
]
# A minimal valid PDF: what a founder's pitch deck is checked against (content, not name).
DEMO_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
REVIEWERS = ["reviewer@example.org", "reviewer2@demo.example.vn", "reviewer3@demo.example.vn"]

INDEX = {
    "vi": (
        "Quỹ Đầu tư mạo hiểm Hà Nội",
        "<p>Quỹ đầu tư vào doanh nghiệp khởi nghiệp sáng tạo đã được xác minh trên Cổng, theo "
        "từng đợt gọi vốn. Mục tiêu quy mô quỹ: ít nhất <b>1.000 tỷ đồng</b>.</p>",
    ),
    "en": (
        "Hanoi Venture Capital Fund",
        "<p>The fund invests in verified innovative startups of the portal's registry, call by "
        "call. Target size: at least <b>1,000 billion VND</b>.</p>",
    ),
}
QUESTIONS = [
    ("Vì sao Hà Nội cần giải pháp của bạn?", "Nêu vấn đề của Thành phố mà bạn giải quyết."),
    ("Bạn sẽ đạt cột mốc nào trong 12 tháng tới?", ""),
]
# (call, final status, amount requested in billions) for the demo applications.
OPEN_CALL_STAGES = [
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.DUE_DILIGENCE,
    ApplicationStatus.COMMITTEE,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
]
PILOT_CALL_STAGES = [
    ApplicationStatus.APPROVED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
]


def pdf_upload(name: str = "pitch.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def rubric(score: int, comment: str = "") -> dict:
    return dict.fromkeys(Criterion, (score, comment))


def walk_to(
    application: Application,
    status: str,
    *,
    founder: User,
    manager: User,
    reviewers: Sequence[User],
    review_score: int = 4,
) -> Application:
    """Moves a draft application to `status` the way its people would: the founder attaches
    a pitch deck and submits, the manager moves it on and assigns the reviewers, who declare
    and score (reviewers stay undeclared at due diligence), the committee approves."""
    if status == ApplicationStatus.DRAFT:
        return application
    services.attachment_add(
        user=founder, application=application, kind="pitch_deck", upload=pdf_upload("pitch.pdf")
    )
    if status == ApplicationStatus.WITHDRAWN:
        return services.application_withdraw(
            user=founder, application=application, note="Đã nhận vốn từ nhà đầu tư khác."
        )
    application = services.application_submit(user=founder, application=application)
    if status == ApplicationStatus.SUBMITTED:
        return application
    if status == ApplicationStatus.REJECTED:
        return services.application_reject(
            user=manager,
            application=application,
            note="Chưa phù hợp luận điểm đầu tư của đợt gọi vốn.",
        )
    application = services.application_advance(user=manager, application=application)
    if status == ApplicationStatus.SCREENING:
        return application
    if status == ApplicationStatus.INFO_REQUESTED:
        return services.application_request_info(
            user=manager,
            application=application,
            note="Đề nghị gửi báo cáo tài chính năm 2025 và bảng cơ cấu cổ đông.",
        )
    application = services.application_advance(user=manager, application=application)
    for reviewer in reviewers:
        assignment = services.reviewer_assign(
            user=manager, application=application, reviewer=reviewer
        )
        if status == ApplicationStatus.DUE_DILIGENCE:
            continue
        services.assignment_declare(user=reviewer, assignment=assignment, has_conflict=False)
        services.review_submit(
            user=reviewer,
            assignment=assignment,
            scores=rubric(review_score, "Đánh giá dựa trên hồ sơ và buổi làm việc với đội ngũ."),
            recommendation="invest" if review_score >= 4 else "invest_with_conditions",
        )
    if status == ApplicationStatus.DUE_DILIGENCE:
        return application
    application = services.application_advance(user=manager, application=application)
    if status == ApplicationStatus.COMMITTEE:
        return application
    if status == ApplicationStatus.APPROVED:
        services.application_approve(
            user=manager,
            application=application,
            amount_vnd=application.amount_requested_vnd,
            instrument=application.instrument,
            pre_money_valuation_vnd=application.pre_money_valuation_vnd,
            conditions="Báo cáo tài chính hằng quý; quỹ có một ghế quan sát viên HĐQT.",
            decided_on=timezone.localdate() - timedelta(days=120),
        )
        application.refresh_from_db()
        return application
    raise ValueError(status)


def _reviewers() -> list[User]:
    reviewers = []
    for email in REVIEWERS:
        user = User.objects.filter(email=email).first() or user_create(
            email=email, password=None, email_verified=True
        )
        if not user.groups.filter(name="Reviewer").exists():
            user_grant_role(user=user, role=Role.REVIEWER)
        reviewers.append(user)
    return reviewers


def _fund() -> Fund:
    fund = Fund.objects.filter(name=FUND_NAME).first()
    if fund is None:
        fund = Fund.objects.create(name=FUND_NAME)
        for order, (source, investor, amount, committed_on) in enumerate(CAPITAL):
            CapitalCommitment.objects.create(
                fund=fund,
                sort_order=order,
                source=source,
                investor=investor,
                amount_vnd=amount,
                committed_on=committed_on,
            )
    return fund


def _pages(fund: Fund) -> tuple[FundIndexPage, CallPage, CallPage]:
    vi = Locale.get_default()
    en, _ = Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.get(locale=vi)
    index = FundIndexPage.objects.filter(locale=vi).first()
    if index is None:
        title, intro = INDEX["vi"]
        index = publish(
            home.add_child(instance=FundIndexPage(title=title, slug="fund", intro=intro))
        )
        title, intro = INDEX["en"]
        index_en = translation_of(index, en, title=title, slug="fund", intro=intro)
        menu_add(MenuSlot.MAIN, vi, "Quỹ đầu tư", index)
        menu_add(MenuSlot.MAIN, en, "Venture fund", index_en)
    today = timezone.localdate()
    open_call = _call(
        index,
        fund,
        slug="dot-goi-von-2026-do-thi-thong-minh",
        title="Đợt gọi vốn 2026: Đô thị thông minh và trí tuệ nhân tạo",
        summary="Đầu tư 2–20 tỷ đồng vào doanh nghiệp giải bài toán đô thị của Hà Nội bằng AI.",
        sectors=["ai", "smart_city", "mobility", "cleantech"],
        ticket=(2 * BILLION, 20 * BILLION),
        opens_on=today - timedelta(days=20),
        closes_on=today + timedelta(days=40),
    )
    pilot_call = _call(
        index,
        fund,
        slug="dot-thi-diem-2026",
        title="Đợt thí điểm 2026: Doanh nghiệp công nghệ giai đoạn hạt giống",
        summary="Đợt thí điểm đầu tiên của Quỹ, đầu tư 1–15 tỷ đồng vào giai đoạn hạt giống.",
        sectors=[],
        ticket=(1 * BILLION, 15 * BILLION),
        opens_on=today - timedelta(days=200),
        closes_on=today - timedelta(days=140),
    )
    return index, open_call, pilot_call


def _call(index, fund, *, slug, title, summary, sectors, ticket, opens_on, closes_on) -> CallPage:
    existing = CallPage.objects.child_of(index).filter(slug=slug).first()
    if existing:
        return existing
    call = CallPage(
        slug=slug,
        title=title,
        fund=fund,
        summary=summary,
        thesis="<p>Quỹ tìm doanh nghiệp có sản phẩm đã được khách hàng ở Hà Nội sử dụng, đội "
        "ngũ có năng lực công nghệ và kế hoạch tăng trưởng rõ ràng.</p>",
        sectors=sectors,
        ticket_min_vnd=ticket[0],
        ticket_max_vnd=ticket[1],
        opens_on=opens_on,
        closes_on=closes_on,
        eligibility="<ul><li>Doanh nghiệp khởi nghiệp sáng tạo đã được xác minh trên Cổng.</li>"
        "<li>Trụ sở hoặc hoạt động chính tại Hà Nội.</li></ul>",
    )
    for order, (text, help_text) in enumerate(QUESTIONS):
        call.questions.add(CallQuestion(sort_order=order, text=text, help_text=help_text))
    return publish(index.add_child(instance=call))


def _apply(call, startup, founder, amount_billion: int, n: int) -> Application:
    answers = {
        str(question.pk): f"{startup.name}: {question.text.lower().rstrip('?')} — trả lời chi tiết."
        for question in call.questions.all()
    }
    return services.application_create(
        user=founder,
        call=call,
        startup=startup,
        fields={
            "amount_requested_vnd": amount_billion * BILLION,
            "instrument": ("equity", "convertible_note", "safe")[n % 3],
            "pre_money_valuation_vnd": amount_billion * 8 * BILLION,
            "use_of_funds": "60 % phát triển sản phẩm, 30 % mở rộng thị trường, 10 % vận hành.",
            "traction": f"{40 + n * 7} khách hàng trả phí; doanh thu tăng {2 + n % 3} lần năm 2025.",
            "team": "Đội ngũ sáng lập có kinh nghiệm kỹ thuật và kinh doanh tại Hà Nội.",
        },
        answers=answers,
        co_investors=[("Công ty Cổ phần Sông Hồng Ventures", amount_billion * BILLION // 2)]
        if n % 2
        else [],
    )


def _tranches(investment, manager, founder, index: int) -> None:
    """Three tranches per investment, in a different state for each demo investment."""
    today = timezone.localdate()
    share = investment.amount_vnd // 3
    plan = [
        (share, today - timedelta(days=100), "Ký thỏa thuận đầu tư và hoàn tất thủ tục góp vốn."),
        (share, today - timedelta(days=15 - index * 20), "Đạt 200 khách hàng trả phí."),
        (investment.amount_vnd - 2 * share, today + timedelta(days=120), "Doanh thu quý đạt 5 tỷ."),
    ]
    tranches = [
        services.tranche_add(
            user=manager, investment=investment, amount_vnd=amount, planned_on=on, conditions=text
        )
        for amount, on, text in plan
    ]
    first, second, _third = tranches
    services.tranche_evidence_add(
        user=founder,
        tranche=first,
        upload=pdf_upload("bien-ban-gop-von.pdf"),
        note="Biên bản góp vốn",
    )
    services.tranche_approve_requirements(user=manager, tranche=first)
    services.tranche_disburse(user=manager, tranche=first, disbursed_on=today - timedelta(days=95))
    if index == 0:
        services.tranche_evidence_add(
            user=founder,
            tranche=second,
            upload=pdf_upload("bao-cao-khach-hang.pdf"),
            note="Danh sách khách hàng",
        )
        services.tranche_approve_requirements(user=manager, tranche=second)
    elif index == 2:
        services.tranche_hold(
            user=manager, tranche=second, note="Tạm giữ: chờ báo cáo kiểm toán bổ sung."
        )


def seed_demo_fund(write) -> None:
    fund = _fund()
    _index, open_call, pilot_call = _pages(fund)
    if Application.objects.filter(call__in=[open_call, pilot_call]).exists():
        write("Fund: demo data already there")
        return
    manager = demo_user("manager@example.org")
    demo_founder = demo_user("founder@example.org")
    reviewers = _reviewers()
    verified = list(
        Startup.objects.filter(status=Status.VERIFIED, memberships__isnull=False)
        .exclude(memberships__user=demo_founder)
        .order_by("pk")
        .distinct()[: max(len(OPEN_CALL_STAGES), len(PILOT_CALL_STAGES))]
    )
    founders_startup = Startup.objects.filter(
        status=Status.VERIFIED, memberships__user=demo_founder
    ).first()
    # The demo founder has an investment with tranches and a request for information to answer.
    plan = (
        [
            (pilot_call, ApplicationStatus.APPROVED, founders_startup),
            (open_call, ApplicationStatus.INFO_REQUESTED, founders_startup),
        ]
        if founders_startup
        else []
    )
    # A startup may apply to each call once: the pilot's investees apply again to the open call.
    for call, stages in ((pilot_call, PILOT_CALL_STAGES), (open_call, OPEN_CALL_STAGES)):
        plan += [(call, status, startup) for status, startup in zip(stages, verified, strict=False)]
    # Applications are made while each call is open; the pilot call closes again afterwards.
    today = timezone.localdate()
    pilot_dates = (pilot_call.opens_on, pilot_call.closes_on)
    pilot_call.closes_on = today
    publish(pilot_call)
    approved = 0
    for n, (call, status, startup) in enumerate(plan):
        founder = startup.memberships.select_related("user").first().user
        application = _apply(call, startup, founder, amount_billion=3 + (n * 4) % 12, n=n)
        application = walk_to(
            application,
            status,
            founder=founder,
            manager=manager,
            reviewers=reviewers[1:] if status != ApplicationStatus.DUE_DILIGENCE else reviewers[:1],
            review_score=3 + n % 3,
        )
        if status == ApplicationStatus.APPROVED:
            _tranches(application.investment, manager, founder, approved)
            approved += 1
    pilot_call.opens_on, pilot_call.closes_on = pilot_dates
    publish(pilot_call)
    disbursed = sum(
        tranche.amount_vnd for tranche in Tranche.objects.filter(status=TrancheStatus.DISBURSED)
    )
    write(
        f"Fund: {FUND_NAME}, {len(CAPITAL)} capital commitments, 2 calls, {len(plan)} applications "
        f"in every stage, {approved} investments ({disbursed:,} VND disbursed)"
    )

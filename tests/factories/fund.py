"""Fund records built through the services, as users would build them."""

import itertools
from datetime import date, timedelta

from wagtail.models import Page, Site

from fund import services
from fund.demo import pdf_upload as demo_pdf_upload
from fund.demo import rubric, walk_to
from fund.models import (
    ApplicationStatus,
    CallPage,
    CallQuestion,
    CapitalCommitment,
    Fund,
    FundIndexPage,
)
from portal.accounts.roles import Role
from startups.models import Status

from . import make_user
from .startups import make_startup

_numbers = itertools.count(1)
BILLION = 1_000_000_000


def make_fund(*, capital=(("city_budget", "UBND TP Hà Nội", 600 * BILLION),), **fields) -> Fund:
    fund = Fund.objects.create(name=fields.pop("name", "Quỹ Đầu tư mạo hiểm Hà Nội"), **fields)
    for source, investor, amount in capital:
        CapitalCommitment.objects.create(
            fund=fund,
            source=source,
            investor=investor,
            amount_vnd=amount,
            committed_on=date(2026, 1, 15),
        )
    return fund


def fund_index() -> FundIndexPage:
    index = FundIndexPage.objects.first()
    if index is None:
        site = Site.objects.filter(is_default_site=True).first()
        parent = site.root_page if site else Page.get_first_root_node()
        index = parent.add_child(instance=FundIndexPage(title="Quỹ đầu tư", slug="quy"))
    return index


def make_call(*, fund=None, questions=("Vì sao Hà Nội cần giải pháp này?",), **fields) -> CallPage:
    n = next(_numbers)
    today = date.today()
    values = {
        "title": f"Đợt gọi vốn {n}",
        "slug": f"dot-goi-von-{n}",
        "summary": "Đầu tư vào doanh nghiệp công nghệ giai đoạn đầu.",
        "thesis": "<p>Công nghệ phục vụ đô thị thông minh.</p>",
        "sectors": ["ai", "smart_city"],
        "ticket_min_vnd": 1 * BILLION,
        "ticket_max_vnd": 20 * BILLION,
        "opens_on": today - timedelta(days=10),
        "closes_on": today + timedelta(days=30),
        "eligibility": "<p>Doanh nghiệp khởi nghiệp đã được xác minh.</p>",
    }
    values.update(fields)
    call = CallPage(fund=fund or Fund.objects.first() or make_fund(), **values)
    for text in questions:
        call.questions.add(CallQuestion(text=text, required=True))
    fund_index().add_child(instance=call)
    call.save_revision().publish()
    return CallPage.objects.get(pk=call.pk)


def application_content(call: CallPage, **fields) -> dict:
    values = {
        "amount_requested_vnd": 5 * BILLION,
        "instrument": "equity",
        "pre_money_valuation_vnd": 40 * BILLION,
        "use_of_funds": "Mở rộng đội kỹ thuật và triển khai tại 10 phường.",
        "traction": "120 khách hàng doanh nghiệp, doanh thu tăng 3 lần.",
        "team": "Ba nhà sáng lập, 8 năm kinh nghiệm.",
    }
    values.update(fields)
    return values


def full_scores(score: int = 4) -> dict:
    return rubric(score, "Tốt")


# Tests upload the same minimal PDF the demo founders do.
pdf_upload = demo_pdf_upload


def make_application(
    *,
    status: str = ApplicationStatus.DRAFT,
    call=None,
    startup=None,
    founder=None,
    manager=None,
    reviewers=None,
    co_investors=(),
    **fields,
):
    """An application moved to `status` through the services (with two submitted reviews on
    the way to the committee; the reviewers are assigned but undeclared at due diligence)."""
    call = call or make_call()
    founder = founder or (startup.memberships.first().user if startup else make_user())
    startup = startup or make_startup(owner=founder, status=Status.VERIFIED)
    answers = {str(question.pk): "Vì thành phố cần." for question in call.questions.all()}
    application = services.application_create(
        user=founder,
        call=call,
        startup=startup,
        fields=application_content(call, **fields),
        answers=answers,
        co_investors=list(co_investors),
    )
    return walk_to(
        application,
        status,
        founder=founder,
        manager=manager or make_user(Role.FUND_MANAGER),
        reviewers=reviewers or [make_user(Role.REVIEWER), make_user(Role.REVIEWER)],
    )


def make_investment(**kwargs):
    return make_application(status=ApplicationStatus.APPROVED, **kwargs).investment

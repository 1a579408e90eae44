import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from fund.models import Application, ApplicationStatus, Assignment, Tranche, TrancheStatus
from portal.accounts.roles import Role
from portal.accounts.services import user_create, user_grant_role
from startups.models import Status
from tests.e2e.conftest import sign_in
from tests.factories.fund import make_call, make_fund
from tests.factories.startups import make_startup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _second_reviewer(settings):
    reviewer = user_create(
        email="reviewer.two@example.org",
        password=settings.DEMO_PASSWORD,
        email_verified=True,
    )
    user_grant_role(user=reviewer, role=Role.REVIEWER)
    TOTP.activate(reviewer, settings.DEMO_TOTP_SECRET)
    return reviewer


def _submit_action(page, action: str) -> None:
    page.locator(f"form:has(input[name=action][value={action}]) button[type=submit]").click()
    page.wait_for_load_state()


def test_founder_applies_reviewers_score_committee_approves_tranche_disbursed(
    browser, live_server, accounts, settings
):
    base = live_server.url
    from portal.accounts.models import User

    founder = User.objects.get(email="founder@example.org")
    startup = make_startup(owner=founder, status=Status.VERIFIED, name="Công ty Cổ phần Lúa Số")
    make_fund()
    call = make_call(title="Đợt gọi vốn nông nghiệp số", slug="nong-nghiep-so")
    question = call.questions.first()
    second_reviewer = _second_reviewer(settings)

    # The founder applies from the call page.
    company = browser.new_context(locale="vi-VN").new_page()
    sign_in(company, base, "founder@example.org")
    company.goto(f"{base}{call.url}")
    company.locator(f"a[href*='/fund/applications/new/{call.pk}/']").first.click()
    company.locator("main form button[type=submit]").click()
    company.wait_for_url(re.compile(r".*/fund/applications/\d+/edit/$"))
    company.fill("input[name=amount_requested_vnd]", "5000000000")
    company.select_option("select[name=instrument]", "equity")
    company.fill("input[name=pre_money_valuation_vnd]", "40000000000")
    company.fill("[name=use_of_funds]", "Mở rộng hệ thống cảm biến ruộng lúa tại Đông Anh.")
    company.fill("[name=traction]", "30 hợp tác xã đang dùng, doanh thu tăng gấp đôi.")
    company.fill("[name=team]", "Hai kỹ sư nông nghiệp và một kỹ sư phần mềm.")
    company.fill(f"[name=question_{question.pk}]", "Giảm 20 % nước tưới cho nông dân ngoại thành.")
    company.click("form.profile-form button[type=submit]")
    company.wait_for_url(re.compile(r".*/fund/applications/\d+/$"))
    upload = company.locator("form[action$='/attachments/']")
    upload.locator("select[name=kind]").select_option("pitch_deck")
    upload.locator("input[type=file]").set_input_files(
        {"name": "pitch-deck.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    upload.locator("button[type=submit]").click()
    company.wait_for_load_state()
    company.locator("form[action$='/submit/'] button").click()
    company.wait_for_load_state()
    application = Application.objects.get(startup=startup)
    assert application.status == ApplicationStatus.SUBMITTED

    # The fund manager screens it, moves it to due diligence and assigns two reviewers.
    manager = browser.new_context(locale="vi-VN").new_page()
    sign_in(manager, base, "manager@example.org", settings.DEMO_TOTP_SECRET)
    manage_url = f"{base}/admin/fund/applications/{application.pk}/"
    manager.goto(manage_url)
    _submit_action(manager, "advance")
    _submit_action(manager, "advance")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DUE_DILIGENCE
    for reviewer in (User.objects.get(email="reviewer@example.org"), second_reviewer):
        manager.goto(manage_url)
        assign = manager.locator("form:has(input[name=action][value=assign])")
        assign.locator("select[name=assign-reviewer]").select_option(str(reviewer.pk))
        assign.locator("button[type=submit]").click()
        manager.wait_for_load_state()
    assert application.assignments.count() == 2

    # Each reviewer declares no conflict, then scores the rubric.
    for email in ("reviewer@example.org", second_reviewer.email):
        assignment = Assignment.objects.get(application=application, reviewer__email=email)
        reviewer_page = browser.new_context(locale="vi-VN").new_page()
        sign_in(reviewer_page, base, email, settings.DEMO_TOTP_SECRET)
        reviewer_page.goto(f"{base}/admin/fund/reviews/{assignment.pk}/")
        assert "Mở rộng hệ thống cảm biến" not in reviewer_page.content()
        reviewer_page.check("input[name=declaration][value=none]")
        _submit_action(reviewer_page, "declare")
        assert "Mở rộng hệ thống cảm biến" in reviewer_page.content()
        for criterion in ("team", "market", "product", "traction", "financials", "impact"):
            reviewer_page.check(f"input[name={criterion}][value='4']")
        reviewer_page.check("input[name=recommendation][value=invest]")
        _submit_action(reviewer_page, "review")
        reviewer_page.context.close()
    assert application.assignments.filter(submitted_at__isnull=False).count() == 2

    # The committee approves; the manager plans a tranche and disburses it.
    manager.goto(manage_url)
    _submit_action(manager, "advance")
    _submit_action(manager, "approve")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    tranche_form = manager.locator("form:has(input[name=action][value=add_tranche])")
    tranche_form.locator("input[name=add_tranche-amount_vnd]").fill("2000000000")
    tranche_form.locator("input[name=add_tranche-planned_on]").fill("2026-12-15")
    tranche_form.locator("button[type=submit]").click()
    manager.wait_for_load_state()
    tranche = Tranche.objects.get(investment__application=application)
    manager.goto(f"{base}/admin/fund/tranches/{tranche.pk}/")
    _submit_action(manager, "requirements")
    _submit_action(manager, "disburse")
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.DISBURSED

    # The fund dashboard shows the new disbursement rate: 2 of 5 billion.
    manager.goto(f"{base}/admin/fund/dashboard/")
    assert manager.locator("#disbursement-rate").inner_text().startswith("40")

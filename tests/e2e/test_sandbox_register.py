import re
from datetime import date, timedelta

import pytest

from sandbox.models import Application, ApplicationStatus, Entry, EntryStatus
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_company_applies_staff_approve_public_finds_it_then_suspension_shows(
    browser, live_server, accounts, settings
):
    base = live_server.url
    today = date.today()

    company = browser.new_context(locale="vi-VN").new_page()
    sign_in(company, base, "founder@example.org")
    company.goto(f"{base}/me/sandbox/new/")
    company.fill("input[name=organisation_name]", "Công ty Cổ phần Giao Hàng Đường Không")
    company.fill("input[name=enterprise_code]", "0109555777")
    company.fill("input[name=title]", "Giao hàng bằng thiết bị bay ở Sóc Sơn")
    company.fill("[name=technology]", "Thiết bị bay không người lái chở hàng dưới 5 kg.")
    company.fill("[name=regulation_to_relax]", "Quy định cấp phép bay cho thiết bị nhỏ.")
    company.select_option("select[name=domain]", "drones")
    company.select_option("select[name=test_space]", "physical")
    company.fill("input[name=test_area]", "Xã Sóc Sơn")
    company.fill("input[name=duration_months]", "12")
    company.fill("[name=risk_measures]", "Vùng bay cách ly, giám sát thời gian thực.")
    company.fill("[name=consumer_protection]", "Bảo hiểm hàng hoá và bên thứ ba.")
    company.fill("[name=exit_plan]", "Dừng bay và thu hồi thiết bị trong 7 ngày.")
    company.click("form.profile-form button[type=submit]")
    company.wait_for_url(re.compile(r".*/me/sandbox/\d+/$"))
    company.click("form[action$='/submit/'] button")
    company.wait_for_load_state()
    application = Application.objects.get(enterprise_code="0109555777")
    assert application.status == ApplicationStatus.SUBMITTED

    staff = browser.new_context(locale="vi-VN").new_page()
    sign_in(staff, base, "staff@example.org", settings.DEMO_TOTP_SECRET)
    staff.goto(f"{base}/admin/sandbox/applications/{application.pk}/")
    approval = staff.locator("form:has(input[name=action][value=approve])")
    approval.locator("input[name=decision_number]").fill("321/QĐ-UBND")
    approval.locator("input[name=decision_date]").fill(today.isoformat())
    approval.locator("select[name=agency]").select_option("police")
    approval.locator("[name=scope]").fill("Giao hàng thử nghiệm trong địa bàn xã Sóc Sơn.")
    approval.locator("[name=exemptions]").fill("Miễn giấy phép bay cho từng chuyến.")
    approval.locator("[name=conditions]").fill("Chỉ bay ban ngày, dưới 120 m.")
    approval.locator("input[name=start_date]").fill(today.isoformat())
    approval.locator("input[name=end_date]").fill((today + timedelta(days=180)).isoformat())
    approval.locator("button[type=submit]").click()
    staff.wait_for_url(re.compile(r".*/admin/sandbox/entries/\d+/$"))
    entry = Entry.objects.get(decision_number="321/QĐ-UBND")

    public = browser.new_context(locale="vi-VN").new_page()
    public.goto(f"{base}/sandbox/?q=giao+hang+thiet+bi+bay")
    public.click("text=Công ty Cổ phần Giao Hàng Đường Không")
    public.wait_for_url(f"{base}/sandbox/{entry.slug}/")
    assert "321/QĐ-UBND" in public.content()

    staff.check("input[name=kind][value=suspension]")
    staff.fill("input[name=effective_on]", today.isoformat())
    staff.fill("input[name=decision_number]", "322/QĐ-UBND")
    staff.fill("input[name=decision_date]", today.isoformat())
    staff.fill("[name=note]", "Tạm dừng sau sự cố rơi thiết bị ngày hôm qua.")
    staff.click("form:has(input[name=kind]) button[type=submit]")
    staff.wait_for_load_state()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUSPENDED

    public.reload()
    history = public.content()
    assert "322/QĐ-UBND" in history
    assert "Tạm dừng sau sự cố rơi thiết bị ngày hôm qua." in history

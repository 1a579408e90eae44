import re

import pytest

from startups.models import Startup, Status
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_founder_registers_staff_verify_public_finds_it(browser, live_server, accounts, settings):
    base = live_server.url

    founder = browser.new_context(locale="vi-VN").new_page()
    sign_in(founder, base, "founder@example.org")
    founder.goto(f"{base}/me/startups/new/")
    founder.fill("input[name=name]", "Công ty Cổ phần Rau Sạch Đông Anh")
    founder.fill("input[name=enterprise_code]", "0109876543")
    founder.select_option("select[name=legal_form]", "jsc")
    founder.select_option("select[name=commune]", label="Xã Đông Anh")
    founder.select_option("select[name=stage]", "seed")
    founder.check("input[name=sectors][value=agritech]")
    founder.fill("[name=pitch]", "Rau hữu cơ từ nông trại Đông Anh giao tận nhà trong ngày.")
    founder.fill("input[name=revenue_vnd]", "3.500.000.000")
    founder.fill("input[name=revenue_year]", "2025")
    founder.select_option("select[name=revenue_source]", "audited")
    founder.click("form.profile-form button[type=submit]")
    founder.wait_for_url(re.compile(r".*/me/startups/\d+/$"))
    founder.click("form[action$='/submit/'] button")
    founder.wait_for_load_state()
    startup = Startup.objects.get(enterprise_code="0109876543")
    assert startup.status == Status.SUBMITTED

    staff = browser.new_context(locale="vi-VN").new_page()
    sign_in(staff, base, "staff@example.org", settings.DEMO_TOTP_SECRET)
    staff.goto(f"{base}/admin/startups_startup/")
    staff.click(f"a[href='/admin/startups/review/{startup.pk}/']")
    staff.check("input[name=decision][value=verified]")
    staff.click("main form button[type=submit]")
    staff.wait_for_url(f"{base}/admin/startups_startup/")
    startup.refresh_from_db()
    assert startup.status == Status.VERIFIED

    public = browser.new_context(locale="vi-VN").new_page()
    public.goto(f"{base}/startups/?q=rau+sach+dong+anh")
    public.click("text=Công ty Cổ phần Rau Sạch Đông Anh")
    public.wait_for_url(f"{base}/startups/{startup.slug}/")
    assert "Rau hữu cơ từ nông trại Đông Anh" in public.content()
    assert "3.500.000.000" not in public.content()  # revenue stays private

"""The enquiry page at /me/technologies/enquiries/<pk>/, the same for both parties: the
conversation, the answer deadline both see, the overdue flag, and the owner's reply, decline and
deal. Anyone else is told it does not exist."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from portal.accounts.roles import Role
from portal.notifications.models import Notification
from tech_exchange.models import Deal, Enquiry, EnquiryMessage, EnquiryStatus
from tests.conftest import page
from tests.factories import make_user, with_mfa
from tests.factories.tech_exchange import make_enquiry

pytestmark = pytest.mark.django_db


def url(enquiry) -> str:
    return f"/en/me/technologies/enquiries/{enquiry.pk}/"


def snapshot(enquiry) -> dict:
    enquiry = Enquiry.objects.get(pk=enquiry.pk)
    return {
        "status": enquiry.status,
        "answered_at": enquiry.answered_at,
        "decline_reason": enquiry.decline_reason,
        "agreed_amount_vnd": enquiry.agreed_amount_vnd,
        "messages": enquiry.messages.count(),
        "steps": enquiry.steps.count(),
        "deals": Deal.objects.filter(enquiry=enquiry).count(),
    }


def due_attribute(enquiry) -> str:
    return f'datetime="{timezone.localtime(enquiry.answer_due_at).isoformat()}"'


# --- both parties --------------------------------------------------------------------------------


def test_both_parties_see_the_conversation_and_the_answer_deadline(client):
    enquiry = make_enquiry()
    for user in (enquiry.sender, enquiry.listing.owner):
        client.force_login(user)
        html = page(client.get(url(enquiry)))
        assert "Answer due by" in html
        assert due_attribute(enquiry) in html
        assert "Chúng tôi muốn triển khai tại 20 phường." in html
        assert enquiry.listing.title in html
        assert "Awaiting the owner&#x27;s answer" in html
        assert "Overdue" not in html
        assert 'name="body"' in html
    # Only the owner decides.
    client.force_login(enquiry.sender)
    assert 'name="reason"' not in page(client.get(url(enquiry)))
    client.force_login(enquiry.listing.owner)
    owner_page = page(client.get(url(enquiry)))
    assert 'name="reason"' in owner_page
    assert "Your first answer starts the negotiation." in owner_page
    # A deal is recorded only once the negotiation has started.
    assert 'name="amount_vnd"' not in owner_page


def test_the_deadline_is_shown_on_both_sides_lists(client):
    enquiry = make_enquiry()
    for user in (enquiry.sender, enquiry.listing.owner):
        client.force_login(user)
        assert due_attribute(enquiry) in page(client.get("/en/me/technologies/"))


def test_an_overdue_enquiry_is_flagged_to_both(client):
    enquiry = make_enquiry()
    with time_machine.travel(enquiry.answer_due_at + timedelta(hours=1), tick=False):
        client.force_login(enquiry.listing.owner)
        owner_page = page(client.get(url(enquiry)))
        assert "Overdue" in owner_page
        assert "The answer is overdue. Reply or decline now" in owner_page
        client.force_login(enquiry.sender)
        sender_page = page(client.get(url(enquiry)))
        assert "Overdue" in sender_page
        assert "The owner and the Department of Science and Technology are told" in sender_page


def test_the_owners_first_reply_starts_the_negotiation(client):
    enquiry = make_enquiry()
    owner = enquiry.listing.owner
    client.force_login(owner)
    response = client.post(url(enquiry), {"action": "reply", "body": "Mời anh chị họp tuần sau."})
    assert response.status_code == 302
    assert response["Location"] == url(enquiry)
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.NEGOTIATING
    assert enquiry.answered_at is not None
    assert Notification.objects.filter(recipient=enquiry.sender, url=url(enquiry)[3:]).exists()

    html = page(client.get(url(enquiry)))
    assert "Your message is sent." in html
    assert "Mời anh chị họp tuần sau." in html
    assert "Answered on" in html
    assert 'name="amount_vnd"' in html

    client.force_login(enquiry.sender)
    client.post(url(enquiry), {"action": "reply", "body": "Đồng ý, thứ Ba nhé."})
    assert EnquiryMessage.objects.filter(enquiry=enquiry).count() == 2


def test_an_empty_message_is_refused(client):
    enquiry = make_enquiry()
    client.force_login(enquiry.listing.owner)
    before = snapshot(enquiry)
    response = client.post(url(enquiry), {"action": "reply", "body": "   "})
    assert response.status_code == 200
    assert "This field is required." in page(response)
    assert snapshot(enquiry) == before


def test_decline_needs_a_reason_and_other_needs_a_note(client):
    enquiry = make_enquiry()
    client.force_login(enquiry.listing.owner)
    before = snapshot(enquiry)

    response = client.post(url(enquiry), {"action": "decline", "reason": "", "note": ""})
    assert "Choose a reason." in page(response)
    response = client.post(url(enquiry), {"action": "decline", "reason": "other", "note": ""})
    assert "Explain the reason." in page(response)
    assert snapshot(enquiry) == before

    response = client.post(
        url(enquiry), {"action": "decline", "reason": "ip_risk", "note": "Bằng sắp hết hạn."}
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.DECLINED
    assert enquiry.decline_reason == "ip_risk"

    client.force_login(enquiry.sender)
    html = page(client.get(url(enquiry)))
    assert "IP risk" in html
    assert "Bằng sắp hết hạn." in html
    assert "This enquiry is closed." in html
    assert 'name="body"' not in html


def test_agree_records_the_deal_and_the_sender_can_pay_it(client, settings):
    # The pay button is offered only where Stripe is configured; rendering it calls nothing.
    settings.STRIPE_SECRET_KEY = "sk_test_portal"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_portal"
    enquiry = make_enquiry(status=EnquiryStatus.NEGOTIATING)
    client.force_login(enquiry.listing.owner)
    before = snapshot(enquiry)
    response = client.post(url(enquiry), {"action": "agree", "amount_vnd": "0"})
    assert "Give the agreed amount in VND." in page(response)
    response = client.post(url(enquiry), {"action": "agree", "amount_vnd": "ba trăm"})
    assert "Write amounts in whole VND" in page(response)
    assert snapshot(enquiry) == before

    response = client.post(url(enquiry), {"action": "agree", "amount_vnd": "320.000.000"})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.DEAL
    assert enquiry.agreed_amount_vnd == 320_000_000
    deal = Deal.objects.get(enquiry=enquiry)
    assert deal.amount_vnd == 320_000_000
    assert "The deal is recorded at 320.000.000 ₫" in page(client.get(url(enquiry)))

    client.force_login(enquiry.sender)
    html = page(client.get(url(enquiry)))
    assert "Deal agreed" in html
    assert "320.000.000 ₫" in html
    assert f'action="/en/payments/deal/{enquiry.pk}/"' in html
    assert "Pay the agreed 320.000.000 ₫" in html


def test_the_sender_cannot_decline_or_agree(client):
    enquiry = make_enquiry(status=EnquiryStatus.NEGOTIATING)
    client.force_login(enquiry.sender)
    before = snapshot(enquiry)
    response = client.post(url(enquiry), {"action": "decline", "reason": "price"})
    assert "Only the listing&#x27;s owner can do this." in page(response)
    response = client.post(url(enquiry), {"action": "agree", "amount_vnd": "1.000.000"})
    assert "Only the listing&#x27;s owner can do this." in page(response)
    assert snapshot(enquiry) == before


def test_an_unknown_action_changes_nothing(client):
    enquiry = make_enquiry()
    client.force_login(enquiry.listing.owner)
    before = snapshot(enquiry)
    response = client.post(url(enquiry), {"action": "delete"}, follow=True)
    assert "Choose what to do" in page(response)
    assert snapshot(enquiry) == before


# --- who may see it ------------------------------------------------------------------------------


def test_another_users_enquiry_does_not_exist_for_them(client):
    enquiry = make_enquiry(status=EnquiryStatus.NEGOTIATING)
    before = snapshot(enquiry)
    for user in (make_user(), make_user(Role.PROVIDER)):
        client.force_login(user)
        assert client.get(url(enquiry)).status_code == 404
        for data in (
            {"action": "reply", "body": "Tôi chen vào"},
            {"action": "decline", "reason": "price"},
            {"action": "agree", "amount_vnd": "1.000"},
        ):
            assert client.post(url(enquiry), data).status_code == 404
    assert snapshot(enquiry) == before


def test_anonymous_visitors_are_sent_to_log_in(client):
    enquiry = make_enquiry()
    response = client.post(url(enquiry), {"action": "reply", "body": "Xin chào"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not EnquiryMessage.objects.exists()


def test_staff_read_an_enquiry_without_taking_part(client):
    enquiry = make_enquiry()
    client.force_login(with_mfa(make_user(Role.DEPARTMENT_STAFF)))
    html = page(client.get(url(enquiry)))
    assert due_attribute(enquiry) in html
    assert 'name="body"' not in html
    assert 'name="reason"' not in html
    before = snapshot(enquiry)
    response = client.post(url(enquiry), {"action": "reply", "body": "Nhắc nhở"})
    assert "This enquiry is between its sender and the listing&#x27;s owner." in page(response)
    assert snapshot(enquiry) == before


def test_a_closed_enquiry_takes_no_more_messages(client):
    enquiry = make_enquiry(status=EnquiryStatus.DECLINED)
    client.force_login(enquiry.sender)
    before = snapshot(enquiry)
    response = client.post(url(enquiry), {"action": "reply", "body": "Xin xem lại"})
    assert "This enquiry is closed." in page(response)
    assert snapshot(enquiry) == before

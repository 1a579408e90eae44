import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from portal.notifications.models import Notification
from portal.notifications.services import notification_send
from tests.conftest import count_queries
from tests.factories import make_user


@pytest.mark.django_db
def test_notification_lands_in_the_inbox_and_is_emailed_after_commit(
    django_capture_on_commit_callbacks,
):
    user = make_user(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            recipient=user, subject="Application received", body="We received it.", url="/me/"
        )
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and message.subject == "Application received"
    assert "We received it." in message.body and "/me/inbox/" in message.body
    assert "You can read all your messages" in message.body  # the recipient's language
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_email_is_in_the_recipients_language(django_capture_on_commit_callbacks):
    user = make_user(language="vi")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=user, subject="Hồ sơ", body="Nội dung")
    assert "Bạn có thể đọc mọi tin nhắn" in mail.outbox[0].body


@pytest.mark.django_db
def test_nothing_is_emailed_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_send(recipient=user, subject="S", body="B")
    assert len(callbacks) == 1 and not mail.outbox


@pytest.mark.django_db
def test_links_must_stay_inside_the_portal():
    with pytest.raises(ValidationError):
        notification_send(recipient=make_user(), subject="S", body="B", url="https://evil.example")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_opening_a_message_marks_it_read_and_others_cannot_open_it(client):
    owner, other = make_user(), make_user()
    notification = notification_send(recipient=owner, subject="Riêng tư", body="B", email=False)

    client.force_login(other)
    assert client.get(f"/me/inbox/{notification.pk}/").status_code == 404

    client.force_login(owner)
    assert client.get(f"/me/inbox/{notification.pk}/").status_code == 200
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.django_db
def test_mark_all_read(client):
    owner = make_user()
    for index in range(3):
        notification_send(recipient=owner, subject=f"S{index}", body="B", email=False)
    client.force_login(owner)
    response = client.post("/me/inbox/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_inbox_query_count_does_not_grow_with_messages(client):
    owner = make_user()
    client.force_login(owner)
    notification_send(recipient=owner, subject="S", body="B", email=False)
    few = count_queries(client, "/me/inbox/")
    for index in range(25):
        notification_send(recipient=owner, subject=f"S{index}", body="B", email=False)
    assert count_queries(client, "/me/inbox/") == few
    assert len(client.get("/me/inbox/").context["page_obj"].object_list) == 20

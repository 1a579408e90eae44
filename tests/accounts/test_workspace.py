import pytest

from portal.accounts.roles import Role
from portal.notifications.services import notification_send
from tests.factories import make_user


@pytest.mark.django_db
def test_workspace_requires_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_workspace_shows_roles_and_own_messages_only(client):
    founder, other = make_user(Role.FOUNDER), make_user()
    notification_send(recipient=founder, subject="Hồ sơ đã được xác minh", body="...", email=False)
    notification_send(recipient=other, subject="Thư của người khác", body="...", email=False)
    client.force_login(founder)

    page = client.get("/en/me/").content.decode()

    assert "Founder" in page
    assert "Hồ sơ đã được xác minh" in page
    assert "Thư của người khác" not in page

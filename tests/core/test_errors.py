import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from portal.core.exceptions import PortalError
from portal.core.middleware import PortalErrorMiddleware


@pytest.mark.django_db
def test_unknown_address_gets_a_helpful_404_in_the_users_language(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    response = client.get("/khong-co-trang-nay/")
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_domain_error_becomes_a_clear_page_or_json(rf: RequestFactory):
    middleware = PortalErrorMiddleware(lambda request: HttpResponse())
    error = PortalError("Hồ sơ đã được nộp.", code="already_submitted", status_code=409)

    api = middleware.process_exception(rf.get("/api/v1/startups/"), error)
    assert api.status_code == 409
    assert json.loads(api.content) == {
        "error": {"code": "already_submitted", "message": "Hồ sơ đã được nộp."}
    }

    request = rf.get("/startups/", HTTP_ACCEPT="text/html")
    request.user = AnonymousUser()
    page = middleware.process_exception(request, error)
    assert page.status_code == 409
    assert "Hồ sơ đã được nộp." in page.content.decode()


def test_other_exceptions_are_left_alone(rf):
    middleware = PortalErrorMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None

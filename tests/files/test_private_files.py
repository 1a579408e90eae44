import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from portal.files.kinds import DOCUMENTS, IMAGES, FileKind
from portal.files.models import PrivateFile
from portal.files.permissions import can_download_file, register_file_access
from portal.files.services import private_file_create
from tests.factories import make_user

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def _pdf(name="pitch-deck.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def owner(db):
    return make_user(Role.FOUNDER)


@pytest.fixture
def stored(owner):
    return private_file_create(owner=owner, upload=_pdf(), allowed=DOCUMENTS)


def _url(private_file):
    return f"/files/{private_file.pk}/"


def test_owner_downloads_the_file_as_an_attachment(client, owner, stored):
    client.force_login(owner)
    response = client.get(_url(stored))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="pitch-deck.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_is_refused_and_sent_to_sign_in(client, stored):
    response = client.get(_url(stored))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_user_is_refused_with_an_explanation(client, stored):
    other = make_user(Role.FOUNDER)
    client.force_login(other)
    response = client.get(_url(stored))
    assert response.status_code == 403
    assert other.email in response.content.decode()


def test_department_staff_may_download(client, stored):
    staff = make_user(Role.DEPARTMENT_STAFF)
    assert can_download_file(staff, stored)


def test_file_has_no_public_address(stored, settings):
    assert not stored.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(NotImplementedError):
        stored.file.url  # noqa: B018


def test_type_is_checked_by_content_not_by_name(owner):
    disguised = _pdf(name="report.pdf", content=b"MZ\x90\x00 this is a windows executable")
    with pytest.raises(PortalError) as refused:
        private_file_create(owner=owner, upload=disguised, allowed=DOCUMENTS)
    assert refused.value.code == "file_type"
    assert not PrivateFile.objects.exists()


def test_image_with_a_pdf_name_is_stored_as_what_it_is(owner):
    stored = private_file_create(
        owner=owner, upload=_pdf(name="scan.pdf", content=PNG_BYTES), allowed=IMAGES
    )
    assert stored.mime_type == FileKind.PNG.mime
    assert stored.file.name.endswith(".png")


def test_size_limit_refuses_and_stores_nothing(owner):
    with pytest.raises(PortalError) as refused:
        private_file_create(owner=owner, upload=_pdf(), allowed=DOCUMENTS, max_bytes=10)
    assert refused.value.code == "file_too_large"
    assert not PrivateFile.objects.exists()


def test_empty_file_is_refused(owner):
    with pytest.raises(PortalError):
        private_file_create(owner=owner, upload=_pdf(content=b""), allowed=DOCUMENTS)


def test_apps_grant_access_through_a_rule_for_the_attached_record(client, owner):
    group = Group.objects.get(name=Role.REVIEWER.group_name)
    stored = private_file_create(owner=owner, upload=_pdf(), allowed=DOCUMENTS, attach_to=group)
    reviewer, outsider = make_user(Role.REVIEWER), make_user(Role.FOUNDER)
    register_file_access(Group, lambda user, obj: user.groups.filter(pk=obj.pk).exists())

    assert can_download_file(reviewer, stored)
    assert not can_download_file(outsider, stored)

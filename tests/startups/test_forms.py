import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from portal.core.forms import VNDField
from portal.core.models import Commune
from startups.forms import (
    LOGO_MAX_BYTES,
    PRIVATE_FIELDS,
    ClaimFindForm,
    StartupProfileForm,
)
from startups.services import PROFILE_FIELDS
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def profile_data(**overrides):
    data = {
        "name": "Công ty Cổ phần Lúa Vàng",
        "english_name": "Golden Rice JSC",
        "enterprise_code": "0109876543",
        "legal_form": "jsc",
        "founded_on": "2023-05-10",
        "commune": str(Commune.objects.get(full_name="Phường Hoàn Kiếm").pk),
        "address": "12 Tràng Tiền",
        "sectors": ["agritech", "ai"],
        "stage": "seed",
        "team_size": "12",
        "website": "https://luavang.vn",
        "pitch": "Giống lúa chịu mặn cho đồng bằng",
        "funding_raised_vnd": "1.500.000.000",
        "revenue_vnd": "2,000,000,000",
        "revenue_year": "2025",
        "revenue_source": "self_declared",
        "contact_name": "Nguyễn Thị Lan",
        "contact_email": "lienhe@luavang.vn",
        "contact_phone": "+84 912 345 678",
    }
    data.update(overrides)
    return data


def image_upload(fmt="PNG", name="logo.png", size=(40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_valid_profile_is_parsed_the_vietnamese_way():
    form = StartupProfileForm(profile_data())

    assert form.is_valid(), form.errors
    fields = form.profile_fields()
    assert set(fields) == set(PROFILE_FIELDS)
    assert fields["funding_raised_vnd"] == 1_500_000_000
    assert fields["revenue_vnd"] == 2_000_000_000
    assert fields["contact_phone"] == "0912345678"
    assert fields["logo"] == ""
    assert form.cleaned_data["sectors"] == ["agritech", "ai"]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1.500.000.000", 1_500_000_000), ("1 500 000 000", 1_500_000_000), ("750000", 750_000)],
)
def test_money_accepts_thousands_separators(typed, amount):
    form = StartupProfileForm(profile_data(funding_raised_vnd=typed))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["funding_raised_vnd"] == amount


def test_money_is_shown_with_dots():
    assert VNDField().prepare_value(1_500_000_000) == "1.500.000.000"
    assert VNDField().prepare_value("12 tỷ") == "12 tỷ"


def test_empty_money_is_no_amount():
    form = StartupProfileForm(
        profile_data(funding_raised_vnd="", revenue_vnd="", revenue_year="", revenue_source="")
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["funding_raised_vnd"] is None
    assert form.cleaned_data["revenue_vnd"] is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("enterprise_code", "12345", "An enterprise code has 10 digits"),
        ("enterprise_code", "0101234567-1", "An enterprise code has 10 digits"),
        ("funding_raised_vnd", "-5.000.000", "cannot be negative"),
        ("revenue_vnd", "12 tỷ", "Write amounts in whole VND"),
        ("contact_phone", "12345", "Enter a Vietnamese phone number"),
        ("sectors", ["ai", "spaceships"], "Select a valid choice"),
        ("sectors", [], "Choose at least one sector"),
        ("team_size", "0", "greater than or equal to 1"),
        ("revenue_year", "", "Say which year the revenue figure is for"),
    ],
)
def test_bad_input_is_refused_on_its_field(field, value, message):
    form = StartupProfileForm(profile_data(**{field: value}))

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_founding_date_cannot_be_in_the_future():
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = StartupProfileForm(profile_data(founded_on=tomorrow.isoformat()))

    assert not form.is_valid()
    assert form.errors["founded_on"] == ["The founding date cannot be in the future."]


def test_enterprise_code_spaces_are_removed():
    form = StartupProfileForm(profile_data(enterprise_code=" 0109 876 543 "))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["enterprise_code"] == "0109876543"


def test_duplicate_enterprise_code_is_refused():
    existing = make_startup()
    form = StartupProfileForm(profile_data(enterprise_code=existing.enterprise_code))

    assert not form.is_valid()
    assert "already registered" in form.errors["enterprise_code"][0]


def test_logo_must_be_an_image_by_content():
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image")
    form = StartupProfileForm(profile_data(), {"logo": fake})

    assert not form.is_valid()
    assert "logo" in form.errors


def test_logo_in_an_unaccepted_image_format_is_refused():
    form = StartupProfileForm(profile_data(), {"logo": image_upload("GIF", "logo.gif")})

    assert not form.is_valid()
    assert form.errors["logo"] == ["The logo must be a PNG, JPEG or WebP image."]


def test_logo_over_the_size_limit_is_refused():
    big = image_upload("PNG", "logo.png", size=(10, 10))
    big.size = LOGO_MAX_BYTES + 1
    form = StartupProfileForm(profile_data(), {"logo": big})

    assert not form.is_valid()
    assert "too large" in form.errors["logo"][0]


def test_a_good_logo_is_accepted():
    form = StartupProfileForm(profile_data(), {"logo": image_upload("JPEG", "logo.jpg")})

    assert form.is_valid(), form.errors
    assert form.profile_fields()["logo"].name == "logo.jpg"


def test_fieldsets_hold_every_profile_field_once_and_mark_private_ones():
    form = StartupProfileForm()
    names = [field.name for fieldset in form.fieldsets() for field in fieldset["fields"]]

    assert sorted(names) == sorted([*PROFILE_FIELDS, "sectors"])
    assert [fieldset["key"] for fieldset in form.fieldsets()] == [
        "identity",
        "location",
        "activity",
        "money",
        "contact",
    ]
    private = {name for name in names if getattr(form.fields[name], "private", False)}
    assert private == PRIVATE_FIELDS


def test_edit_form_starts_from_the_profile_and_can_lock_the_enterprise_code():
    startup = make_startup(sectors=("fintech", "ai"), funding_raised_vnd=3_000_000_000)
    form = StartupProfileForm(instance=startup, lock_enterprise_code=True)

    assert sorted(form["sectors"].initial) == ["ai", "fintech"]
    assert 'value="3.000.000.000"' in str(form["funding_raised_vnd"])
    assert form.fields["enterprise_code"].disabled

    posted = StartupProfileForm(
        profile_data(enterprise_code="0999999999"), instance=startup, lock_enterprise_code=True
    )
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["enterprise_code"] == startup.enterprise_code


def test_claim_find_form_checks_the_code():
    assert not ClaimFindForm({"enterprise_code": "abc"}).is_valid()
    form = ClaimFindForm({"enterprise_code": "0101234567-001"})
    assert form.is_valid()

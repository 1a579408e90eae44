import pytest

from tech_exchange.models import EnquiryStatus, ListingStatus
from tests.factories.tech_exchange import make_enquiry, make_listing


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(ListingStatus))
def test_listing_factory_reaches_every_status(status):
    assert make_listing(status=status).status == status


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(EnquiryStatus))
def test_enquiry_factory_reaches_every_status(status):
    assert make_enquiry(status=status).status == status

import pytest

from tech_exchange.models import (
    Deal,
    DealSource,
    Enquiry,
    EnquiryStatus,
    Listing,
    ListingStatus,
    Order,
    OrderStatus,
)


@pytest.mark.django_db
def test_seed_demo_covers_the_exchange(seeded, client):
    assert set(Listing.objects.values_list("status", flat=True)) == set(ListingStatus.values)
    assert set(Listing.objects.values_list("kind", flat=True)) == {"offer", "request"}
    assert Listing.objects.values("trl").distinct().count() >= 5
    assert set(Enquiry.objects.values_list("status", flat=True)) == set(EnquiryStatus.values)
    assert Order.objects.filter(status=OrderStatus.PAID).count() == 2
    assert Deal.objects.filter(source=DealSource.PURCHASE).count() == 1
    featured = [listing for listing in Listing.objects.all() if listing.is_featured]
    assert len(featured) == 1
    response = client.get("/technologies/?q=cam+bien")
    assert response.status_code == 200
    assert "Cảm biến bụi mịn" in response.content.decode()

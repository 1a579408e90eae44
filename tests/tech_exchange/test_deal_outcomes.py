import pytest

from tech_exchange import services
from tech_exchange.models import DealSource
from tech_exchange.selectors import deal_outcomes
from tests.factories import make_user
from tests.factories.tech_exchange import make_enquiry, make_listing


@pytest.mark.django_db
def test_deal_outcomes_count_and_value_by_sector_trl_and_source():
    make_enquiry(status="deal", amount=300_000_000, listing=make_listing(sector="ai", trl=6))
    make_enquiry(status="deal", amount=100_000_000, listing=make_listing(sector="ai", trl=8))
    make_enquiry(status="declined", listing=make_listing(sector="ai", trl=8))
    purchased = make_listing(sector="agritech", trl=6, price_vnd=50_000_000)
    services.deal_record(
        listing=purchased, buyer=make_user(), source=DealSource.PURCHASE, amount_vnd=50_000_000
    )

    outcomes = deal_outcomes()

    assert outcomes.count == 3
    assert outcomes.value_vnd == 450_000_000
    assert [(code, n, value) for code, _label, n, value in outcomes.by_sector] == [
        ("ai", 2, 400_000_000),
        ("agritech", 1, 50_000_000),
    ]
    assert [(level, n, value) for level, _label, n, value in outcomes.by_trl] == [
        (6, 2, 350_000_000),
        (8, 1, 100_000_000),
    ]
    assert outcomes.by_source == {
        DealSource.NEGOTIATED: (2, 400_000_000),
        DealSource.PURCHASE: (1, 50_000_000),
    }


@pytest.mark.django_db
def test_deal_outcomes_with_no_deals_are_zero():
    outcomes = deal_outcomes()
    assert (outcomes.count, outcomes.value_vnd, outcomes.by_sector) == (0, 0, [])

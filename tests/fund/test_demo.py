import pytest
from django.core.management import call_command

from fund.models import Application, ApplicationStatus, Fund, Tranche, TrancheStatus
from fund.selectors import fund_figures


@pytest.mark.django_db
def test_seed_demo_covers_every_stage_and_tranche_state(seeded):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    assert set(Tranche.objects.values_list("status", flat=True)) == set(TrancheStatus.values)
    demo_founder_statuses = set(
        Application.objects.filter(
            startup__memberships__user__email="founder@example.org"
        ).values_list("status", flat=True)
    )
    assert demo_founder_statuses == {ApplicationStatus.APPROVED, ApplicationStatus.INFO_REQUESTED}
    figures = fund_figures()
    assert figures.committed_capital_vnd == 850_000_000_000
    assert figures.target_vnd == 1_000_000_000_000
    assert 0 < figures.disbursement_rate < 1
    assert figures.overdue_tranches >= 1


@pytest.mark.django_db
def test_seed_demo_runs_twice_without_duplicates(seeded):
    before = Application.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Application.objects.count() == before
    assert Fund.objects.count() == 1


@pytest.mark.django_db
def test_fund_pages_and_home_figure(seeded, client):
    response = client.get("/")
    assert "Quỹ đầu tư" in response.content.decode() or "quỹ" in response.content.decode()
    assert client.get("/fund/").status_code == 200
    assert client.get("/en/fund/").status_code == 200

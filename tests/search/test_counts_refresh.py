"""The database engine's counts take up writes at its refresh interval; hits are always live."""

import datetime

import pytest
import time_machine

from portal.core.models import Commune, CommuneKind
from search.base import SearchRequest
from search.engines.database import DatabaseEngine
from tests.search.conftest import ARTICLE_DOCUMENTS, ARTICLES, WARDS, article

START = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
NEW = article("9", "Công nghệ sinh học Gia Lâm", "Giống lúa chịu hạn", "agritech")


@pytest.fixture
def engine(db, monkeypatch, settings):
    from search import registry

    settings.SEARCH_COUNTS_REFRESH_SECONDS = 30
    monkeypatch.setattr(registry, "_ADAPTERS", {"articles": ARTICLES, "wards": WARDS})
    return DatabaseEngine()


def search(engine, text="cong nghe"):
    return engine.search(SearchRequest(text=text, types=("articles",)))


def sectors(results):
    return {facet.value: facet.count for facet in results.facets["sector"]}


def test_counts_take_up_a_write_at_the_next_refresh_while_hits_are_live(engine):
    with time_machine.travel(START, tick=False) as clock:
        engine.index(ARTICLES, ARTICLE_DOCUMENTS)
        before = search(engine)
        assert before.total == 2

        clock.shift(10)
        engine.index(ARTICLES, [NEW])
        during = search(engine)
        assert "9" in [hit.id for hit in during.hits]
        assert during.total == 2 and sectors(during) == sectors(before)

        clock.shift(20)  # 30 seconds since the counts were last taken up
        after = search(engine)
        assert after.total == 3
        assert sectors(after)["agritech"] == 2


def test_a_write_after_a_quiet_spell_is_counted_at_once(engine):
    with time_machine.travel(START, tick=False) as clock:
        engine.index(ARTICLES, ARTICLE_DOCUMENTS)
        assert search(engine).total == 2
        clock.shift(120)
        engine.delete(ARTICLES, ["2"])
        assert search(engine).total == 1


def test_a_rebuild_is_counted_at_once(engine, communes, django_capture_on_commit_callbacks):
    def wards():
        return engine.search(SearchRequest(types=("wards",))).total

    with time_machine.travel(START, tick=False):
        engine.rebuild([WARDS])
        before = wards()
        ward = Commune.objects.filter(kind=CommuneKind.WARD).first()
        Commune.objects.filter(pk=ward.pk).update(kind=CommuneKind.COMMUNE)
        with django_capture_on_commit_callbacks(execute=True):
            engine.rebuild([WARDS])
        assert wards() == before - 1

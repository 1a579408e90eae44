"""The behaviour every discovery engine must have. Runs on the database engine (SQLite or
PostgreSQL) always, and on Elasticsearch when ELASTICSEARCH_URL is set."""

import datetime

from portal.core.models import Commune
from search.base import SearchRequest
from tests.search.conftest import ARTICLES, WARDS, article, settle


def ids(results):
    return [hit.id for hit in results.hits]


def search(engine, text="", **options):
    options.setdefault("types", ("articles",))
    return engine.search(SearchRequest(text=text, **options))


def test_query_without_diacritics_finds_text_with_them(articles):
    assert ids(search(articles, "cong nghe ha noi")) == ["1"]
    assert ids(search(articles, "dong da")) == ["3"]


def test_query_with_diacritics_finds_the_same(articles):
    assert set(ids(search(articles, "Công Nghệ"))) == {"1", "2"}
    assert ids(search(articles, "Đống Đa")) == ["3"]


def test_title_match_ranks_above_body_match(articles):
    assert ids(search(articles, "cong nghe")) == ["1", "2"]


def test_every_word_must_match_by_default(articles):
    assert ids(search(articles, "nong nghiep thong minh")) == ["2"]
    assert ids(search(articles, "fintech dong da")) == []


def test_any_word_matches_and_more_matching_words_rank_higher(articles):
    # Article 2 has all four words in its title; article 1 only "thông minh", in its body.
    assert ids(search(articles, "nong nghiep thong minh", match="any")) == ["2", "1"]
    assert set(ids(search(articles, "fintech dong da", match="any"))) == {"3", "4"}


def test_any_word_respects_filters_and_counts_what_it_matches(articles):
    results = search(articles, "fintech dong da nong nghiep", match="any")
    assert results.total == 3
    assert {f.value: f.count for f in results.facets["sector"]} == {"fintech": 2, "agritech": 1}
    # The same words, every one required: counted separately, never from the other's cache.
    assert search(articles, "fintech dong da nong nghiep").total == 0
    filtered = search(
        articles, "fintech dong da nong nghiep", match="any", filters={"sector": ("agritech",)}
    )
    assert ids(filtered) == ["2"]


def test_facets_count_every_value_and_ignore_their_own_filter(articles):
    results = search(articles)
    sectors = {f.value: f.count for f in results.facets["sector"]}
    assert sectors == {"fintech": 2, "ai": 1, "agritech": 1, "healthtech": 1}
    assert results.facets["sector"][0].value == "fintech"

    filtered = search(articles, filters={"sector": ("fintech",)})
    assert filtered.total == 2
    assert {f.value: f.count for f in filtered.facets["sector"]}["ai"] == 1
    assert {f.value: f.count for f in filtered.facets["language"]} == {"vi": 1, "en": 1}


def test_filters_combine_any_within_a_field_and_all_across_fields(articles):
    assert set(ids(search(articles, filters={"sector": ("ai", "agritech")}))) == {"1", "2"}
    assert ids(search(articles, filters={"sector": ("fintech",), "language": ("en",)})) == ["4"]
    assert ids(search(articles, language="en")) == ["4"]


def test_type_counts_cover_every_type(articles, communes):
    articles.rebuild([WARDS])
    settle(articles)
    results = articles.search(SearchRequest(text="ha noi"))
    assert results.type_counts["articles"] == 2
    assert results.type_counts["wards"] == 51
    # A selected type narrows the hits, not the counts of the other tabs.
    one_type = articles.search(SearchRequest(text="ha noi", types=("articles",)))
    assert one_type.total == 2 and one_type.type_counts == results.type_counts


def test_pagination_splits_without_overlap(articles):
    pages = [search(articles, page=n, page_size=2, sort="newest") for n in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [2, 2, 1]
    assert pages[0].pages == 3 and pages[0].has_next and not pages[2].has_next
    assert sum((ids(p) for p in pages), []) == ["2", "4", "1", "3", "5"]


def test_sorting_by_title(articles):
    assert ids(search(articles, sort="title"))[0] == "1"  # "Công nghệ…" folds to "cong…"


def test_autocomplete_completes_the_last_word(articles):
    assert [s.title for s in articles.suggest("nong ngh")] == ["Nông nghiệp thông minh Sóc Sơn"]
    assert [s.title for s in articles.suggest("Thanh to")] == ["Thanh toán số Đống Đa"]
    assert articles.suggest("   ") == []


def test_highlight_marks_matches_in_the_original_text_and_escapes_html(articles):
    hit = search(articles, "ha noi kinh doanh").hits[0]
    assert hit.id == "3"
    assert "<mark>Hà</mark> <mark>Nội</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_common_misspellings_still_find(articles):
    assert ids(search(articles, "nong nghiep thong minj")) == ["2"]
    assert ids(search(articles, "cong ngeh")) == ["1", "2"]


def test_private_records_never_enter_the_index(engine, communes):
    engine.rebuild([WARDS])
    settle(engine)
    private = Commune.objects.get(full_name="Xã Sóc Sơn")  # a commune: private for this adapter
    found = search(engine, "Sóc Sơn", types=("wards",), page_size=100)
    assert str(private.pk) not in ids(found)
    assert all(hit.title.startswith("Phường") for hit in found.hits)
    assert ids(search(engine, "Ba Đình", types=("wards",)))


def test_deletion_removes(articles):
    articles.delete(ARTICLES, ["3"])
    settle(articles)
    assert search(articles, "dong da").total == 0


def test_rebuild_is_complete_and_repeatable(engine, communes):
    assert engine.rebuild([WARDS]) == {"wards": 51}
    settle(engine)
    assert engine.rebuild([WARDS]) == {"wards": 51}
    settle(engine)
    results = search(engine, types=("wards",), page_size=100)
    assert results.total == 51 and len(set(ids(results))) == 51


def test_published_after_keeps_only_newer_documents(articles):
    after = datetime.datetime(2026, 1, 15, tzinfo=datetime.UTC)
    assert set(ids(search(articles, published_after=after))) == {"2", "4"}


def test_counts_follow_every_write(articles):
    def counts():
        results = search(articles, "")
        sectors = {facet.value: facet.count for facet in results.facets["sector"]}
        return results.total, sectors.get("agritech", 0)

    before_total, before_agritech = counts()
    assert counts() == (before_total, before_agritech)  # asked again: the same answer
    articles.index(ARTICLES, [article("50", "Lúa thông minh", "Cảm biến ruộng lúa", "agritech")])
    settle(articles)
    assert counts() == (before_total + 1, before_agritech + 1)
    articles.delete(ARTICLES, ["50"])
    settle(articles)
    assert counts() == (before_total, before_agritech)

import pytest

from search.typos import allowed_edits, closest, edit_distance


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("nghe", "nghe", 0),
        ("ngeh", "nghe", 1),
        ("minj", "minh", 1),
        ("thong", "thog", 1),
        ("cong", "song", 1),
        ("abcdef", "abdcfe", 2),
    ],
)
def test_edit_distance_counts_swaps_as_one_edit(a, b, distance):
    assert edit_distance(a, b, limit=2) == distance


def test_edit_distance_gives_up_beyond_the_limit():
    assert edit_distance("hanoi", "saigon", limit=1) == 2


def test_allowed_edits_follow_word_length():
    assert [allowed_edits(w) for w in ("ha", "noi", "thong", "nghiep")] == [0, 1, 1, 2]


def test_closest_prefers_the_smallest_distance_then_alphabetical():
    assert closest("minj", ["minh", "mini", "mind"], 1) == "mind"
    assert closest("nghiep", ["nghiem", "nghiep"], 2) == "nghiep"
    assert closest("xyz", ["abc"], 1) is None

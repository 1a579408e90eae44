"""Typo tolerance for the database engine: a misspelt query word is replaced by the closest
indexed word within a small edit distance, as Elasticsearch's `fuzziness: AUTO` would allow."""


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`; gives up,
    returning `limit + 1`, as soon as the answer must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i]
        for j in range(1, len(b) + 1):
            cost = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cost = min(cost, before_previous[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before_previous, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    # Elasticsearch's AUTO: none up to two letters, one up to five, two beyond.
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


def closest(word: str, candidates, limit: int) -> str | None:
    best, best_distance = None, limit + 1
    for candidate in candidates:
        distance = edit_distance(word, candidate, limit)
        if distance < best_distance or (distance == best_distance and best and candidate < best):
            best, best_distance = candidate, distance
    return best if best_distance <= limit else None

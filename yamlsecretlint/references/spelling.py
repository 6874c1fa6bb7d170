"""The one name a misspelling stands for: what a "did you mean" may fix without asking."""

from __future__ import annotations

from collections.abc import Iterable


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) between two short names."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def only_candidate(name: str, choices: Iterable[str], most: int = 2) -> str | None:
    """The single choice nearest ``name``, at most ``most`` edits away; None when two are as near."""
    scored = sorted((distance(name, choice), choice) for choice in choices if choice != name)
    if not scored or scored[0][0] > most or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]

"""The configuration's additions to what is secret-named and what is benign.

``secret-keys`` (regexes of key names that hold secrets, such as in-house
names) and ``allowed-values`` (regexes of values that are never credentials,
such as an organisation's placeholder convention). Set once per process by
the linter (a Policy value in each check's Context), never module state: two
Linters with different configurations never see each other's patterns.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

#: User patterns see at most this much of a name or a value: with at most two open-ended
#: repeats (backtracking_problem), a search costs at most about MAX_SUBJECT**2 steps.
MAX_SUBJECT = 1024
#: Open-ended repeats a pattern may have: each one more multiplies the worst case by the length.
MAX_OPEN_REPEATS = 2


class Policy(NamedTuple):
    """The configuration's additions, as a value each Linter holds (never module state)."""

    secret_keys: re.Pattern[str] | None = None
    allowed_values: re.Pattern[str] | None = None

    @classmethod
    def of(cls, secret_keys: tuple[str, ...], allowed_values: tuple[str, ...]) -> Policy:
        return cls(_union(secret_keys), _union(allowed_values))

    def extra_secret_key(self, name: str) -> bool:
        return self.secret_keys is not None and self.secret_keys.search(name[:MAX_SUBJECT]) is not None

    def allowed_value(self, value: str) -> bool:
        return self.allowed_values is not None and self.allowed_values.search(value[:MAX_SUBJECT]) is not None


#: No additions: what the tool does without a configuration.
DEFAULT = Policy()


def _union(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def backtracking_problem(pattern: str) -> str:
    """Why ``pattern`` can take exponential time in Python's backtracking ``re``, or "".

    A repeat inside a repeat (``(a+)+``, ``(\\w*\\s?)*``) or alternatives that can
    start alike under a repeat (``(a|ab)*``) let a failing search try every way
    of splitting the text: seconds on a 30-character value.
    """
    try:
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as parser
    try:
        tree = parser.parse(pattern)
    except re.error as exc:
        return f"not a regular expression: {exc}"
    problem = _nested(list(tree), inside_repeat=False)
    if not problem and _open_repeats(list(tree)) > MAX_OPEN_REPEATS:
        problem = f"more than {MAX_OPEN_REPEATS} open-ended repeats (like a*a*a*b) can take polynomial time"
    return problem


def _open_repeats(items: list[Any]) -> int:
    count = 0
    for op, av in items:
        name = str(op)
        if name in _REPEATS:
            count += (str(av[1]) == "MAXREPEAT") + _open_repeats(list(av[2]))
        elif name == "BRANCH":
            count += max(_open_repeats(list(alternative)) for alternative in av[1])
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            count += _open_repeats(list(av[-1]))
    return count


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _nested(items: list[Any], inside_repeat: bool) -> str:
    for op, av in items:
        name = str(op)
        if name in _REPEATS:
            _, high, body = av
            repeats = high is None or high > 1 or str(high) == "MAXREPEAT"
            if inside_repeat and repeats:
                return "a repeat inside a repeat (like (a+)+) can take exponential time"
            found = _nested(list(body), inside_repeat or repeats)
            if found:
                return found
        elif name == "BRANCH":
            alternatives = av[1]
            if inside_repeat and _overlapping(alternatives):
                return "alternatives that start alike inside a repeat (like (a|ab)*) can take exponential time"
            for alternative in alternatives:
                found = _nested(list(alternative), inside_repeat)
                if found:
                    return found
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            body = av[-1]
            found = _nested(list(body), inside_repeat)
            if found:
                return found
    return ""


def _overlapping(alternatives: list[Any]) -> bool:
    firsts = []
    for alternative in alternatives:
        items = list(alternative)
        if not items or str(items[0][0]) != "LITERAL":
            return True
        firsts.append(items[0][1])
    return len(set(firsts)) < len(firsts)

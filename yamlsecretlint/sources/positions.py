"""Turn offsets in a scalar's value into exact line/column spans in its file.

Parsers tell where a scalar's text region starts and ends; a check tells which
part of the *value* matched. Between the two stand quotes, escapes, folding and
block indentation, so the matched text is looked for in the written region:
the same occurrence of it (the n-th in the value is the n-th in the region),
line by line for a match that spans lines. Only findings pay for this.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

from yamlsecretlint import lazyre
from yamlsecretlint.model import Scalar, Span

_BREAK = lazyre.compile(r"\r\n|\r|\n")


class LineTable:
    """Offsets of line starts, computed once per file that has a finding."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        if "\r" in text:
            self._starts = [0]
            self._starts.extend(m.end() for m in _BREAK.finditer(text))
        else:
            # Each line start is the previous one plus the line's length and its "\n"; summed in C.
            self._starts = [0, *accumulate(map((1).__add__, map(len, text.split("\n")[:-1])))]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(max(end, start))
        return Span(line, column, end_line, end_column)


class Locator:
    """The span in the file of ``scalar.value[start:end]``, for the many findings of one file.

    A scalar's written region, and where a matched text occurs in the value and
    in the region, are found once and kept: a long scalar with thousands of
    findings costs each one a bisect, not a scan of the scalar.
    """

    def __init__(self, text: str, table: LineTable) -> None:
        self.text = text
        self.table = table
        self._scalar: Scalar | None = None
        self._raw = ""
        self._same = False
        self._occurrences: dict[str, tuple[list[int], list[int]]] = {}

    def __call__(self, scalar: Scalar, start: int, end: int) -> Span:
        if scalar is not self._scalar:
            self._scalar = scalar
            self._raw = self.text[scalar.start : scalar.end]
            self._same = self._raw == scalar.value
            self._occurrences = {}
        if self._same:
            return self.table.span(scalar.start + start, scalar.start + end)
        return _locate(self.text, self.table, scalar, start, end, self._raw, self._nth)

    def _nth(self, value: str, raw: str, needle: str, before: int) -> int:
        """Where in ``raw`` the occurrence of ``needle`` that starts at ``before`` in ``value`` is written."""
        found = self._occurrences.get(needle)
        if found is None:
            found = (_all(value, needle), _all(raw, needle))
            self._occurrences[needle] = found
        in_value, in_raw = found
        # As str.count(needle, 0, before) counts: occurrences that end by ``before``.
        occurrence = bisect_right(in_value, before - len(needle))
        return in_raw[occurrence] if occurrence < len(in_raw) else (in_raw[-1] if in_raw else -1)


def _all(haystack: str, needle: str) -> list[int]:
    """Start of every non-overlapping occurrence, as str.count counts them."""
    found = []
    at = haystack.find(needle)
    while at >= 0:
        found.append(at)
        at = haystack.find(needle, at + len(needle))
    return found


#: (value, written region, needle, offset in value) -> where that occurrence is written, or -1
_Nth = Callable[[str, str, str, int], int]


def _locate(text: str, table: LineTable, scalar: Scalar, start: int, end: int, raw: str, nth: _Nth) -> Span:
    value = scalar.value
    matched = value[start:end]
    lines = matched.splitlines() or [matched]
    first, last = lines[0], lines[-1]
    if not first.strip():
        return table.span(scalar.start, scalar.end)
    rel_start = nth(value, raw, first, start)
    if rel_start < 0:
        # The match crosses an escape or a fold: from its first written piece to its last.
        pieces = [p for p in re.split(r"\s+|\\[nrt]?", matched) if p]
        if not pieces:
            return table.span(scalar.start, scalar.end)
        head = next((p for p in pieces if len(p) >= 4), max(pieces, key=len))
        rel_start = raw.find(head)
        if rel_start < 0:
            return table.span(scalar.start, scalar.end)
        tail = pieces[-1]
        tail_at = raw.find(tail, rel_start + len(head)) if tail is not head else -1
        rel_end = tail_at + len(tail) if tail_at >= 0 else rel_start + len(head)
        return table.span(scalar.start + rel_start, scalar.start + rel_end)
    if len(lines) == 1:
        rel_end = rel_start + len(first)
    else:
        last_at = raw.find(last, rel_start + len(first)) if last else -1
        rel_end = last_at + len(last) if last_at >= 0 else rel_start + len(first)
    return table.span(scalar.start + rel_start, scalar.start + rel_end)

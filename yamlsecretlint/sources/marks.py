"""Where a file's text holds any of the checks' triggers, found in a few fast passes.

The checks name some sixty literal triggers (token prefixes, ``${``, ``arn:``,
``PRIVATE KEY``). Python's ``re`` tries every branch of an
alternation at nearly every position (about 90 ns a character here), and
sixty ``str.find`` passes cost as much; but a pattern that starts with one
literal character is scanned at memchr speed. So each needle is anchored on
its rarest character, and the needles that share an anchor form one pattern,
``_(?:(?<=ghp_)|(?<=npm_)|…)``: a text costs one pass per anchor.

Each needle has a bit; :meth:`Marker.scan` gives the offset and bit of every
occurrence, so the walker can tell each scalar which triggers its written
text holds, and the engine calls only the checks those triggers gate.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: Characters from rarest to commonest in YAML and dotenv files (a rough order is enough).
_RARITY = "${(=_-JQXZVKYWUHFGBMDLPNROCIETSA.:/jqxzkvbpywgfmuc0123456789ldrhsnioate"
_COMMON = frozenset("ldrhsnioate \t")


def _rank(char: str) -> int:
    at = _RARITY.find(char)
    return -1 if at < 0 else at  # a character not listed is rarer still


def needle_of(trigger: str) -> str:
    """What the written text must hold where a value holds ``trigger``.

    Folding turns a line break into a space, so only the longest blank-free
    piece of a trigger is sure to be written as it is read.
    """
    return max(trigger.split(), key=len)


class Marker:
    """Finds ``triggers`` in a text, as written."""

    def __init__(self, triggers: Iterable[str]) -> None:
        needles = sorted({needle_of(t) for t in triggers if t.strip()})
        # A needle that holds another is found wherever that one is; it shares its bit.
        kept = [n for n in needles if not any(o != n and o in n for o in needles)]
        self._bits = {needle: 1 << index for index, needle in enumerate(kept)}
        for needle in needles:
            if needle not in self._bits:
                self._bits[needle] = self._bits[min((o for o in kept if o in needle), key=len)]
        self._kept = kept
        self._patterns: list[_Group] | None = None  # compiled at the first scan: a hook on one small file never scans

    def bits(self, triggers: Iterable[str]) -> int:
        """The bits of these triggers; 0 for any this marker was not built with."""
        return _or(self._bits.get(needle_of(t), 0) for t in triggers if t.strip())

    def scan(self, text: str) -> list[tuple[int, int]]:
        """(offset, bit) of every occurrence, in offset order."""
        if self._patterns is None:
            self._patterns = _patterns(self._kept, self._bits)
        marks = _find(text, self._patterns)
        marks.sort()
        return marks


def has_word(value: str, words: Iterable[str]) -> bool:
    """Whether one of these lower-case words is in ``value``, in any case (re.I is several times slower)."""
    lowered = value.lower()
    for word in words:  # noqa: SIM110 - a plain loop: any() would build a generator per value
        if word in lowered:
            return True
    return False


def _or(bits: Iterable[int]) -> int:
    total = 0
    for bit in bits:
        total |= bit
    return total


#: A pattern and, for each needle it finds, (bit, needle, offset of the anchor in the needle).
_Group = tuple[re.Pattern[str], list[tuple[int, str, int]]]


def _anchors(needles: list[str]) -> dict[str, str]:
    """Each needle's anchor: as few characters as cover them all, rare ones first.

    Every anchor costs a pass over the text; the commonest letters would also
    cost a lookbehind test at nearly every position, so they anchor only a
    needle that has nothing else.
    """
    anchors: dict[str, str] = {}
    left = set(needles)
    while left:
        counts = Counter(char for needle in left for char in set(needle) if char not in _COMMON)
        if not counts:
            anchors.update({needle: min(needle, key=_rank) for needle in left})
            break
        best = max(sorted(counts), key=lambda char: (counts[char], -_rank(char)))
        for needle in [needle for needle in left if best in needle]:
            anchors[needle] = best
            left.discard(needle)
    return anchors


def _patterns(needles: list[str], bits: dict[str, int]) -> list[_Group]:
    groups: dict[str, list[tuple[str, int]]] = {}
    for needle, anchor in sorted(_anchors(needles).items()):
        groups.setdefault(anchor, []).append((needle, needle.index(anchor)))
    patterns = []
    for anchor, members in sorted(groups.items()):
        branches = []
        for needle, at in members:
            behind = f"(?<={re.escape(needle[: at + 1])})" if at else ""
            branches.append(f"{behind}{re.escape(needle[at + 1 :])}")
        pattern = re.compile(f"{re.escape(anchor)}(?:{'|'.join(branches)})")
        patterns.append((pattern, [(bits[needle], needle, at) for needle, at in members]))
    return patterns


def _find(text: str, patterns: list[_Group]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    append = found.append
    for pattern, members in patterns:
        if len(members) == 1:
            bit = members[0][0]
            for match in pattern.finditer(text):
                append((match.start(), bit))
            continue
        for match in pattern.finditer(text):
            # A match names its first branch only; another needle may end on the same anchor.
            at = match.start()
            bits = 0
            for bit, needle, offset in members:
                if text.startswith(needle, at - offset):
                    bits |= bit
            append((at, bits))
    return found

"""Where a file's text holds any of the checks' triggers, found in a few fast passes.

The checks name some sixty literal triggers (token prefixes, ``${``, ``arn:``,
``PRIVATE KEY``). Python's ``re`` tries every branch of an
alternation at nearly every position (about 90 ns a character here), and
sixty ``str.find`` passes cost as much; but a pattern that starts with one
literal character is scanned at memchr speed. So each needle is anchored on
its rarest character, and the needles that share an anchor form one pattern,
``_(?:(?<=ghp_)|(?<=npm_)|…)``: a text costs one pass per anchor.

An anchor such as ``-`` or ``_`` occurs every few lines and ends dozens of
needles (``glpat-``, ``xoxb-``, ``sk_live_``); trying each needle's lookbehind
there costs more than the pass. So the text behind an anchor is tested as a
trie, nearest character first, behind one class of every character that can
come next: most occurrences fail one test.

Each needle has a bit; :meth:`Marker.scan` gives the offset and bit of every
occurrence, so the walker can tell each scalar which triggers its written
text holds, and the engine calls only the checks those triggers gate.

Where ``sources/_marks.c`` is built, one pass in C does it all (a table of
first and second characters in front of each needle's test, about 20 times
faster than the patterns); :meth:`Marker._each` is its reference.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence

from yamlsecretlint.sources import facts
from yamlsecretlint.sources.compiled import MARKS

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

    def __init__(self, triggers: Iterable[str], compile_after: int = 1 << 16) -> None:
        """``compile_after``: characters scanned with str.find before the patterns are compiled."""
        needles = sorted({needle_of(t) for t in triggers if t.strip()})
        # A needle that holds another is found wherever that one is; it shares its bit.
        kept = _holding_none(needles)
        self._bits = {needle: 1 << index for index, needle in enumerate(kept)}
        for needle in needles:
            if needle not in self._bits:
                self._bits[needle] = self._bits[min((o for o in kept if o in needle), key=len)]
        self._kept = kept
        # Compiling the patterns costs a few milliseconds, what str.find spends on about 50 KB:
        # a hook run over a few small files never compiles them.
        self._patterns: list[_Group] | None = None
        self._budget = compile_after
        # The needles in bit order, as the C scan wants them to give its marks in (offset, bit) order.
        self._compiled = MARKS.Needles(*self.needle_bits()) if MARKS is not None else None

    @property
    def needles(self) -> list[str]:
        """What is looked for: the triggers' needles, less those that hold another."""
        return list(self._kept)

    def needle_bits(self) -> tuple[list[str], list[int]]:
        """The needles and their bits, in bit order (what the C scan is built with)."""
        return list(self._kept), [self._bits[n] for n in self._kept]

    def bits(self, triggers: Iterable[str]) -> int:
        """The bits of these triggers; 0 for any this marker was not built with."""
        return _or(self._bits.get(needle_of(t), 0) for t in triggers if t.strip())

    def scan(self, text: str) -> list[tuple[int, int]]:
        """(offset, bit) of every occurrence, in offset order: an offset within the needle."""
        if self._compiled is not None:
            # Most texts were scanned for the literals every file is asked about, and these
            # needles with them; the next texts' scans take them in from here on.
            found: list[tuple[int, int]] | None = facts.marks_of(text, self)
            if found is None:
                facts.partner(self)
                found = self._compiled.scan(text)
            return found
        if self._patterns is None:
            self._budget -= len(text)
            if self._budget >= 0:
                marks = self._each(text)
                marks.sort()
                return marks
            self._patterns = _patterns(self._kept, self._bits)
        marks = _find(text, self._patterns)
        marks.sort()
        return marks

    def _each(self, text: str) -> list[tuple[int, int]]:
        """The needles one str.find at a time: no pattern to compile, five times slower a character."""
        found = []
        for needle in self._kept:
            at = text.find(needle)
            while at >= 0:
                found.append((at, self._bits[needle]))
                at = text.find(needle, at + 1)
        return found


class Written:
    """The marks of one text, asked span by span."""

    __slots__ = ("bits", "offsets")

    def __init__(self, found: list[tuple[int, int]]) -> None:
        self.offsets = [at for at, _ in found]
        self.bits = [bit for _, bit in found]

    def within(self, start: int, end: int) -> int:
        """The bits of the marks in [start, end)."""
        return bits_within(self.offsets, self.bits, start, end)


def bits_within(offsets: Sequence[int], bits: Sequence[int], start: int, end: int) -> int:
    """The bits of the marks at ``offsets`` (sorted) that fall in [start, end)."""
    first = bisect_left(offsets, start)
    stop = bisect_left(offsets, end, first)
    return _or(bits[first:stop])


def _holding_none(needles: list[str]) -> list[str]:
    """The needles (distinct, blank-free) that hold no other one.

    Each needle is looked for in all of them joined by line breaks, by str.find: a
    pairwise test, or a look-up of every needle's pieces, costs milliseconds at every start.
    """
    joined = "\n".join(needles)
    starts = []
    at = 0
    for needle in needles:
        starts.append(at)
        at += len(needle) + 1
    holding = set()
    for needle in needles:
        at = joined.find(needle)
        while at >= 0:
            within = bisect_right(starts, at) - 1
            if needles[within] != needle:
                holding.add(within)
            at = joined.find(needle, at + 1)
    return [needle for index, needle in enumerate(needles) if index not in holding]


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


#: The anchor, its pattern and, for each needle it finds, (bit, needle, offset of the anchor in the needle).
_Group = tuple[str, re.Pattern[str], list[tuple[int, str, int]]]


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
        ahead = [re.escape(needle[1:]) for needle, at in members if not at]
        behind = [(needle[:at][::-1], re.escape(needle[at + 1 :])) for needle, at in members if at]
        branches = ahead + ([_behind(behind, re.escape(anchor), 0)] if behind else [])
        # Only the anchor is consumed: a needle that overlaps itself (__ in ___) is found at each place.
        pattern = re.compile(f"{re.escape(anchor)}(?=(?:{'|'.join(branches)}))")
        patterns.append((anchor, pattern, [(bits[needle], needle, at) for needle, at in members]))
    return patterns


#: Fewer branches than this are tried one by one; more get one class test in front.
_GATED = 4


def _behind(items: list[tuple[str, str]], anchor: str, depth: int) -> str:
    """A trie of the text behind the anchor, read backwards, ``depth`` characters already matched.

    ``items`` are (the text before the anchor reversed, the escaped text after it).
    A lookbehind matches from its far end, so ``(?<=RAK-)`` tests the new ``R`` first.
    """
    done = [after for before, after in items if len(before) == depth]
    nexts: dict[str, list[tuple[str, str]]] = {}
    for before, after in items:
        if len(before) > depth:
            nexts.setdefault(before[depth], []).append((before, after))
    branches = []
    for members in nexts.values():
        if len(members) == 1:  # the rest of one needle: no trie left to walk
            before, after = members[0]
            branches.append(f"(?<={re.escape(before[::-1])}{anchor}){after}")
            continue
        seen = re.escape(members[0][0][: depth + 1][::-1])
        branches.append(f"(?<={seen}{anchor})(?:{_behind(members, anchor, depth + 1)})")
    if len(branches) >= _GATED:
        chars = "".join(re.escape(char) for char in sorted(nexts))
        branches = [f"(?<=[{chars}]{'.' * depth}{anchor})(?:{'|'.join(branches)})"]
    return "|".join(done + branches)


def _find(text: str, patterns: list[_Group]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    append = found.append
    for anchor, pattern, members in patterns:
        # str.find runs at memchr speed, several times a pattern's pass: most files lack most anchors.
        first = text.find(anchor)
        if first < 0:
            continue
        if len(members) == 1:
            bit = members[0][0]
            for match in pattern.finditer(text, first):
                append((match.start(), bit))
            continue
        for match in pattern.finditer(text, first):
            # A match names its first branch only; another needle may end on the same anchor.
            at = match.start()
            bits = 0
            for bit, needle, offset in members:
                if text.startswith(needle, at - offset):
                    bits |= bit
            append((at, bits))
    return found

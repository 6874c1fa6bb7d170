"""Whether a file's text holds a literal, for the questions every file is asked.

Dialect detectors, checks and the engine ask of each file's whole text whether
it holds a literal (``"\\napiVersion:" in text``, ``"Spicepod" in text``,
``"yamlsecretlint:" in text``): a pass over the file each, about twenty a file
(12 ms a MB on the wild corpus). Here the first question about a text answers
every literal asked so far in one C scan (``_marks.Needles.scan_present``), and the
others are looked up. A literal first asked about is answered with ``in`` and
joins the next text's scan. Without the C module every answer is ``in``: the
reference, held equal to the scan by tests/sources/test_native_marks.py.

The same pass also finds the triggers of the marker that last scanned a text
of its own (``partner``), so a file's text is read once for both: the
marker's ``scan`` then takes its marks from here (``marks_of``).
"""

from __future__ import annotations

from typing import Any, Protocol

from yamlsecretlint.sources.compiled import MARKS


class Partner(Protocol):
    """A marker: its needles, each with its bit, in bit order."""

    def needle_bits(self) -> tuple[list[str], list[int]]: ...


#: The linter asks a fixed few; literals beyond these are answered with `in`.
MAX_LITERALS = 64
#: literal -> its bit in a scan's answer
_bits: dict[str, int] = {}
_scanner: Any = None
#: The last text scanned (held, not copied: it is the file being linted) and what it holds.
_text: str | None = None
_held = 0
#: The marker whose needles each scan also finds, and its marks in the last text scanned.
_partner: Partner | None = None
_marks: list[tuple[int, int]] | None = None


def partner(marker: Partner) -> None:
    """Have the next texts' scans also find ``marker``'s needles."""
    global _partner, _scanner
    if marker is not _partner:
        _partner, _scanner = marker, None


def marks_of(text: str, marker: Partner) -> list[tuple[int, int]] | None:
    """``marker``'s marks in ``text`` where the scan of its literals found them, else None."""
    if text is _text and marker is _partner and _scanner is not None:
        return _marks
    return None


def holds(text: str, literal: str) -> bool:
    """``literal in text``, from one scan per text of every literal asked so far."""
    global _scanner, _text, _held, _marks
    bit = _bits.get(literal)
    if bit is not None and text is _text and _scanner is not None:  # asked about this text already
        return bool(_held & bit)
    if MARKS is None or not literal.isascii() or not literal:
        return literal in text
    if bit is None:
        if len(_bits) < MAX_LITERALS:
            _bits[literal] = 1 << len(_bits)
            _scanner = None  # the next text's scan looks for it too
        return literal in text
    # A new text, or a literal new since this text's scan: scan it (again).
    if text is not _text or _scanner is None:
        if _scanner is None:
            needles, bits = _partner.needle_bits() if _partner is not None else ([], [])
            _scanner = MARKS.Needles([*_bits, *needles], [*_bits.values(), *bits], len(_bits))
        _held, _marks = _scanner.scan_present(text)
        _text = text
    return bool(_held & bit)

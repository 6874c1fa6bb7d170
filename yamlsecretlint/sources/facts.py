"""Whether a file's text holds a literal, for the questions every file is asked.

Dialect detectors, checks and the engine ask of each file's whole text whether
it holds a literal (``"\\napiVersion:" in text``, ``"Spicepod" in text``,
``"yamlsecretlint:" in text``): a pass over the file each, about twenty a file
(12 ms a MB on the wild corpus). Here the first question about a text answers
every literal asked so far in one C scan (``_marks.Needles.present``), and the
others are looked up. A literal first asked about is answered with ``in`` and
joins the next text's scan. Without the C module every answer is ``in``: the
reference, held equal to the scan by tests/sources/test_native_marks.py.
"""

from __future__ import annotations

from typing import Any

from yamlsecretlint.sources.compiled import MARKS

#: The linter asks a fixed few; literals beyond these are answered with `in`.
MAX_LITERALS = 64
#: literal -> its bit in a scan's answer
_bits: dict[str, int] = {}
_scanner: Any = None
#: The last text scanned (held, not copied: it is the file being linted) and what it holds.
_text: str | None = None
_held = 0


def holds(text: str, literal: str) -> bool:
    """``literal in text``, from one scan per text of every literal asked so far."""
    global _scanner, _text, _held
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
            _scanner = MARKS.Needles(list(_bits), list(_bits.values()))
        _held, _text = _scanner.present(text), text
    return bool(_held & bit)

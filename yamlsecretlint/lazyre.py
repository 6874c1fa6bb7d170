"""Regexes compiled on first use.

A pattern that only rare paths need (a value under a secret-named key, a file
with templates) costs its compile time only in runs that reach it; a
pre-commit hook on one small file never does. After the first use the
pattern's bound methods sit in slots, so later calls cost what a compiled
pattern's do. Per-scalar gates stay eager.
"""

from __future__ import annotations

import re
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    __slots__ = ("_flags", "_pattern", "groupindex", "pattern", *_METHODS)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only reached while a slot is still empty: compile once, fill every slot.
        compiled = re.compile(self._pattern, self._flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.groupindex = compiled.groupindex
        self.pattern = compiled.pattern
        return getattr(compiled, name)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Typed as a Pattern: it answers the Pattern methods, compiling on the first call."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]

"""Regexes compiled on first use.

A pattern that only rare paths need (a value under a secret-named key, a file
with templates) costs its compile time only in runs that reach it; a
pre-commit hook on one small file never does. Per-scalar gates stay eager.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Typed as a Pattern: it answers every Pattern method, compiling on the first call."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]

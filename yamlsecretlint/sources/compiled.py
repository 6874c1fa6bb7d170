"""The optional C extensions of the sources, or None where they are not built.

``sources/_walker.c`` (the YAML walk, over libyaml), ``sources/_marks.c``
(the trigger and ``#`` scans) and ``sources/_template.c`` (template masking)
are built by ``pip install`` where a C compiler (and, for the walker,
libyaml's headers) is found. Each has a Python reference that gives the same
results, only slower; ``YAMLSECRETLINT_WALKER=python`` turns them all off, to
compare or to rule them out.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def load(name: str) -> ModuleType | None:
    """``yamlsecretlint.sources.<name>``, or None: not built, or turned off."""
    if os.environ.get("YAMLSECRETLINT_WALKER", "").lower() == "python":
        return None
    try:
        return importlib.import_module(f"yamlsecretlint.sources.{name}")
    except ImportError:
        return None


#: sources/_marks.c: ``Needles(needles, bits).scan(text)`` and ``hash_starts(text)``.
MARKS = load("_marks")
#: sources/_template.c: ``mask(text)`` -> (masked text, tag spans, filler stretches).
TEMPLATE = load("_template")

"""Fake credentials, made at run time so the repository holds none as a literal.

Rule examples and tests write ``<fake:KIND>``; :func:`expand` puts a fresh
fake of that kind in its place.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable

_BASE32 = string.ascii_uppercase + "234567"


def aws_access_key_id(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    return "AKIA" + "".join(rng.choice(_BASE32) for _ in range(16))


FAKES: dict[str, Callable[[random.Random], str]] = {
    "aws-access-key-id": aws_access_key_id,
}

_PLACEHOLDER = re.compile(r"<fake:([a-z0-9-]+)>")


def expand(text: str, seed: int = 0) -> str:
    rng = random.Random(seed)

    def fake(match: re.Match[str]) -> str:
        kind = match.group(1)
        if kind not in FAKES:
            raise KeyError(f"no fake for <fake:{kind}>; add one to tests/fakes.py")
        return FAKES[kind](rng)

    return _PLACEHOLDER.sub(fake, text)

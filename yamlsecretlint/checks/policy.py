"""The configuration's additions to what is secret-named and what is benign.

``secret-keys`` (regexes of key names that hold secrets, such as in-house
names) and ``allowed-values`` (regexes of values that are never credentials,
such as an organisation's placeholder convention). Set once per process by
the linter, before any file is read.
"""

from __future__ import annotations

import re

_secret_keys: re.Pattern[str] | None = None
_allowed_values: re.Pattern[str] | None = None


def _union(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def configure(secret_keys: tuple[str, ...], allowed_values: tuple[str, ...]) -> None:
    global _secret_keys, _allowed_values
    _secret_keys = _union(secret_keys)
    _allowed_values = _union(allowed_values)


def extra_secret_key(name: str) -> bool:
    return _secret_keys is not None and _secret_keys.search(name) is not None


def allowed_value(value: str) -> bool:
    return _allowed_values is not None and _allowed_values.search(value) is not None

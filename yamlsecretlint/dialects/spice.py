"""Spice: ``spicepod.yaml`` (``kind: Spicepod``). Its AWS store reads ``spice_<key>``, then ``<key>``.

References and stores are parsed by references/spice.py.
"""

from __future__ import annotations

import re

from yamlsecretlint import lazyre
from yamlsecretlint.dialects.base import Dialect, file_name

_SPICEPOD = lazyre.compile(r"^kind:[ \t]*Spicepod\b", re.M)


def _detect(path: str, text: str) -> bool:
    name = file_name(path)
    return name.startswith("spicepod.") or ("Spicepod" in text and _SPICEPOD.search(text) is not None)


DIALECT = Dialect(
    "spice",
    detect=_detect,
    hint=lambda name: f"store it in AWS Secrets Manager and write ${{aws:{name}}} (an aws_secrets_manager store)",
    key_names=lambda paths, key: (f"spice_{key}", key),
)

"""Finding identities that survive unrelated edits and reveal no secret.

A fingerprint rests on the rule, the path, the key path and a keyed hash of
the matched text, never on the line number: moving lines keeps a finding
matched, a different secret at the same place is a new finding.

The value's part is truncated to 32 bits before it is mixed in, so a
fingerprint published in a baseline or a SARIF file cannot be brute-forced
back to a short password: every guess space larger than 2**32 leaves many
candidates, while an accidental collision of two secrets at the same key is
a one-in-four-billion event.
"""

from __future__ import annotations

import hashlib
import hmac

_KEY = b"yamlsecretlint/fingerprint/v1"


def value_tag(value: str) -> str:
    return hmac.new(_KEY, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:8]


def fingerprint(rule: str, path: str, key: str, value: str) -> str:
    return identity(rule, path, key, value_tag(value))


def identity(rule: str, path: str, key: str, tag: str) -> str:
    material = "\0".join((rule, path, key, tag))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]

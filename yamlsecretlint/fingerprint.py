"""Finding identities that survive unrelated edits and cannot confirm a guessed secret.

A fingerprint rests on the rule, the path, the key path and a few bits of a
hash of the matched text, never on the line number: moving lines keeps a
finding matched, and a different secret at the same place is, almost always,
a new finding.

The threat model. Baselines are committed and SARIF fingerprints are uploaded,
so anyone who reads them knows the rule, path and key path of every entry, and
the hashing below is public code: any key it uses is public too. Whatever bits
of the value's hash a fingerprint carries, an attacker can test guesses
against them at the speed of a hash. So the value's share is kept to
``VALUE_BITS`` bits:

- a dictionary of N guesses leaves about N / 2**VALUE_BITS candidates that fit
  (400,000 common passwords leave about 390): the fingerprint does not confirm
  which one is the secret, it tells an attacker about 10 bits;
- a secret replaced at the same key keeps its tag with probability
  2**-VALUE_BITS (1 in 1,024): the baseline then takes the new secret for the
  accepted one. That is the price of not confirming guesses.

One HMAC-SHA-256 per finding: no measurable cost (a slow, salted hash would
buy nothing once so few bits are kept).
"""

from __future__ import annotations

import hashlib
import hmac

_KEY = b"yamlsecretlint/fingerprint/v2"
#: Bits of the value's hash a fingerprint depends on.
VALUE_BITS = 10


def value_tag(value: str) -> str:
    """The value's share of a fingerprint: VALUE_BITS bits, as three hex digits."""
    # hmac.digest: the same HMAC-SHA-256, computed in one C call (no HMAC object per finding).
    digest = hmac.digest(_KEY, value.encode("utf-8", "surrogatepass"), "sha256")
    return f"{int.from_bytes(digest[:2], 'big') >> (16 - VALUE_BITS):03x}"


def identity(rule: str, path: str, key: str, tag: str) -> str:
    material = "\0".join((rule, path, key, tag))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]

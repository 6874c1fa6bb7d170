"""YSL102: an AWS secret access key written in clear.

Forty characters of base64 under a key that names an AWS secret key; or a
value that is exactly such a string in a file that also holds an access key
id; or one that has the secret key's unmistakable shape (upper, lower, digits
and a ``/`` or ``+``). AWS's documented sample (…``EXAMPLEKEY``) is not reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

from yamlsecretlint import lazyre
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context
from yamlsecretlint.checks.keys import words
from yamlsecretlint.checks.values import is_dummy
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.policy import Policy
from yamlsecretlint.redact import preview
from yamlsecretlint.references import hint_for
from yamlsecretlint.sources.keypaths import last_key

RULE = "YSL102"
_SECRET_40 = lazyre.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_KEY_ID = lazyre.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])")
_HEX = lazyre.compile(r"^[0-9a-fA-F]+$")
_KEY_ID_PREFIX = lazyre.compile("AKIA|ASIA|ABIA|ACCA")


@lru_cache(maxsize=4096)
def _aws_secret_key_name(name: str) -> bool:
    if name.isascii() and "secret" not in name.lower():
        return False  # most names: no need to split them into words
    parts = words(name)
    joined = "".join(parts)
    return "secret" in joined and ("access" in parts or "aws" in joined or joined.endswith("secretkey"))


def _named(name: str, policy: Policy) -> bool:
    return _aws_secret_key_name(name)


def _plausible(secret: str) -> bool:
    if _HEX.match(secret) or secret.upper().endswith("EXAMPLEKEY") or is_dummy(secret):
        return False
    # `/spec/template/spec/containers/0/envFrom` (a JSON patch path) is 40 characters of the alphabet.
    if secret.startswith("/") and secret.count("/") >= 3:
        return False
    return any(c.isdigit() for c in secret) and any(c.isupper() for c in secret) and any(c.islower() for c in secret)


def _shaped(secret: str) -> bool:
    return _plausible(secret) and ("/" in secret or "+" in secret)


class AwsSecretCheck(Check):
    hints = ("AKIA", "ASIA", "ABIA", "ACCA")
    #: Without a trigger or a name, only a value that is the whole secret is read.
    lengths = frozenset({40})
    names = staticmethod(_named)
    roles = frozenset({"value", "comment", "line"})

    def __init__(self, rule: Rule) -> None:
        self.message = rule.message

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._key_id_seen = False
        self._waiting: list[Scalar] = []

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        # A plain function in front of the generator: most scalars stop at this gate.
        value = scalar.value
        if len(value) < 20 or scalar.role == "key" or scalar.role == "template":
            return ()
        if not self._key_id_seen and _KEY_ID_PREFIX.search(value) and _KEY_ID.search(value):
            self._key_id_seen = True
        if len(value) < 40:
            return ()
        # Without the key's name, only a value that is the whole secret counts.
        by_key = _aws_secret_key_name(scalar.name or last_key(scalar.key))
        if len(value) != 40 and not by_key:
            return ()
        return list(self._scan(scalar, by_key))

    def _scan(self, scalar: Scalar, by_key: bool) -> Iterator[Hit]:
        value = scalar.value
        for match in _SECRET_40.finditer(value):
            secret = match.group()
            if not _plausible(secret):
                continue
            whole = match.span() == (0, len(value))
            if by_key or (whole and _shaped(secret)):
                yield self._hit(scalar, match.start(), match.end())
            elif whole:
                self._waiting.append(scalar)

    def finish(self) -> Iterator[Hit]:
        if self._key_id_seen:
            for scalar in self._waiting:
                yield self._hit(scalar, 0, len(scalar.value))
        self._waiting = []

    def _hit(self, scalar: Scalar, start: int, end: int) -> Hit:
        message = self.message.format(preview=preview(scalar.value[start:end]))
        return Hit(RULE, scalar, start, end, f"{message}; {hint_for(self.context.dialect, scalar)}")


def make(rules: list[Rule]) -> list[Check]:
    return [AwsSecretCheck(r) for r in rules if r.id == RULE]

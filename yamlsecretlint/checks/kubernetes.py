"""YSL107: a Kubernetes ``kind: Secret`` that carries its values.

Values under ``stringData`` are plaintext; values under ``data`` are base64,
which is an encoding, not encryption: they are decoded and judged the same
way. Entries that are not credentials (a username, a host, a certificate)
are not reported; SealedSecrets' ``encryptedData``, External Secrets and
Helm templates (``{{ .Values.password | b64enc }}``) are references.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

from yamlsecretlint import redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context, wordset
from yamlsecretlint.checks.keys import is_secret_name, words
from yamlsecretlint.checks.values import benign
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.policy import Policy
from yamlsecretlint.redact import preview
from yamlsecretlint.references import fix_hint
from yamlsecretlint.references.inline import references
from yamlsecretlint.sources.facts import holds
from yamlsecretlint.sources.keypaths import last_key

RULE = "YSL107"
#: Entries of a Secret that are configuration, not credentials.
_NOT_SECRET = wordset(
    """
    user username login email host hostname server port database db dbname name namespace region endpoint
    url uri address schema scheme protocol sslmode mode driver type cluster bucket project account org
    organization tenant domain path crt cert certificate ca sum checksum hash digest sha md
    """
)
#: What benign() may say of a decoded entry that makes it no credential; a path or
#: a URL inside a Secret is still the Secret's content.
_NOT_CREDENTIALS = ("empty", "number", "reference", "encrypted", "public", "placeholder", "sentence")
_NOT_SECRET_SUFFIXES = ("name", "user", "username", "host", "url", "port")


def _decoded(value: str) -> str | None:
    compact = "".join(value.split())
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _credential_entry(name: str, policy: Policy) -> bool:
    """Every entry of a Secret is a credential but for those that name configuration."""
    parts = words(name)
    if any(is_secret_name(part, policy) for part in parts):
        return True
    return not any(part in _NOT_SECRET or part.endswith(_NOT_SECRET_SUFFIXES) for part in parts)


class KubernetesSecretCheck(Check):
    hints = ()
    root_keys = frozenset({"kind", "data", "stringData"})

    def __init__(self, rule: Rule) -> None:
        self.message = rule.message

    def applies(self, context: Context) -> bool:
        return holds(context.text, "Secret")  # `kind: Secret`, however it is quoted or tagged

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._secret_docs: set[int] = set()
        self._entries: list[Scalar] = []

    roles = frozenset({"value"})

    def scalar(self, scalar: Scalar) -> tuple[Hit, ...]:
        # Only gathers: a document is known to be a Secret once its `kind` is seen.
        if scalar.role == "value":
            key = scalar.key
            if key == "kind" and scalar.value == "Secret":
                self._secret_docs.add(scalar.doc)
            elif key.startswith(("stringData.", "data.", 'stringData["', 'data["')):
                self._entries.append(scalar)
        return ()

    def finish(self) -> Iterator[Hit]:
        for scalar in self._entries:
            if scalar.doc in self._secret_docs:
                yield from self._judge(scalar)
        self._entries = []

    def _judge(self, scalar: Scalar) -> Iterator[Hit]:
        name = last_key(scalar.key)
        policy = self.context.policy
        if not _credential_entry(name, policy) or scalar.tag or references(scalar.value).found:
            return
        encoded = scalar.key.startswith("data")
        value = _decoded(scalar.value) if encoded else scalar.value
        if value is None or benign(value, name, policy) in _NOT_CREDENTIALS:
            return
        where = "data (base64 is not encryption)" if encoded else "stringData"
        message = self.message.format(name=redact.name(name), where=where, preview=preview(value))
        hint = fix_hint("kubernetes", name)
        yield Hit(RULE, scalar, 0, len(scalar.value), f"{message}; {hint}")


def make(rules: list[Rule]) -> list[Check]:
    return [KubernetesSecretCheck(r) for r in rules if r.id == RULE]

"""migrate for Kubernetes: a ``Secret`` with plaintext becomes an ``ExternalSecret`` that syncs it from AWS.

The Secret's entries (``data`` decoded from base64, ``stringData`` as written)
become one JSON secret in Secrets Manager, and the Secret's document is replaced
in place by an External Secrets Operator manifest that creates a Secret of the
same name, namespace and type with the same keys (``data[].remoteRef`` with a
``property`` each, so ``--online`` checks every key). It reads through the AWS
store found among the linted files, or the one ``--store`` names (a
ClusterSecretStore ``aws-secretsmanager`` by default, YSL210 until it is linted
too). A Secret whose ``data`` is not UTF-8 text (a keystore, an image) is left.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from typing import NamedTuple

from yamlsecretlint.model import Scalar
from yamlsecretlint.sources import open_source
from yamlsecretlint.sources.keypaths import segments

DEFAULT_STORE = ("ClusterSecretStore", "aws-secretsmanager")


class Document(NamedTuple):
    """A Secret document: its region in the text, and what the manifest replacing it needs."""

    start: int
    end: int
    name: str
    namespace: str
    type: str
    #: key -> where its value is written (``data`` entries are base64).
    entries: dict[str, Scalar]
    why: str


def secrets(text: str, parsed: Iterable[Scalar] | None = None) -> dict[int, Document]:
    """Each ``kind: Secret`` document of a manifest file, by document index (``parsed``: its scalars, if at hand)."""
    by_doc: dict[int, list[Scalar]] = {}
    for scalar in parsed if parsed is not None else open_source("yaml", text).scalars():
        if scalar.role != "comment":
            by_doc.setdefault(scalar.doc, []).append(scalar)
    found = {}
    for doc, scalars in by_doc.items():
        fields = {s.key: s for s in scalars if s.role == "value"}
        if fields.get("kind") is None or fields["kind"].value != "Secret":
            continue
        entries = {}
        why = ""
        for key, scalar in fields.items():
            parts = segments(key)
            if len(parts) == 2 and parts[0] in ("data", "stringData"):
                entries[parts[1]] = scalar
                if parts[0] == "data" and _text(scalar.value) is None:
                    why = f"its data entry {parts[1]} is not base64 of UTF-8 text: store it by hand"
        start = text.rfind("\n", 0, min(s.start for s in scalars)) + 1
        last = max(s.end for s in scalars)
        end = text.find("\n", last)
        found[doc] = Document(
            start,
            len(text) if end < 0 else end,
            fields["metadata.name"].value if "metadata.name" in fields else "",
            fields["metadata.namespace"].value if "metadata.namespace" in fields else "",
            fields["type"].value if "type" in fields else "",
            entries,
            why or ("" if "metadata.name" in fields else "it has no metadata.name"),
        )
    return found


def _text(encoded: str) -> str | None:
    try:
        return base64.b64decode("".join(encoded.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def value(document: Document) -> str:
    """The JSON secret: each entry's text (``data`` decoded). For --apply only."""
    values = {}
    for key, scalar in document.entries.items():
        decoded = _text(scalar.value) if scalar.key.startswith("data") else scalar.value
        values[key] = decoded if decoded is not None else ""
    return json.dumps(values)


def manifest(document: Document, secret_name: str, store: tuple[str, str]) -> str:
    """The ExternalSecret that replaces the Secret's document (no trailing newline: the line's is kept)."""
    lines = ["apiVersion: external-secrets.io/v1", "kind: ExternalSecret", "metadata:", f"  name: {_q(document.name)}"]
    if document.namespace:
        lines.append(f"  namespace: {_q(document.namespace)}")
    lines += [
        "spec:",
        "  refreshInterval: 1h",
        "  secretStoreRef:",
        f"    kind: {store[0]}",
        f"    name: {_q(store[1])}",
    ]
    lines += ["  target:", f"    name: {_q(document.name)}", "    creationPolicy: Owner"]
    if document.type and document.type != "Opaque":
        lines += ["    template:", f"      type: {_q(document.type)}"]
    lines.append("  data:")
    for key in document.entries:
        lines += [f"    - secretKey: {_q(key)}", "      remoteRef:", f"        key: {_q(secret_name)}"]
        lines.append(f"        property: {_q(key)}")
    return "\n".join(lines)


def _q(text: str) -> str:
    """A YAML scalar for a name or key: JSON's double-quoted form is valid YAML."""
    return json.dumps(text)


def store_of(texts: Iterable[str]) -> tuple[str, str]:
    """An AWS Secrets Manager store declared among the linted files, else the default name."""
    from yamlsecretlint.references import kubernetes

    for text in texts:
        if "SecretStore" in text and "SecretsManager" in text:
            for (kind, name), store in kubernetes.stores(
                kubernetes.documents(open_source("yaml", text).scalars())
            ).items():
                if store.provider == "aws-secretsmanager":
                    return kind, name
    return DEFAULT_STORE

"""Dialects: which tool reads a file, and what that tool does with secrets — one module each.

Each module declares a ``Dialect`` (dialects/base.py): how its files are
detected, how a secret should be referenced in it (the fix hint), the region
rule its references follow online, and how a reference's key is looked up in
a JSON secret. ``DETECTED`` is the order files are recognised in; ``REGISTRY``
holds every dialect by name, reference-only ones (ecs, serverless, arn) too.
The parsers of each dialect's references are in references/.
"""

from __future__ import annotations

import re

from yamlsecretlint import redact
from yamlsecretlint.dialects import cloudformation, compose, dotenv, github, kubernetes, mage, spice
from yamlsecretlint.dialects.base import Dialect
from yamlsecretlint.model import FileKind

__all__ = ["DETECTED", "REGISTRY", "Dialect", "dialect_of", "fix_hint", "get", "secret_name_for"]

#: File dialects in the order they are tried; a file none claims is plain "yaml".
DETECTED = (
    mage.DIALECT,
    spice.DIALECT,
    compose.DIALECT,
    github.DIALECT,
    cloudformation.DIALECT,
    kubernetes.DIALECT,
)
PLAIN = Dialect("yaml")
REGISTRY = {
    d.name: d for d in (*DETECTED, dotenv.DIALECT, cloudformation.ECS, cloudformation.SERVERLESS, Dialect("arn"), PLAIN)
}


def get(name: str) -> Dialect:
    return REGISTRY.get(name, PLAIN)


def dialect_of(path: str, kind: FileKind, text: str) -> str:
    if kind == "dotenv":
        return "dotenv"
    return next((d.name for d in DETECTED if d.detect(path, text)), PLAIN.name)


def secret_name_for(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9/_+=.@-]+", "_", key.rsplit(".", 1)[-1]).strip("_").lower() or "my_secret"


def fix_hint(dialect: str, key: str) -> str:
    """How to reference the secret instead, in the file's own dialect."""
    return get(dialect).hint(redact.name(secret_name_for(key)))

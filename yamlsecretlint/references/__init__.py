"""References: each dialect's home — which tool reads a file, and what it does with secrets.

One module per dialect declares a ``Dialect`` (references/dialect.py): how its
files are detected, how a secret should be referenced in it (the fix hint of
plaintext findings), the region rule its references follow online, and how a
reference's key is looked up in a JSON secret. A dialect with reference syntax
of its own also has ``make(rules) -> list[Check]``: checks that report malformed
references (YSL2xx, YSL3xx) and record the well-formed ones, which the online
verifier checks next. Shared by several dialects: the ARN grammar (arns.py),
secret names (secret_names.py), and references written inside values as the
plaintext checks see them (inline.py).

A new dialect is its module here, one line in ``MODULES`` (and in ``DETECTED``
when files are recognised as it), its rule files and its tests.
"""

from __future__ import annotations

from yamlsecretlint import lazyre, redact
from yamlsecretlint.model import FileKind, Scalar
from yamlsecretlint.references import (
    ansible,
    arn,
    cloudformation,
    compose,
    copilot,
    dotenv,
    ecs,
    github,
    kubernetes,
    mage,
    serverless,
    spice,
)
from yamlsecretlint.references.dialect import Dialect

__all__ = ["CHECKED", "DETECTED", "REGISTRY", "Dialect", "dialect_of", "fix_hint", "get", "secret_name_for"]

#: Every dialect's module, in the order their checks run.
MODULES = (mage, spice, cloudformation, ecs, serverless, copilot, ansible, github, compose, kubernetes, dotenv, arn)
#: The modules with reference checks of their own.
CHECKED = tuple(module for module in MODULES if hasattr(module, "make"))
#: File dialects in the order they are tried; a file none claims is plain "yaml".
DETECTED = (
    mage.DIALECT,
    spice.DIALECT,
    copilot.DIALECT,
    compose.DIALECT,
    github.DIALECT,
    cloudformation.DIALECT,
    kubernetes.DIALECT,
)
PLAIN = Dialect("yaml")
REGISTRY: dict[str, Dialect] = {d.name: d for d in (*(module.DIALECT for module in MODULES), PLAIN)}


def get(name: str) -> Dialect:
    return REGISTRY.get(name, PLAIN)


def dialect_of(path: str, kind: FileKind, text: str) -> str:
    if kind == "dotenv":
        return "dotenv"
    return next((d.name for d in DETECTED if d.detect(path, text)), PLAIN.name)


_NOT_NAME = lazyre.compile(r"[^A-Za-z0-9/_+=.@-]+")


def secret_name_for(key: str) -> str:
    return _NOT_NAME.sub("_", key.rsplit(".", 1)[-1]).strip("_").lower() or "my_secret"


def hint_for(dialect: str, scalar: Scalar) -> str:
    """The fix hint for a value found in ``scalar``: named by its pair's name or its key, placed by its key path."""
    return fix_hint(dialect, scalar.name or scalar.key, scalar.key)


def fix_hint(dialect: str, key: str, path: str = "") -> str:
    """How to reference the secret instead, in the file's own dialect and the place ``path`` is in it."""
    own = get(dialect)
    name = redact.name(secret_name_for(key))
    return own.hint_at(path, name) or own.hint(name)

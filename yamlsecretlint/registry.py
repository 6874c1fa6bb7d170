"""Every check, in the order it runs: the plaintext rules (checks/), then the dialects' (references/).

A neutral module above both packages: the engine builds its checks from here.
The list is explicit so that the order of checks never depends on the file system.
"""

from __future__ import annotations

from yamlsecretlint import references
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check
from yamlsecretlint.checks import aws_secret, dsn, kubernetes, patterns, private_keys, secret_keys

REGISTRY = (
    # plaintext credentials
    patterns,
    aws_secret,
    private_keys,
    dsn,
    secret_keys,
    kubernetes,
    # references and their syntax, one module per dialect
    *references.CHECKED,
)


def build(rules: list[Rule]) -> list[Check]:
    return [check for module in REGISTRY for check in module.make(rules)]

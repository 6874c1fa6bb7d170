"""Every check, in the order it runs: the plaintext rules (checks/), then the dialects (references/).

A neutral module so that neither package imports the other's registry: the
engine builds its checks from here. The list is explicit so that the order of
checks never depends on the file system.
"""

from __future__ import annotations

from yamlsecretlint.catalog import Rule
from yamlsecretlint.checks import Check, aws_secret, dsn, kubernetes, patterns, private_keys, secret_keys
from yamlsecretlint.references import arn, cloudformation, interpolation, mage, spice

REGISTRY = (
    # plaintext credentials
    patterns,
    aws_secret,
    private_keys,
    dsn,
    secret_keys,
    kubernetes,
    # references and their syntax
    mage,
    spice,
    cloudformation,
    interpolation,
    arn,
)


def build(rules: list[Rule]) -> list[Check]:
    return [check for module in REGISTRY for check in module.make(rules)]

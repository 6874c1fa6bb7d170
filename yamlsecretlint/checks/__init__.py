"""Checks: what turns scalars into hits.

Each check module has ``make(rules) -> list[Check]`` (empty when its rules
are not selected). The registry below is explicit so that the order of
checks never depends on the file system.
"""

from __future__ import annotations

from yamlsecretlint.catalog import Rule
from yamlsecretlint.checks import aws_secret, dsn, kubernetes, patterns, private_keys, secret_keys
from yamlsecretlint.checks.base import Check, Context
from yamlsecretlint.model import Hit
from yamlsecretlint.references import arn, cloudformation, interpolation, mage, spice

__all__ = ["REGISTRY", "Check", "Context", "build", "resolve_overlaps"]

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

#: When hits of several rules cover the same text, the most specific one is
#: kept: a GitHub token under ``github_token:`` is YSL104, not also YSL106.
_GENERAL = {"YSL106": 2, "YSL107": 1}


def build(rules: list[Rule]) -> list[Check]:
    return [check for module in REGISTRY for check in module.make(rules)]


def resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    if len(hits) < 2:
        return hits
    kept = []
    for hit in hits:
        rank = _GENERAL.get(hit.rule, 0)
        beaten = any(
            other is not hit
            and other.scalar.start == hit.scalar.start
            and other.start < hit.end
            and hit.start < other.end
            and (_GENERAL.get(other.rule, 0), other.rule) < (rank, hit.rule)
            for other in hits
        )
        if not beaten:
            kept.append(hit)
    return kept

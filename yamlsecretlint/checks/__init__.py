"""Checks: what turns scalars into hits.

Each check module has ``make(rules) -> check`` where ``check(scalar)`` yields
hits. The registry below is explicit so that the order of checks, and so of
findings on one position, never depends on the file system.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from yamlsecretlint.catalog import Rule
from yamlsecretlint.checks import patterns
from yamlsecretlint.model import Hit, Scalar

Check = Callable[[Scalar], Iterator[Hit]]

REGISTRY = (patterns,)


def build(rules: list[Rule]) -> list[Check]:
    return [module.make(rules) for module in REGISTRY]

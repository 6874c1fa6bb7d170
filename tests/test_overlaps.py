"""A plaintext finding is removed by nothing but a suppression that names it."""

from __future__ import annotations

import random
from pathlib import Path

from tests.fakes import FAKES
from tests.helpers import lint_text
from yamlsecretlint import catalog
from yamlsecretlint.checks import resolve_overlaps
from yamlsecretlint.model import Hit, Scalar

#: From the rule files (`generality:`), as the engine reads it.
GENERALITY = {rule.id: rule.generality for rule in catalog.load().values()}


def _hits(*rules: str) -> list[Hit]:
    scalar = Scalar("x" * 40, "password", "value", 10, 50)
    return [Hit(rule, scalar, 0, 40, "m") for rule in rules]


def test_syntax_finding_does_not_hide_plaintext() -> None:
    """YSL2xx/3xx hits on a value never beat the plaintext hit there (nor does a suppression of them)."""
    for other in ("YSL201", "YSL207", "YSL206", "YSL303"):
        assert {h.rule for h in resolve_overlaps(_hits("YSL106", other), GENERALITY)} == {"YSL106", other}


def test_specific_plaintext_rule_wins() -> None:
    assert [h.rule for h in resolve_overlaps(_hits("YSL106", "YSL104", "YSL107"), GENERALITY)] == ["YSL104"]
    assert [h.rule for h in resolve_overlaps(_hits("YSL106", "YSL107"), GENERALITY)] == ["YSL107"]


def test_per_file_ignore_of_specific_rule_leaves_general_one(tmp_path: Path) -> None:
    token = FAKES["github-pat"](random.Random(3))
    text = f"github_token: {token}\n"
    assert [f.rule for f in lint_text(tmp_path, "a.yaml", text)] == ["YSL104"]
    ignored = lint_text(tmp_path, "a.yaml", text, per_file_ignores=(("*.yaml", ("YSL104",)),))
    assert [f.rule for f in ignored] == ["YSL106"]


def test_overlaps_are_linear() -> None:
    """10,000 overlapping hits on one scalar resolve in one sweep, not pairwise."""
    import time

    scalar = Scalar("x" * 20_000, "k", "value", 0, 20_000)
    hits = [Hit("YSL106" if i % 2 else "YSL104", scalar, i, i + 2, "m") for i in range(10_000)]
    began = time.perf_counter()
    kept = resolve_overlaps(hits, GENERALITY)
    assert time.perf_counter() - began < 1.0
    assert {h.rule for h in kept} == {"YSL104"}

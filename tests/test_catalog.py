"""The rule catalogue: every file valid, every example doing what it says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import RunCli
from tests.fakes import expand
from tests.helpers import lint_text
from yamlsecretlint import catalog

RULES = catalog.load()
EXAMPLES = [
    pytest.param(rule, kind, i, example, id=f"{rule.id}-{kind}-{i}")
    for rule in RULES.values()
    for kind in ("must", "must-not")
    for i, example in enumerate(rule.examples.get(kind, []))
]


def test_rule_files_match_the_schema() -> None:
    schema = json.loads(catalog.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert catalog.validate() == []


def test_schema_rejects_a_bad_rule(tmp_path: Path) -> None:
    bad = tmp_path / "YSL999.yaml"
    bad.write_text("id: YSL999\nname: Bad Name\ncategory: nope\n", encoding="utf-8")
    problems = catalog.validate([bad])
    assert any("category" in p for p in problems)
    assert any("name" in p for p in problems)
    assert any("'severity' is a required property" in p for p in problems)


def test_every_rule_has_examples_both_ways() -> None:
    # Online rules need AWS: tests/online exercises them against moto's server.
    for rule in RULES.values():
        if rule.category == "online":
            continue
        assert rule.examples["must"], rule.id
        assert rule.examples["must-not"], rule.id


@pytest.mark.parametrize(("rule", "kind", "index", "example"), EXAMPLES)
def test_example(tmp_path: Path, rule: catalog.Rule, kind: str, index: int, example: dict[str, Any]) -> None:
    text = expand(example["text"], seed=index)
    everything = lint_text(tmp_path, example["file"], text)
    findings = [f for f in everything if f.rule == rule.id]
    if kind == "must-not":
        assert findings == [], f"{rule.id} must not report: {example['text']!r}"
        # A must-not example that does not parse would pass for the wrong reason.
        if rule.category != "input":
            assert not [f for f in everything if f.category == "input"], f"example does not parse: {everything}"
        return
    assert findings, f"{rule.id} must report: {example['text']!r}"
    if "line" in example:
        assert findings[0].span.line == example["line"]
    if "column" in example:
        assert findings[0].span.column == example["column"]


def test_list_rules(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = cli("--list-rules")
    assert run.code == 0
    ids = [line.split()[0] for line in run.out.splitlines()]
    assert ids == sorted(RULES)
    # Marked by what this configuration and the command line enable; JSON for tools.
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".yamlsecretlint.yaml").write_text("ignore: [YSL9]\nseverity: {YSL106: warning}\n", encoding="utf-8")
    marks = {line.split()[0]: line.split()[1:3] for line in cli("--list-rules", "--ignore", "YSL8").out.splitlines()}
    assert marks["YSL101"] == ["on", "error"]
    assert marks["YSL106"] == ["on", "warning"]
    assert marks["YSL801"][0] == "off"
    assert marks["YSL901"][0] == "on"  # the command line's --ignore replaces the file's
    rows: list[dict[str, Any]] = cli("--list-rules", "--format", "json").json()  # type: ignore[assignment]
    by_id = {row["id"]: row for row in rows}
    assert [row["id"] for row in rows] == sorted(RULES)
    assert by_id["YSL106"]["severity"] == "warning"
    assert by_id["YSL901"]["enabled"] is False
    assert by_id["YSL101"]["help_uri"].endswith("/rules/YSL101.yaml")


def test_explain(cli: RunCli) -> None:
    run = cli("--explain", "ysl101")
    assert run.code == 0
    assert run.out.startswith("YSL101 aws-access-key-id (plaintext, error)")
    assert "How to fix" in run.out
    # Examples read like the file: each credential shown as a report shows one, never whole.
    assert "<fake:" not in run.out
    assert "AKIA… (20 chars)" in run.out
    assert "/rules/YSL101.yaml" in run.out
    tokens = cli("--explain", "YSL104").out
    assert "<fake:" not in tokens
    assert "ghp_… (40 chars)" in tokens


def test_explain_unknown_rule(cli: RunCli) -> None:
    run = cli("--explain", "YSL999")
    assert run.code == 2
    assert "unknown rule" in run.err


def test_compiled_catalogue_is_current() -> None:
    """yamlsecretlint/catalog.json is what `python -m yamlsecretlint.catalog` writes from rules/."""
    assert catalog.COMPILED_PATH.read_text(encoding="utf-8") == catalog.compiled(), (
        "rules/ changed: run `python -m yamlsecretlint.catalog` and commit yamlsecretlint/catalog.json"
    )
    assert catalog.from_compiled() == catalog.from_files()

"""Every fix hint that names text to write is applied and linted again: the fix passes the tool's own checks.

A hint that suggests ``write X`` is taken at its word: X replaces the text the
finding points at (or, for a fragment such as ``secret:prod/db-??????``, the
part of it X continues), and the file is linted again. Nothing may be reported:
not the finding, not a malformed reference, not a YAML error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import expand
from tests.helpers import lint_text, references_of
from yamlsecretlint.model import Finding

_WRITE = "write "


def _suggested(message: str) -> str:
    """What a hint says to write: `write "X"` (quoted as YAML needs it), or `write X`, braces balanced."""
    at = message.find(_WRITE)
    assert at >= 0, f"no text to write in: {message}"
    rest = message[at + len(_WRITE) :]
    if rest.startswith('"'):
        return rest[: rest.index('"', 1) + 1]
    depth = 0
    for end, char in enumerate(rest):
        depth += (char == "{") - (char == "}")
        if depth == 0 and char in " ;":
            return rest[:end]
    return rest


SPICE = (
    "version: v1\nkind: Spicepod\nname: app\nsecrets:\n  - from: aws_secrets_manager:prod/db\n    name: aws\n"
    "datasets:\n  - from: postgres:t\n    name: t\n    params:\n      pg_pass: {slot}\n"
)
CASES = [
    ("io_config.yaml", "default:\n  POSTGRES_PASSWORD: {slot}\n", "YSL106"),
    ("spicepod.yaml", SPICE, "YSL106"),
    ("template.yaml", "Resources:\n  Db:\n    Properties:\n      MasterUserPassword: {slot}\n", "YSL106"),
    ("docker-compose.yml", "services:\n  db:\n    environment:\n      DB_PASSWORD: {slot}\n", "YSL106"),
    (".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - env:\n          API_TOKEN: {slot}\n", "YSL106"),
    ("spicepod.yaml", SPICE.replace("{slot}", "${{ aws.password }}"), "YSL203"),
    (
        "io_config.yaml",
        "default:\n  SNOWFLAKE_PASSWORD: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf\n",
        "YSL201",
    ),
    (
        "template.yaml",
        "Resources:\n  P:\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n"
        "            Action: secretsmanager:GetSecretValue\n"
        "            Resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db\n",
        "YSL307",
    ),
]


def _offset(text: str, line: int, column: int) -> int:
    return sum(len(row) for row in text.splitlines(keepends=True)[: line - 1]) + column - 1


def _applied(text: str, finding: Finding) -> str:
    fix = _suggested(finding.message)
    span = finding.span
    start, end = _offset(text, span.line, span.column), _offset(text, span.end_line, span.end_column)
    flagged = text[start:end]
    # A fragment continues what is written (`secret:prod/db` -> `secret:prod/db-??????`).
    head = fix.rstrip("-?*")
    if head != fix and flagged.endswith(head):
        return text[:end] + fix[len(head) :] + text[end:]
    return text[:start] + fix + text[end:]


@pytest.mark.parametrize(("name", "template", "rule"), CASES, ids=[f"{c[2]}-{c[0]}" for c in CASES])
def test_applying_the_hint_leaves_nothing_to_report(tmp_path: Path, name: str, template: str, rule: str) -> None:
    text = template.replace("{slot}", expand("<fake:password>", seed=5))
    findings = [f for f in lint_text(tmp_path, name, text) if f.rule == rule]
    assert len(findings) == 1, findings
    fixed = _applied(text, findings[0])
    assert fixed != text
    assert lint_text(tmp_path, name, fixed) == [], fixed
    if name in ("io_config.yaml", "spicepod.yaml", "template.yaml") and rule != "YSL307":
        # A Secrets Manager dialect's fix is a reference the tool reads, where the finding was.
        line = findings[0].span.line
        assert [r for r in references_of(tmp_path, name, fixed) if r[-1] == line], fixed

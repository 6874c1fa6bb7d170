"""Inline suppressions in YAML and dotenv, unused ones, and --no-suppressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.fakes import expand
from tests.helpers import lint_text


def _active(findings: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(f.rule, f.span.line) for f in findings if not f.suppressed]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.yaml", "password: <fake:password>  # yamlsecretlint: ignore\n"),
        ("a.yaml", "password: <fake:password>  # yamlsecretlint: ignore[YSL106]\n"),
        ("a.yaml", "password: <fake:password>  # yamlsecretlint: ignore[YSL1]\n"),
        ("a.yaml", "# yamlsecretlint: ignore\npassword: <fake:password>\n"),
        ("a.yaml", "  # yamlsecretlint: ignore[YSL104, YSL106]\npassword: <fake:password>\n"),
        ("a.yaml", "password: <fake:password>  # pragma: allowlist secret\n"),
        ("a.yaml", "# pragma: allowlist nextline secret\npassword: <fake:password>\n"),
        (".env", "DB_PASSWORD=<fake:password> # yamlsecretlint: ignore\n"),
        (".env", "# yamlsecretlint: ignore[YSL106]\nDB_PASSWORD=<fake:password>\n"),
        (".env", "DB_PASSWORD=<fake:password> # pragma: allowlist secret\n"),
        (".env", "# pragma: allowlist nextline secret\nDB_PASSWORD=<fake:password>\n"),
    ],
)
def test_every_form_suppresses(tmp_path: Path, name: str, text: str) -> None:
    findings = lint_text(tmp_path, name, expand(text))
    assert _active(findings) == []
    assert [(f.rule, f.suppressed) for f in findings] == [("YSL106", "inline")]


@pytest.mark.parametrize(
    "text",
    [
        "password: <fake:password>  # yamlsecretlint: ignore[YSL104]\n",  # another rule
        "# yamlsecretlint: ignore\n\npassword: <fake:password>\n",  # not the line right below
        "password: <fake:password>\n# yamlsecretlint: ignore\n",  # below, not above
    ],
)
def test_what_does_not_suppress(tmp_path: Path, text: str) -> None:
    findings = lint_text(tmp_path, "a.yaml", expand(text))
    assert ("YSL106", 1) in _active(findings) or ("YSL106", 3) in _active(findings)
    assert "YSL801" in {f.rule for f in findings}


def test_unused_suppression_is_reported_where_it_is(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, "a.yaml", "host: db  # yamlsecretlint: ignore[YSL106]\n")
    [(rule, line, column)] = [(f.rule, f.span.line, f.span.column) for f in findings]
    assert (rule, line, column) == ("YSL801", 1, 11)


def test_unused_is_not_reported_for_a_rule_switched_off(tmp_path: Path) -> None:
    text = "host: db  # yamlsecretlint: ignore[YSL106]\n"
    assert lint_text(tmp_path, "a.yaml", text, ignore=("YSL106",)) == []


def test_no_suppressions_reports_everything(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.yaml", expand("password: <fake:password>  # yamlsecretlint: ignore\n"))
    monkeypatch.chdir(tmp_path)
    assert cli(".").code == 0
    run = cli("--no-suppressions", "--format", "json", ".")
    assert run.code == 1
    assert [f["rule"] for f in run.json()["findings"]] == ["YSL106"]


def test_unused_suppressions_are_counted_past_a_thousand(tmp_path: Path) -> None:
    from tests.helpers import lint_text
    from yamlsecretlint.findings import MAX_UNUSED_REPORTED

    found = lint_text(tmp_path, "a.yaml", "# yamlsecretlint: ignore\n" * (MAX_UNUSED_REPORTED + 50))
    assert len(found) == MAX_UNUSED_REPORTED + 1
    assert found[-1].message.endswith("and 49 more after this one in this file")


@pytest.mark.parametrize(
    "text",
    [
        "tls:\n  key: |  # yamlsecretlint: ignore[YSL103]\n    -----BEGIN PRIVATE KEY-----\n    <fake:pem-body>\n"
        "    -----END PRIVATE KEY-----\n",
        "tls:\n  # yamlsecretlint: ignore[YSL103]\n  key: |\n    -----BEGIN PRIVATE KEY-----\n    <fake:pem-body>\n"
        "    -----END PRIVATE KEY-----\n",
    ],
)
def test_an_ignore_on_a_block_scalar_covers_the_block(tmp_path: Path, text: str) -> None:
    findings = lint_text(tmp_path, "a.yaml", expand(text))
    assert [f.rule for f in findings] == ["YSL103"]
    assert _active(findings) == []


def test_the_block_ends_where_its_indentation_does(tmp_path: Path) -> None:
    text = "a: |  # yamlsecretlint: ignore[YSL106]\n  text\nb:\n  password: <fake:password>\n"
    findings = lint_text(tmp_path, "a.yaml", expand(text))
    assert ("YSL106", 4) in _active(findings)

"""Positions from the dotenv source: python-dotenv's parse, our columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import aws_access_key_id
from tests.helpers import lint_text, positions, scalars
from yamlsecretlint.model import Interest
from yamlsecretlint.sources.dotenv import DotenvSource
from yamlsecretlint.sources.marks import Marker

K = aws_access_key_id()
END = len(K)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param(f"AWS_KEY={K}\n", 1, 9, id="plain"),
        pytest.param(f"# deploy\nexport AWS_KEY={K}\n", 2, 16, id="export"),
        pytest.param(f'A=1\nKEY="{K}"\n', 2, 6, id="double-quoted"),
        pytest.param(f"KEY='{K}' # note\n", 1, 6, id="single-quoted-comment"),
        pytest.param(f"  KEY = {K}\n", 1, 9, id="spaces-around-equals"),
        pytest.param(f'MULTI="line one\n{K}"\n', 2, 1, id="multi-line-value"),
        pytest.param(f"A=1\r\nKEY={K}\r\n", 2, 5, id="crlf"),
        pytest.param(f"\n\n# {K}\n", 3, 3, id="in-comment"),
        pytest.param(f"OK=1\nbroken line {K}\n", 2, 13, id="in-broken-line"),
    ],
)
def test_position_of_match(tmp_path: Path, text: str, line: int, column: int) -> None:
    findings = lint_text(tmp_path, ".env", text)
    assert positions(findings) == [(line, column, line, column + END)]


def test_key_of_value() -> None:
    got = [(s.key, s.value, s.role) for s in scalars("export A='x y'\nB=\n", kind="dotenv")]
    assert got == [("A", "A", "key"), ("A", "x y", "value"), ("B", "B", "key")]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        pytest.param("A=1\nno equals here\n", 2, "expected KEY=VALUE", id="no-equals"),
        pytest.param('A="open\n', 1, "unterminated", id="unterminated-quote"),
    ],
)
def test_syntax_errors(tmp_path: Path, text: str, line: int, problem: str) -> None:
    findings = lint_text(tmp_path, ".env", text)
    [error] = [f for f in findings if f.rule == "YSL902"]
    assert error.span.line == line
    assert problem in error.message


def test_template_tags_and_shell_statements_are_not_broken_bindings(tmp_path: Path) -> None:
    text = '{% if prod %}\nDB_HOST=prod\n{% endif %}\nunset AWS_PROFILE\nif [ -n "$X" ]; then\nfi\nA=1\n'
    assert [f.rule for f in lint_text(tmp_path, ".env", text)] == []


def test_a_file_that_is_mostly_not_dotenv_is_read_as_lines(tmp_path: Path) -> None:
    # A YAML-ish file named *.env: read line by line (a key in it is still caught), no finding per line.
    text = f"DAPR_CLI_VERSION: 1.17.0\nDAPR_RUNTIME_VERSION: 1.17.0\nAWS_KEY: {K}\n"
    assert [f.rule for f in lint_text(tmp_path, "global.env", text)] == ["YSL101"]


def test_a_few_broken_lines_in_a_dotenv_file_are_reported(tmp_path: Path) -> None:
    text = "A=1\nB=2\nthis is broken\nC=3\n"
    assert [(f.rule, f.span.line) for f in lint_text(tmp_path, ".env", text)] == [("YSL902", 3)]


def test_scalars_carry_the_triggers_their_written_text_holds() -> None:
    marker = Marker(["ghp_", '":"'])
    text = 'A=ghp_x # note\nB=plain\n# ghp_ in a comment\nC="{\\"k\\":\\"v\\"}"\n'
    got = {(s.role, s.key or s.value): s.marks for s in DotenvSource(text).scalars(Interest(marker=marker))}
    assert got[("value", "A")] == marker.bits(["ghp_"])
    assert got[("value", "B")] == 0
    assert got[("comment", "ghp_ in a comment")] == marker.bits(["ghp_"])
    # The parsed value holds '":"', its written text only '\":\"': not known, so searched.
    assert got[("value", "C")] == -1

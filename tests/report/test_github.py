from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from yamlsecretlint.model import Finding, Span
from yamlsecretlint.report import Result, render
from yamlsecretlint.report.github import annotation


def test_annotation_format_and_escaping() -> None:
    finding = Finding("YSL106", "plaintext", "error", "a,b:c%.yaml", Span(3, 5, 3, 9), "k", "50% of\nit", "0" * 32)
    assert annotation(finding) == (
        "::error file=a%2Cb%3Ac%25.yaml,line=3,col=5,endLine=3,endColumn=9,title=YSL106::50%25 of%0Ait [k]"
    )


def test_severities() -> None:
    warning = Finding("YSL303", "arn", "warning", "a.yaml", Span(1, 1, 1, 2), "", "m", "0" * 32)
    note = warning._replace(severity="note")
    out = render("github", Result([warning, note], [], 1))
    assert out.splitlines()[0].startswith("::warning ")
    assert out.splitlines()[1].startswith("::notice ")


def test_annotations_stop_at_what_github_shows_and_say_so() -> None:
    error = Finding("YSL106", "plaintext", "error", "a.yaml", Span(1, 1, 1, 2), "", "m", "0" * 32)
    warning = error._replace(severity="warning")
    lines = render("github", Result([error] * 14 + [warning] * 3, [], 1)).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 3
    assert lines[-1].startswith("::notice title=yamlsecretlint::4 more finding(s) not annotated")


def test_annotations_name_files_from_the_repository_root(
    cli: RunCli, in_subfolder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path = in_subfolder
    assert "::error file=sub/dir/app.yaml,line=1," in cli("--format", "github", ".").out
    assert "::error file=sub/dir/app.yaml,line=1," in cli("--format", "github", str(tmp_path / "sub/dir")).out
    monkeypatch.chdir(tmp_path / "sub" / "dir")
    assert "::error file=sub/dir/app.yaml,line=1," in cli("--format", "github", "../dir/app.yaml").out

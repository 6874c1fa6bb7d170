"""Lint text in this process and look at what came out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED, write
from yamlsecretlint import catalog, project
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.files import kind_of
from yamlsecretlint.findings import settle
from yamlsecretlint.model import FileRef, Finding, Scalar
from yamlsecretlint.sources import open_source


def lint_text(tmp: Path, name: str, text: str | bytes, **settings: object) -> list[Finding]:
    """The findings of one file as a run reports them: linted, then through the findings stage."""
    path = write(tmp, name, text)
    ref = FileRef(path, name, kind_of(path.name) or "yaml")
    chosen = Settings(**settings)  # type: ignore[arg-type]
    result = Linter(chosen).lint(ref)
    declared = [result.declares] if result.declares is not None else []
    _, across = project.settle(result.references, declared, catalog.load())  # the run's cross-file stage
    return settle([*result.findings, *across], {name: result.directives}, chosen)


def references_of(tmp: Path, name: str, text: str) -> list[tuple[str, str, str, str, int]]:
    """(dialect, provider, secret id, json key, line) of each reference found."""
    path = write(tmp, name, text)
    result = Linter(Settings()).lint(FileRef(path, name, kind_of(path.name) or "yaml"))
    return [
        (r.reference.dialect, r.reference.provider, r.reference.secret_id, r.reference.json_key, r.span.line)
        for r in result.references
    ]


def scalars(text: str, kind: str = "yaml") -> list[Scalar]:
    source = open_source("dotenv" if kind == "dotenv" else "yaml", text)
    return list(source.scalars())


def positions(findings: list[Finding], rule: str = "YSL101") -> list[tuple[int, int, int, int]]:
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in findings if f.rule == rule]


def texts_of(where: str, *extra: str) -> list[tuple[Path, str]]:
    """(path, text) of every file of a corpus ("real", "wild") or of the repository's examples,
    rules and ``extra`` folders ("repository"); a corpus that is not there skips the test."""
    if where == "repository":
        roots = [REPO / name for name in ("examples", "rules", *extra)]
    else:
        root = SHARED / "corpus" / where
        if not root.is_dir():
            pytest.skip(f"corpus not present at {root} (a user's clone)")
        roots = [root]
    files = [p for root in roots for p in sorted(root.rglob("*")) if p.is_file()]
    assert len(files) > 20
    return [(p, p.read_text(encoding="utf-8", errors="replace")) for p in files]

"""Lint text in this process and look at what came out."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.files import kind_of
from yamlsecretlint.model import FileRef, Finding, Scalar
from yamlsecretlint.sources import open_source


def lint_text(tmp: Path, name: str, text: str | bytes, **settings: object) -> list[Finding]:
    path = write(tmp, name, text)
    ref = FileRef(path, name, kind_of(path.name) or "yaml")
    return Linter(Settings(**settings)).lint(ref)  # type: ignore[arg-type]


def scalars(text: str, kind: str = "yaml") -> list[Scalar]:
    source = open_source("dotenv" if kind == "dotenv" else "yaml", text)
    return list(source.scalars())


def positions(findings: list[Finding], rule: str = "YSL101") -> list[tuple[int, int, int, int]]:
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in findings if f.rule == rule]

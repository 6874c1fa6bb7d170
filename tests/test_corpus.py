"""The real-world corpus in ../shared: no crash, no invented positions.

The corpus lives beside the repository, not in it; in a clone without
../shared these tests skip and say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED, RunCli

CORPUS = SHARED / "corpus" / "real"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not present at {CORPUS} (a user's clone)")


def _lines(path: Path) -> list[str]:
    from yamlsecretlint.sources.positions import LineTable
    from yamlsecretlint.sources.text import decode

    text = decode(path.read_bytes())
    table = LineTable(text)
    return [text[table.line_start(n) :] for n in range(1, text.count("\n") + 2)] if text else [""]


def test_corpus_runs_clean_of_crashes(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    run = cli("--format", "json", "--no-gitignore", ".")
    assert run.code in (0, 1), run.err
    assert run.err == ""
    data = run.json()
    assert data["summary"]["files"] > 500
    for finding in data["findings"]:
        if finding["rule"] == "YSL903":
            continue
        lines = (CORPUS / finding["path"]).read_bytes().decode("utf-8", "replace").splitlines()
        assert 1 <= finding["line"] <= max(len(lines), 1), finding
        assert finding["column"] >= 1


def test_templated_corpus_files_parse(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Helm, Go-template and Mage files render to YAML; masking must not invent syntax errors."""
    monkeypatch.chdir(CORPUS)
    data = cli("--format", "json", "--no-gitignore", "--select", "YSL901", ".").json()
    assert [f["path"] for f in data["findings"]] == []


def test_scanner_fixture_aws_key_is_found(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    data = cli("--format", "json", "--select", "YSL101", "--no-gitignore", "_scanner-fixtures").json()
    assert ("_scanner-fixtures/Yelp__detect-secrets/test_data/config.yaml", 5) in {
        (f["path"], f["line"]) for f in data["findings"]
    }

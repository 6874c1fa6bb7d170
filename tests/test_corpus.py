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


#: Every secret the scanner projects planted in their fixtures, where we find it.
PLANTED = {
    ("Yelp__detect-secrets/test_data/config.env", 1, "YSL102"),
    ("Yelp__detect-secrets/test_data/config.yaml", 5, "YSL101"),
    ("Yelp__detect-secrets/test_data/config.yaml", 12, "YSL106"),
    ("Yelp__detect-secrets/test_data/config.yaml", 13, "YSL106"),
    ("Yelp__detect-secrets/test_data/config2.yaml", 2, "YSL106"),
    ("Yelp__detect-secrets/test_data/short_files/middle_line.yml", 4, "YSL106"),
    ("gitleaks__gitleaks/testdata/archives/files/.env.prod", 4, "YSL106"),
    ("gitleaks__gitleaks/testdata/repos/nogit/.env.prod", 4, "YSL106"),
    (
        "secretlint__secretlint/packages/@secretlint/secretlint-rule-no-k8s-kind-secret/test/snapshots/"
        "ng.kind-secret/input.yml",
        8,
        "YSL107",
    ),
    (
        "secretlint__secretlint/packages/@secretlint/secretlint-rule-no-k8s-kind-secret/test/snapshots/"
        "ng.kind-secret-multiple/input.yml",
        21,
        "YSL107",
    ),
    (
        "secretlint__secretlint/packages/@secretlint/secretlint-rule-pattern/test/snapshots/"
        "ng.filePathGlobs-env-file/input.env",
        2,
        "YSL106",
    ),
}


def test_planted_fixture_secrets_are_found(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS / "_scanner-fixtures")
    data = cli("--format", "json", "--no-gitignore", "--no-suppressions", ".").json()
    found = {(f["path"], f["line"], f["rule"]) for f in data["findings"]}
    assert found >= PLANTED
    # detect-secrets' own `# pragma: allowlist secret` is honoured without --no-suppressions.
    honoured = {(f["path"], f["line"]) for f in cli("--format", "json", "--no-gitignore", ".").json()["findings"]}
    assert ("Yelp__detect-secrets/test_data/config.yaml", 12) not in honoured
    assert ("Yelp__detect-secrets/test_data/config.yaml", 13) in honoured
    # The documented AWS sample pair and plain dummies stay quiet.
    assert not {f for f in found if "filePathGlobs-aws-in-env" in f[0] or "allow-env-local" in f[0]}

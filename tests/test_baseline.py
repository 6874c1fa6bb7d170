"""Baselines survive unrelated edits and catch a changed secret."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.fakes import aws_access_key_id, expand_with_values, password

FILES = {
    "config/io_config.yaml": (
        "default:\n  POSTGRES_PASSWORD: <fake:password>\n  AWS_ACCESS_KEY_ID: <fake:aws-access-key-id>\n"
    ),
    "deploy/.env": "DB_PASSWORD=<fake:password>\nAPI_TOKEN=<fake:github-pat>\n",
    "k8s/app.yaml": "env:\n  - name: DB_PASSWORD\n    value: <fake:password>\n  - name: HOST\n    value: db\n",
}


PLANTED: list[str] = []


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    PLANTED.clear()
    for seed, (name, text) in enumerate(FILES.items()):
        content, values = expand_with_values(text, seed=seed)
        PLANTED.extend(values)
        write(tmp_path, name, content)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_baseline_survives_inserted_lines_and_catches_a_changed_secret(cli: RunCli, tree: Path) -> None:
    before = cli("--format", "json", ".").json()["findings"]
    assert len(before) == 5
    assert cli("--write-baseline", "baseline.json", ".").code == 0
    assert cli("--baseline", "baseline.json", ".").code == 0

    for name in FILES:
        path = tree / name
        path.write_text("".join(f"# inserted line {i}\n" for i in range(20)) + path.read_text())
    run = cli("--baseline", "baseline.json", "--format", "json", ".")
    assert (run.code, run.json()["findings"]) == (0, [])

    env = tree / "deploy/.env"
    # Seeded: a random new password keeps the old one's 10-bit tag once in 1,024 runs (the price the
    # fingerprint pays for not confirming guesses), which would make this test fail by chance.
    new = password(random.Random(99))
    env.write_text(env.read_text().replace(env.read_text().split("DB_PASSWORD=")[1].split("\n")[0], new))
    run = cli("--baseline", "baseline.json", "--format", "json", ".")
    assert run.code == 1
    assert [(f["rule"], f["path"], f["line"]) for f in run.json()["findings"]] == [("YSL106", "deploy/.env", 21)]


def test_baseline_file_is_sorted_reviewable_and_holds_no_value(cli: RunCli, tree: Path) -> None:
    cli("--write-baseline", "baseline.json", ".")
    text = (tree / "baseline.json").read_text()
    document = json.loads(text)
    assert document["version"] == 2
    entries = document["findings"]
    assert entries == sorted(entries, key=lambda e: (e["path"], e["key"], e["rule"], e["identity"]))
    assert set(entries[0]) == {"path", "key", "rule", "identity"}
    assert len(PLANTED) == 5
    for value in PLANTED:
        assert value not in text
        assert value[:8] not in text
    cli("--write-baseline", "again.json", ".")
    assert (tree / "again.json").read_text() == text  # stable: no churn


def test_same_secret_twice_needs_two_entries(cli: RunCli, tree: Path) -> None:
    key = aws_access_key_id()
    write(tree, "dup.yaml", f"a:\n  - {key}\n")
    cli("--write-baseline", "baseline.json", ".")
    write(tree, "dup.yaml", f"a:\n  - {key}\n")
    assert cli("--baseline", "baseline.json", ".").code == 0


def test_stale_entries_are_listed_and_pruned_only_when_asked(cli: RunCli, tree: Path) -> None:
    cli("--write-baseline", "baseline.json", ".")
    (tree / "deploy/.env").write_text("HOST=db\n")
    run = cli("--baseline", "baseline.json", ".")
    assert run.code == 0
    assert "2 entries of baseline.json no longer match" in run.err
    assert len(json.loads((tree / "baseline.json").read_text())["findings"]) == 5
    run = cli("--baseline", "baseline.json", "--prune-baseline", ".")
    assert run.err.count("pruned") == 2
    assert len(json.loads((tree / "baseline.json").read_text())["findings"]) == 3


def test_bad_baseline_exits_2(cli: RunCli, tree: Path) -> None:
    write(tree, "bad.json", "[]")
    run = cli("--baseline", "bad.json", ".")
    assert run.code == 2
    assert "--baseline bad.json: not a usable yamlsecretlint baseline" in run.err


def test_baseline_works_from_another_directory(cli: RunCli, tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("--write-baseline", "baseline.json", ".")
    monkeypatch.chdir(tree / "config")
    assert cli("--baseline", "../baseline.json", "..").code == 0


def test_fingerprints_cannot_confirm_a_guessed_password() -> None:
    """10 bits of the value: among 20,000 guesses about 20 fit any tag, so none is confirmed."""
    from yamlsecretlint.fingerprint import VALUE_BITS, value_tag

    secret_tag = value_tag("Autumn2024!")
    guesses = [f"guess{i}" for i in range(20_000)]
    fitting = sum(value_tag(g) == secret_tag for g in guesses)
    assert VALUE_BITS == 10
    assert 5 <= fitting <= 60
    assert len({value_tag(g) for g in guesses}) == 2**VALUE_BITS


def test_version_1_baseline_is_refused_with_the_way_out(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a.yaml", "a: 1\n")
    write(tmp_path, "old.json", '{"version": 1, "findings": []}')
    run = cli("--baseline", "old.json", "a.yaml")
    assert run.code == 2
    assert "--write-baseline" in run.err


def test_a_run_over_some_files_leaves_the_others_entries_alone(cli: RunCli, tree: Path) -> None:
    """pre-commit passes the staged files only: the others' entries are neither stale nor pruned nor lost."""
    cli("--write-baseline", "baseline.json", ".")
    run = cli("--baseline", "baseline.json", "--prune-baseline", "k8s/app.yaml")
    assert run.code == 0
    assert "pruned" not in run.err
    assert "no longer match" not in run.err
    assert len(json.loads((tree / "baseline.json").read_text())["findings"]) == 5
    # Writing a baseline from some files keeps the entries of the rest.
    cli("--write-baseline", "baseline.json", "k8s/app.yaml")
    assert len(json.loads((tree / "baseline.json").read_text())["findings"]) == 5
    assert cli("--baseline", "baseline.json", ".").code == 0


def test_baseline_named_in_the_configuration(cli: RunCli, tree: Path) -> None:
    cli("--write-baseline", "accepted.json", ".")
    assert cli(".").code == 1
    write(tree, ".yamlsecretlint.yaml", "baseline: accepted.json\n")
    assert cli(".").code == 0
    assert cli("--no-suppressions", ".").code == 1

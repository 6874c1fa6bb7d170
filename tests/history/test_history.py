"""--since, --history and --staged against real git repositories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import Run, run_subprocess, write
from tests.fakes import expand_with_values
from tests.history.conftest import GIT_ENV, Repo
from tests.report.test_sarif import validate


def lint(repo: Repo, *argv: str) -> Run:
    return run_subprocess("--format", "json", *argv, cwd=repo.root, env=GIT_ENV)


def findings(run: Run) -> list[dict[str, Any]]:
    assert run.code in (0, 1), run.err
    found: list[dict[str, Any]] = json.loads(run.out)["findings"]
    return found


def secret_file(seed: int) -> tuple[str, str]:
    text, [value] = expand_with_values("aws_access_key_id: <fake:aws-access-key-id>\n", seed=seed)
    return text, value


def test_a_secret_added_then_removed_in_the_range_is_reported_with_its_commit(repo: Repo) -> None:
    base = repo.commit({"README.md": "x\n"})
    text, value = secret_file(1)
    added = repo.commit({"config/app.yaml": "name: app\n" + text})
    repo.commit({"config/app.yaml": "name: app\n"})
    assert findings(lint(repo)) == []  # the tree is clean
    run = lint(repo, "--since", base)
    assert run.code == 1, run.err
    [finding] = findings(run)
    assert (finding["rule"], finding["path"], finding["line"]) == ("YSL101", "config/app.yaml", 2)
    assert finding["commit"] == added
    assert finding["removed"] is True
    assert f"recorded in commit {added[:12]}" in finding["message"]
    assert "rotate the secret" in finding["message"]
    assert value not in run.out + run.err
    text_run = run_subprocess("--since", base, cwd=repo.root, env=GIT_ENV)
    assert f"recorded in commit {added[:12]}" in text_run.out


def test_an_old_secret_outside_the_range_is_not_reported(repo: Repo) -> None:
    text, _ = secret_file(2)
    repo.commit({"old.yaml": text})
    base = repo.commit({"README.md": "x\n"})
    repo.commit({"new.yaml": "a: 1\n"})
    assert findings(lint(repo, "--since", base)) == []
    # --history audits everything reachable: there it is, still present.
    [finding] = findings(lint(repo, "--history"))
    assert finding["path"] == "old.yaml"
    assert finding["removed"] is False


def test_a_secret_still_present_is_reported_once(repo: Repo) -> None:
    base = repo.commit({})
    text, _ = secret_file(3)
    first = repo.commit({"app.yaml": text})
    repo.commit({"app.yaml": "other: 1\n" + text})  # moved a line down: the same finding
    repo.commit({"app.yaml": "other: 2\n" + text})
    [finding] = findings(lint(repo, "--since", base))
    assert finding["commit"] == first
    assert finding["removed"] is False


def test_the_same_blob_in_100_commits_is_linted_once(repo: Repo) -> None:
    text, _ = secret_file(4)
    base = repo.commit({})
    for i in range(50):  # the file comes back 50 times (a revert war): 100 commits
        repo.commit({"app.yaml": text}, f"add {i}")
        repo.commit({"app.yaml": None}, f"remove {i}")
    run = lint(repo, "--since", base)
    assert len(findings(run)) == 1
    assert "history: 100 commit(s), 50 blob(s) of YAML/dotenv files, 1 distinct linted" in run.err


def test_staged_content_not_the_working_tree(repo: Repo) -> None:
    repo.commit({"README.md": "x\n"})
    text, value = secret_file(5)
    write(repo.root, "app.yaml", "a: 1\n" + text)
    repo.git("add", "app.yaml")
    write(repo.root, "app.yaml", "a: 1\n")  # the working tree no longer holds it; the index does
    assert findings(lint(repo, "app.yaml")) == []
    run = lint(repo, "--staged")
    [finding] = findings(run)
    assert (finding["path"], finding["line"]) == ("app.yaml", 2)  # positions in the staged content
    assert "commit" not in finding
    assert value not in run.out + run.err
    # Before the first commit, the whole index is what the commit records.
    fresh = Repo(repo.root.parent / "fresh")
    write(fresh.root, "b.env", text.replace(": ", "="))
    fresh.git("add", "b.env")
    assert [f["rule"] for f in findings(lint(fresh, "--staged"))] == ["YSL101"]


def test_configuration_exclude_and_baseline_hold_in_history(repo: Repo) -> None:
    text, _ = secret_file(6)
    base = repo.commit({})
    repo.commit({"vendor/x.yaml": text, "app.yaml": text})
    write(repo.root, ".yamlsecretlint.yaml", "exclude: [vendor/]\n")
    assert [f["path"] for f in findings(lint(repo, "--since", base))] == ["app.yaml"]
    # A baseline written by a tree run accepts the same finding seen in history.
    assert lint(repo, "--write-baseline", "baseline.json").code == 0
    run = lint(repo, "--since", base, "--baseline", "baseline.json")
    assert (run.code, findings(run)) == (0, [])
    assert "no longer match" not in run.err


def test_sarif_carries_the_commit(repo: Repo, tmp_path: Path) -> None:
    base = repo.commit({})
    text, _ = secret_file(7)
    added = repo.commit({"gone.yaml": text})
    repo.commit({"gone.yaml": None})
    run = run_subprocess("--since", base, "--format", "sarif", cwd=repo.root, env=GIT_ENV)
    log = json.loads(run.out)
    validate(log)
    [result] = log["runs"][0]["results"]
    assert result["properties"] == {"commit": added, "removed": True}
    assert "the file no longer exists" in result["message"]["text"]

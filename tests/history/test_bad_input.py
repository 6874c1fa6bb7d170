"""What history cannot scan is said — a usage error, or a YSL903 finding — never a traceback, never clean."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import run_subprocess, write
from tests.history.conftest import GIT_ENV, Repo
from tests.history.test_history import findings, lint, secret_file


def test_not_a_git_repository(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "a: 1\n")
    run = run_subprocess("--history", cwd=tmp_path, env={**GIT_ENV, "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert run.code == 2
    assert run.err.startswith("yamlsecretlint: error: not a git repository")
    assert "Traceback" not in run.err


def test_unknown_ref_and_an_option_as_ref(repo: Repo) -> None:
    repo.commit({"a.yaml": "a: 1\n"})
    run = lint(repo, "--since", "no-such-branch")
    assert (run.code, run.err.strip()) == (
        2,
        "yamlsecretlint: error: --since no-such-branch: no such commit, branch or tag",
    )
    assert lint(repo, "--since=--output=x").code == 2


def test_a_shallow_clone_missing_the_base(repo: Repo, tmp_path: Path) -> None:
    base = repo.commit({"a.yaml": "a: 1\n"})
    repo.commit({"b.yaml": "b: 1\n"})
    repo.commit({"c.yaml": "c: 1\n"})
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True, env=GIT_ENV)
    run = run_subprocess("--since", base, cwd=clone, env=GIT_ENV)
    assert run.code == 2
    assert "shallow clone" in run.err
    assert "fetch-depth: 0" in run.err


def test_a_rewritten_history_still_scans_the_new_commits(repo: Repo) -> None:
    repo.commit({"a.yaml": "a: 1\n"})
    old = repo.commit({"b.yaml": "b: 1\n"})
    repo.git("reset", "-q", "--hard", "HEAD~1")  # the base was force-pushed away, but is still known here
    text, _ = secret_file(11)
    repo.commit({"c.yaml": text})
    assert [f["path"] for f in findings(lint(repo, "--since", old))] == ["c.yaml"]


def test_symlinks_submodules_lfs_binary_huge_and_bad_utf8(repo: Repo, tmp_path: Path) -> None:
    sub = Repo(tmp_path / "sub")
    sub.commit({"x.yaml": "x: 1\n"})
    base = repo.commit({})
    (repo.root / "link.yaml").symlink_to("target.yaml")
    repo.git("add", "link.yaml")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.root), "vendor/sub.yaml")
    lfs = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64 + "\nsize 12\n"
    repo.commit(
        {
            "lfs.yaml": lfs,
            "binary.yaml": b"a: \x00\x01\n",
            "latin1.env": b"PASSWORD=caf\xe9\n",
            "big.yaml": "a: " + "x" * 5000 + "\n",
            "new\nline.yaml": "a: 1\n",
        }
    )
    run = lint(repo, "--since", base, "--max-file-size", "4096")
    assert run.code == 1, run.err
    said = {(f["path"], f["rule"]) for f in findings(run)}
    assert said == {
        ("lfs.yaml", "YSL903"),
        ("binary.yaml", "YSL903"),
        ("latin1.env", "YSL903"),
        ("big.yaml", "YSL903"),
    }
    assert "skipped link.yaml: a symlink: not a file, not scanned" in run.err
    assert "skipped vendor/sub.yaml: a submodule (scan it in its own repository)" in run.err
    assert "Traceback" not in run.err

"""Closed or full output streams, and options whose empty or zero value once meant something else."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import RunCli, write
from tests.fakes import password


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path, "a.yaml", f"password: {password()}\n")
    return tmp_path


def test_closed_stdout_keeps_the_status(tree: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "yamlsecretlint", "a.yaml"],
        cwd=tree,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr


def _lint(cwd: Path, argv: list[str], stdout: int | IO[str]) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, its standard output where the test puts it."""
    return subprocess.run(
        [sys.executable, "-m", "yamlsecretlint", *argv],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_reader_that_goes_away_leaves_the_status_as_it_would_be(tmp_path: Path) -> None:
    # `| head`: the reader has closed its end before the report is written; the status does not change.
    write(tmp_path, "many.yaml", "".join(f"password_{i}: {password()}\n" for i in range(200)))
    for options, status in (([], 1), (["--exit-zero"], 0), (["--format", "json", "--quiet"], 1), (["--list-rules"], 0)):
        read, written = os.pipe()
        os.close(read)
        try:
            proc = _lint(tmp_path, [*options, "many.yaml"], written)
        finally:
            os.close(written)
        assert proc.returncode == status, (options, proc.stderr)
        assert "Traceback" not in proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_full_disk_is_one_line(tree: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = _lint(tree, ["a.yaml"], full)
    assert proc.returncode == 2
    assert "cannot write the report" in proc.stderr
    assert "internal error" not in proc.stderr


def test_max_file_size_zero_is_refused(cli: RunCli, tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    run = cli("--max-file-size", "0", "a.yaml")
    assert run.code == 2
    assert "at least 1 byte" in run.err
    write(tree, ".yamlsecretlint.yaml", "max-file-size: '0'\n")
    run = cli("a.yaml")
    assert run.code == 2
    assert "at least 1 byte" in run.err


def test_explain_empty_is_an_unknown_rule(cli: RunCli, tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    run = cli("--explain", "")
    assert run.code == 2
    assert "unknown rule" in run.err
    assert run.out == ""


def test_file_names_with_control_characters_are_escaped(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a\x1b[31m\nb.yaml", f"password: {password()}\n")
    for fmt in ("text", "github"):
        run = cli("--format", fmt, "--verbose", ".")
        assert run.code == 1
        assert "\x1b" not in run.out + run.err
        assert "a\nb" not in run.out + run.err

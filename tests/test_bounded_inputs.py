"""A baseline and a configuration are read bounded and checked: exit 2 with one line, never a hang or a traceback."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.conftest import RunCli, run_subprocess, write

IDENTITY = "0" * 32


def _baseline(findings: object) -> str:
    return json.dumps({"version": 2, "findings": findings})


BAD_BASELINES = {
    "wrong type": _baseline([{"path": 5, "key": "", "rule": "YSL101", "identity": IDENTITY}]),
    "missing field": _baseline([{"path": "a.yaml", "key": "", "rule": "YSL101"}]),
    "not a list": _baseline({"a": 1}),
    "deep": "[" * 100_000 + "]" * 100_000,
    "not json": "{",
    "bad identity": _baseline([{"path": "a.yaml", "key": "", "rule": "YSL101", "identity": "x"}]),
}


@pytest.mark.parametrize("text", BAD_BASELINES.values(), ids=BAD_BASELINES.keys())
def test_bad_baseline_is_one_line(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a.yaml", "a: 1\n")
    write(tmp_path, "baseline.json", text)
    for extra in ((), ("--prune-baseline",)):
        run = cli("--baseline", "baseline.json", *extra, "a.yaml")
        assert run.code == 2
        assert run.err.count("\n") == 1
        assert "--baseline baseline.json: not a usable yamlsecretlint baseline" in run.err
    assert (tmp_path / "baseline.json").read_text() == text  # pruning never wrote back what it could not read


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "directory"])
def test_special_files_never_block(tmp_path: Path, special: str) -> None:
    write(tmp_path, "a.yaml", "a: 1\n")
    path = special
    if special == "fifo":
        os.mkfifo(tmp_path / "fifo")
    elif special == "directory":
        (tmp_path / "directory").mkdir()
    began = time.monotonic()
    run = run_subprocess("--baseline", path, "a.yaml", cwd=tmp_path, timeout=30)
    assert time.monotonic() - began < 10
    assert run.code == 2
    assert "Traceback" not in run.err


CONFIGS = {
    "duplicate key": ("exclude: [a]\nexclude: [b]\n", "set twice"),
    "deep": ("select: " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
    "backtracking secret-keys": ("secret-keys: ['(a+)+$']\n", "exponential time"),
    "backtracking allowed-values": ("allowed-values: ['(x|xy)*z']\n", "exponential time"),
    "polynomial allowed-values": ("allowed-values: ['a*a*a*b']\n", "polynomial time"),
}


@pytest.mark.parametrize(("text", "said"), CONFIGS.values(), ids=CONFIGS.keys())
def test_bad_configuration_is_one_line(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ".yamlsecretlint.yaml", text)
    write(tmp_path, "a.yaml", "a: 1\n")
    run = cli("a.yaml")
    assert run.code == 2
    assert said in run.err
    assert run.err.count("\n") == 1


def test_deep_pyproject_is_one_line(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "pyproject.toml", "[tool.yamlsecretlint]\nselect = " + "[" * 5000 + "]" * 5000 + "\n")
    write(tmp_path, "a.yaml", "a: 1\n")
    run = cli("a.yaml")
    assert run.code == 2
    assert "Traceback" not in run.err


def test_user_patterns_see_a_bounded_subject(tmp_path: Path) -> None:
    """Even a polynomially backtracking pattern that passes the check stays fast on a huge value."""
    from tests.helpers import lint_text

    began = time.perf_counter()
    lint_text(tmp_path, "a.yaml", "password: " + "a" * 200_000 + "\n", allowed_values=("a*a*b",))
    assert time.perf_counter() - began < 5

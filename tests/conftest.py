from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from yamlsecretlint.cli import main

REPO = Path(__file__).resolve().parent.parent
#: Vendored JSON Schemas (SARIF, Action metadata, pre-commit): tests/schemas/SOURCES.md.
SCHEMAS = Path(__file__).resolve().parent / "schemas"


def pytest_configure(config: pytest.Config) -> None:
    """The tests' own cache of validated configurations: never the user's ~/.cache."""
    import tempfile

    os.environ["YAMLSECRETLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="ysl-test-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow (CI and the README do)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A contributor's `pytest` skips the slow tests (saying so); `pytest --slow` runs everything."""
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (CI and the README's test command do)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


SHARED = REPO.parent / "shared"


class Run(NamedTuple):
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data


RunCli = Callable[..., Run]


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite's own CI may be GitHub Actions, or force colour: neither may change what the tests see."""
    for name in ("GITHUB_ACTIONS", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run ``main(argv)`` in this process and capture what it prints."""

    def run(*argv: str) -> Run:
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_subprocess(
    *argv: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60, inherit: bool = True
) -> Run:
    """``env`` adds to this process's environment, or replaces it with ``inherit=False``."""
    proc = subprocess.run(
        [sys.executable, "-m", "yamlsecretlint", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})} if inherit else (env or {}),
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path

"""A plain offline run stays light: nothing heavy is imported on the way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write

HEAVY = ("boto3", "botocore", "sarif_om", "jsonschema", "jschema_to_python", "multiprocessing")


def _imported(cwd: Path, *argv: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "yamlsecretlint", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    lines = [line.split("|") for line in proc.stderr.splitlines() if line.startswith("import time:")]
    return {parts[-1].strip() for parts in lines if len(parts) == 3}


def test_plain_run_imports_nothing_heavy(tmp_path: Path) -> None:
    write(tmp_path, "small.yaml", "a: 1\nb: {{ env_var('X') }}\n")
    write(tmp_path, ".env", "A=1\n")
    modules = _imported(tmp_path, ".")
    assert "yaml" in modules
    assert "yamlsecretlint.cli" in modules
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


def test_version_is_lighter_still(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "--version")
    assert "yaml" not in modules


def test_a_remembered_configuration_costs_no_heavy_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook's every commit in a configured repository: jsonschema once, then neither it nor OpenSSL."""
    monkeypatch.setenv("YAMLSECRETLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("YAMLSECRETLINT_NO_CACHE", raising=False)
    write(tmp_path, "small.yaml", "a: 1\n")
    write(tmp_path, ".yamlsecretlint.yaml", "exclude: [vendor/]\nallowed-values: ['^x+$']\n")
    assert "jsonschema" in _imported(tmp_path, "small.yaml")
    (marker,) = (tmp_path / "cache" / "valid-configurations").iterdir()
    assert marker.read_bytes() == b""  # nothing of the configuration is kept
    modules = _imported(tmp_path, "small.yaml")
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
    assert "_hashlib" not in modules

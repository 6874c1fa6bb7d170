"""The wheel carries the rule catalogue and schemas and works without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, write
from tests.fakes import aws_access_key_id


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = dist.glob("yamlsecretlint-*.whl")
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "yamlsecretlint/rules/YSL101.yaml" in names
        assert "yamlsecretlint/schemas/rule.schema.json" in names
        assert "yamlsecretlint/schemas/config.schema.json" in names
        [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        assert "yamlsecretlint = yamlsecretlint.cli:main" in archive.read(entry_points).decode()
        archive.extractall(site)
    return site


def _run(site: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-P", "-m", "yamlsecretlint", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_runs_from_the_wheel_not_the_source(installed: Path, tmp_path: Path) -> None:
    code = "import yamlsecretlint, yamlsecretlint.catalog as c; print(yamlsecretlint.__file__); print(c.rules_dir())"
    proc = subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    )
    module, rules = proc.stdout.splitlines()
    assert module.startswith(str(installed))
    assert rules == str(installed / "yamlsecretlint" / "rules")


def test_list_rules_and_explain_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    listing = _run(installed, tmp_path, "--list-rules")
    assert listing.returncode == 0, listing.stderr
    assert "YSL101" in listing.stdout
    assert "YSL903" in listing.stdout
    explain = _run(installed, tmp_path, "--explain", "YSL101")
    assert explain.returncode == 0
    assert "How to fix" in explain.stdout


def test_lints_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    key = aws_access_key_id()
    write(tmp_path, "io_config.yaml", f"default:\n  K: {{{{ env_var('X') }}}}\n  AWS_ACCESS_KEY_ID: {key}\n")
    write(tmp_path, "bad.yaml", "a: [\n")
    proc = _run(installed, tmp_path, "--format", "json", ".")
    assert proc.returncode == 1, proc.stderr
    assert '"rule": "YSL101"' in proc.stdout
    assert '"rule": "YSL901"' in proc.stdout
    assert key not in proc.stdout

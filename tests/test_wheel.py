"""The wheel carries the rule catalogue and schemas and works without the source tree."""

from __future__ import annotations

import json
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
        assert "yamlsecretlint = yamlsecretlint.command:main" in archive.read(entry_points).decode()
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


def test_acceptance_scenario_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    key = aws_access_key_id()
    write(
        tmp_path,
        "tree/mage/io_config.yaml",
        "version: 0.1.1\ndefault:\n"
        "  AWS_SECRET_ACCESS_KEY: {{ aws_secret_var('aws_secret') }}\n"
        "  POSTGRES_PASSWORD: {{ json_value(aws_secret_var('db'), 'password') }}\n"
        f"  AWS_ACCESS_KEY_ID: {key}\n",
    )
    write(tmp_path, "tree/.env", f"# deploy\nexport AWS_KEY={key}\n")
    write(tmp_path, "tree/broken.yaml", "a: 1\nb: [1, 2\nc: 3\n")
    write(tmp_path, "clean.yaml", "a: 1\n")
    proc = _run(installed, tmp_path, "--format", "json", "tree")
    assert proc.returncode == 1, proc.stderr
    findings = [(f["rule"], f["path"], f["line"], f["column"]) for f in json.loads(proc.stdout)["findings"]]
    assert findings == [
        ("YSL101", "tree/.env", 2, 16),
        ("YSL901", "tree/broken.yaml", 3, 2),
        ("YSL101", "tree/mage/io_config.yaml", 5, 22),
    ]
    assert key not in proc.stdout
    assert _run(installed, tmp_path, "clean.yaml").returncode == 0
    unknown = _run(installed, tmp_path, "--no-such-option")
    assert unknown.returncode == 2
    assert len(unknown.stderr.strip().splitlines()) == 1

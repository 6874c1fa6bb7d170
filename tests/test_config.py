"""Configuration discovery and validation (the parts the foundation relies on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.fakes import aws_access_key_id


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "examples/demo.yaml", f"k: {aws_access_key_id()}\n")
    write(tmp_path, "app/config.yaml", f"k: {aws_access_key_id()}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _paths(run: object) -> list[str]:
    return [f["path"] for f in run.json()["findings"]]  # type: ignore[attr-defined]


def test_yaml_config_is_found_from_a_subfolder(cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, ".yamlsecretlint.yaml", "exclude: [examples]\n")
    assert _paths(cli("--format", "json", ".")) == ["app/config.yaml"]
    monkeypatch.chdir(repo / "app")
    assert _paths(cli("--format", "json", "..")) == ["config.yaml"]


def test_yaml_config_wins_over_pyproject(cli: RunCli, repo: Path) -> None:
    write(repo, "pyproject.toml", '[tool.yamlsecretlint]\nexclude = ["app"]\n')
    assert _paths(cli("--format", "json", ".")) == ["examples/demo.yaml"]
    write(repo, ".yamlsecretlint.yml", "exclude: [examples]\n")
    assert _paths(cli("--format", "json", ".")) == ["app/config.yaml"]


def test_discovery_stops_at_the_repository_root(cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo.parent, ".yamlsecretlint.yaml", "exclude: [app, examples]\n")
    try:
        assert len(_paths(cli("--format", "json", "."))) == 2
    finally:
        (repo.parent / ".yamlsecretlint.yaml").unlink()


def test_explicit_config_and_command_line_win(cli: RunCli, repo: Path) -> None:
    write(repo, "ci.yaml", "select: [YSL9]\n")
    assert _paths(cli("--format", "json", "--config", "ci.yaml", ".")) == []
    assert len(_paths(cli("--format", "json", "--config", "ci.yaml", "--select", "YSL1", "."))) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("exlude: [x]\n", "'exlude' was unexpected"),
        ("select: YSL1\n", "select: 'YSL1' is not of type 'array'"),
        ("select: [nope]\n", "select.0: 'nope' does not match"),
        ("max-file-size: huge\n", "max-file-size"),
        ("- a list\n", "must be a mapping"),
        ("a: [\n", "not valid YAML"),
    ],
)
def test_config_errors_exit_2_naming_the_key(cli: RunCli, repo: Path, text: str, message: str) -> None:
    write(repo, ".yamlsecretlint.yaml", text)
    run = cli(".")
    assert run.code == 2
    assert message in run.err
    assert ".yamlsecretlint.yaml" in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_missing_explicit_config(cli: RunCli, repo: Path) -> None:
    run = cli("--config", "nope.yaml", ".")
    assert run.code == 2
    assert "--config nope.yaml: no such file" in run.err


def test_max_file_size_from_config(cli: RunCli, repo: Path) -> None:
    write(repo, ".yamlsecretlint.yaml", "max-file-size: 10\n")
    assert {f["rule"] for f in cli("--format", "json", ".").json()["findings"]} == {"YSL903"}

"""Configuration discovery and validation (the parts the foundation relies on)."""

from __future__ import annotations

import os
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
        ("exlude: [x]\n", ".yamlsecretlint.yaml:1: unknown setting 'exlude'; did you mean 'exclude'?"),
        ("select: YSL1\n", ".yamlsecretlint.yaml:1: select: expected a list, got 'YSL1'"),
        (
            "gitignore: true\nselect: [YSL1,\n   nope]\n",
            ".yamlsecretlint.yaml:3: select.1: expected a value such as YSL1 or YSL106",
        ),
        ("max-file-size: huge\n", "max-file-size: expected a value such as 5242880 or 5M, got 'huge'"),
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


def test_per_file_ignores_and_severity(cli: RunCli, repo: Path) -> None:
    write(repo, ".yamlsecretlint.yaml", 'per-file-ignores:\n  "examples/**": [YSL1]\nseverity:\n  YSL101: warning\n')
    data = cli("--format", "json", ".").json()
    assert [(f["path"], f["severity"]) for f in data["findings"]] == [("app/config.yaml", "warning")]


def test_secret_keys_and_allowed_values(cli: RunCli, repo: Path) -> None:
    write(repo, "app/corp.yaml", "corp_vault_cred: Xq7-opaque-9f\nDB_PASSWORD: dev-only-xyz123\n")
    base = cli("--format", "json", "app/corp.yaml").json()["findings"]
    assert [f["key"] for f in base] == ["DB_PASSWORD"]
    write(repo, ".yamlsecretlint.yaml", "secret-keys: ['^corp_.*_cred$']\nallowed-values: ['^dev-only-']\n")
    assert [f["key"] for f in cli("--format", "json", "app/corp.yaml").json()["findings"]] == ["corp_vault_cred"]


def test_include_adds_files(cli: RunCli, repo: Path) -> None:
    write(repo, "app/settings.conf", f"k: {aws_access_key_id()}\n")
    assert len(_paths(cli("--format", "json", "app"))) == 1
    write(repo, ".yamlsecretlint.yaml", "include: ['*.conf']\n")
    assert _paths(cli("--format", "json", "app")) == ["app/config.yaml", "app/settings.conf"]


def test_show_config_says_where_each_value_came_from(cli: RunCli, repo: Path) -> None:
    write(repo, ".yamlsecretlint.yaml", "select: [YSL1]\nmax-file-size: 1M\n")
    run = cli("--show-config", "--ignore", "YSL104")
    assert run.code == 0
    lines = {line.split()[0]: line for line in run.out.splitlines()}
    assert '["YSL1"]' in lines["select"]
    assert ".yamlsecretlint.yaml)" in lines["select"]
    assert "(command line)" in lines["ignore"]
    assert "1048576" in lines["max-file-size"]
    assert "(default)" in lines["exclude"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("severity: {YSL106: fatal}\n", "severity.YSL106: expected one of error, warning, note, got 'fatal'"),
        ("per-file-ignores: {tests: YSL1}\n", "per-file-ignores.tests: expected a list, got 'YSL1'"),
        ("secret-keys: ['(']\n", "secret-keys.0: not a regular expression"),
        ("region: Europe\n", "region: expected a value such as eu-west-1 or us-east-1, got 'Europe'"),
    ],
)
def test_new_keys_are_validated(cli: RunCli, repo: Path, text: str, message: str) -> None:
    write(repo, ".yamlsecretlint.yaml", text)
    run = cli(".")
    assert run.code == 2
    assert message in run.err


def test_two_linters_keep_their_own_configuration(tmp_path: Path) -> None:
    """secret-keys / allowed-values are values each Linter holds: building a second changes nothing in the first."""
    from tests.fakes import password
    from yamlsecretlint.engine import Linter, Settings
    from yamlsecretlint.model import FileRef

    path = write(tmp_path, "a.yaml", f"corp_thing_cred: {password()}\n")
    ref = FileRef(path, "a.yaml", "yaml")
    with_key = Linter(Settings(secret_keys=("^corp_.*_cred$",)))
    assert [f.rule for f in with_key.lint(ref).findings] == ["YSL106"]
    without = Linter(Settings())
    assert without.lint(ref).findings == []
    assert [f.rule for f in with_key.lint(ref).findings] == ["YSL106"]


def test_each_file_takes_its_nearest_configuration(cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A monorepo: the root's settings, and pc/'s own, which governs pc/ whole (nearest wins, as in ruff).
    write(repo, ".yamlsecretlint.yaml", "exclude: [examples]\nignore: [YSL9]\n")
    write(repo, "pc/.yamlsecretlint.yaml", "exclude: [fixtures]\nseverity: {YSL101: warning}\n")
    for name in ("pc/app.yaml", "pc/fixtures/x.yaml", "pc/examples/y.yaml"):
        write(repo, name, f"k: {aws_access_key_id()}\n")

    def linted(run: object) -> list[str]:
        return [line.split()[1] for line in run.out.splitlines() if line.startswith("lint ")]  # type: ignore[attr-defined]

    # The root's exclude is not pc/'s: pc/examples is linted, pc/fixtures is not.
    walked = linted(cli("--show-files", "."))
    assert [p for p in walked if p.endswith("y.yaml") or p.endswith("x.yaml") or "demo" in p] == ["pc/examples/y.yaml"]
    found = {f["path"]: f["severity"] for f in cli("--format", "json", ".").json()["findings"]}
    assert found == {"app/config.yaml": "error", "pc/app.yaml": "warning", "pc/examples/y.yaml": "warning"}
    # pre-commit names the files: --force-exclude honours each one's own configuration.
    named = cli("--show-files", "--force-exclude", "pc/fixtures/x.yaml", "examples/demo.yaml", "pc/app.yaml")
    assert linted(named) == ["pc/app.yaml"]
    # From inside pc/, the same; --config names one configuration for every file.
    monkeypatch.chdir(repo / "pc")
    found = {f["path"]: f["severity"] for f in cli("--format", "json", "..").json()["findings"]}
    assert found == {"../app/config.yaml": "error", "app.yaml": "warning", "examples/y.yaml": "warning"}
    every = cli("--format", "json", "--config", str(repo / ".yamlsecretlint.yaml"), ".")
    assert {f["path"]: f["severity"] for f in every.json()["findings"]} == {
        "app.yaml": "error",
        "fixtures/x.yaml": "error",
    }


def test_standard_input_takes_the_configuration_of_its_name(
    cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    write(repo, "pc/.yamlsecretlint.yaml", "ignore: [YSL101]\n")
    text = f"k: {aws_access_key_id()}\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert cli("--stdin-filename", "pc/app.yaml", "-").code == 0
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert cli("--stdin-filename", "app/other.yaml", "-").code == 1


def test_a_configuration_that_passed_is_not_validated_again(tmp_path: Path) -> None:
    """The hook's every commit: a cached verdict spares the jsonschema import; an error is found every time."""
    import subprocess
    import sys

    write(tmp_path, "a.yaml", "a: 1\n")
    write(tmp_path, ".yamlsecretlint.yaml", "exclude: [vendor/]\n")
    probe = (
        "import sys\nfrom yamlsecretlint.cli import main\ncode = main(['a.yaml'])\n"
        "print(code, 'jsonschema' in sys.modules)\n"
    )
    env = {**os.environ, "YAMLSECRETLINT_CACHE_DIR": str(tmp_path / "cache")}

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
        return done.stdout.split("\n")[-2]

    assert run() == "0 True"  # validated, and the verdict kept
    assert run() == "0 False"  # the same configuration: not validated again
    write(tmp_path, ".yamlsecretlint.yaml", "exclude: vendor/\n")
    for _ in range(2):  # an error is never cached
        assert run() == "2 True"
    env["YAMLSECRETLINT_NO_CACHE"] = "1"
    write(tmp_path, ".yamlsecretlint.yaml", "exclude: [vendor/]\n")
    assert run() == "0 True"

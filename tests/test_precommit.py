"""The pre-commit hook: valid, and run by real pre-commit from the working tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SCHEMAS, write
from tests.fakes import expand_with_values


def _validator(name: str) -> object:
    import jsonschema
    from referencing import Registry, Resource

    hooks = json.loads((SCHEMAS / "pre-commit-hooks.json").read_text())
    registry = Registry().with_resource("pre-commit-hooks.json", Resource.from_contents(hooks))
    schema = json.loads((SCHEMAS / name).read_text())
    return jsonschema.Draft7Validator(schema, registry=registry)


def test_hooks_file_is_valid() -> None:
    validator = _validator("pre-commit-hooks.json")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert list(validator.iter_errors(hooks)) == []  # type: ignore[attr-defined]
    by_id = {h["id"]: h for h in hooks}
    assert by_id["yamlsecretlint"]["language"] == "python"
    assert by_id["yamlsecretlint"]["require_serial"] is False
    assert set(by_id["yamlsecretlint-online"]["stages"]) <= {"manual", "pre-push"}


def test_own_config_is_valid_and_uses_the_hook() -> None:
    validator = _validator("pre-commit-config.json")
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    assert list(validator.iter_errors(config)) == []  # type: ignore[attr-defined]
    assert [h["id"] for r in config["repos"] for h in r["hooks"]] == ["yamlsecretlint"]


def test_hooks_let_the_tool_choose_the_files() -> None:
    # No `files:` pattern (it could not know `include`) and no `types: [text]` (UTF-16 is "binary").
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text()):
        assert "files" not in hook
        assert hook["types"] == ["file"]
        assert "--force-exclude" in hook["entry"].split()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    _git(project, "config", "user.email", "test@example.invalid")
    _git(project, "config", "user.name", "test")
    return project


def _try_repo(project: Path, pre_commit_home: Path) -> subprocess.CompletedProcess[str]:
    """Real pre-commit, running this working tree's hook on the project's staged files."""
    _git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "yamlsecretlint", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_try_repo_blocks_a_plaintext_key_and_passes_after_the_fix(tmp_path: Path, pre_commit_home: Path) -> None:
    project = _project(tmp_path)
    text, values = expand_with_values("default:\n  AWS_ACCESS_KEY_ID: <fake:aws-access-key-id>\n")
    write(project, "io_config.yaml", text)
    env_text, env_values = expand_with_values("DB_PASSWORD=<fake:password>\n", seed=1)
    write(project, ".env.local", env_text)
    write(project, "notes.txt", text)
    failed = _try_repo(project, pre_commit_home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "io_config.yaml:2:22: YSL101" in failed.stdout
    assert ".env.local:1:13: YSL106" in failed.stdout
    assert "notes.txt" not in failed.stdout
    for value in values + env_values:
        assert value not in failed.stdout

    write(project, "io_config.yaml", "default:\n  AWS_ACCESS_KEY_ID: \"{{ aws_secret_var('aws_access_key_id') }}\"\n")
    write(project, ".env.local", "DB_PASSWORD=${DB_PASSWORD}\n")
    passed = _try_repo(project, pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_lints_what_the_configuration_says_and_utf16(tmp_path: Path, pre_commit_home: Path) -> None:
    """UTF-16 files, `include` patterns and upper-case names reach the tool; `exclude` holds for named files."""
    project = _project(tmp_path)
    text, values = expand_with_values("db:\n  password: <fake:password>\n", seed=3)
    (project / "windows.yaml").write_bytes(text.encode("utf-16"))  # PowerShell 5.1's default
    write(project, "deploy/app.yaml.tpl", text)
    write(project, "Settings.YAML", text)
    write(project, "fixtures/sample.yaml", text)
    write(project, "notes.md", text)
    write(project, ".yamlsecretlint.yaml", 'include: ["*.yaml.tpl"]\nexclude: ["fixtures/"]\n')
    # A monorepo folder with a configuration of its own: pre-commit runs from the root.
    write(project, "pc/.yamlsecretlint.yaml", 'exclude: ["generated/"]\n')
    write(project, "pc/generated/out.yaml", text)
    write(project, "pc/fixtures/kept.yaml", text)  # the root's exclude is not pc/'s
    run = _try_repo(project, pre_commit_home)
    assert run.returncode == 1, run.stdout + run.stderr
    for reported in (
        "windows.yaml:2:13: YSL106",
        "deploy/app.yaml.tpl:2:13: YSL106",
        "Settings.YAML:2:13: YSL106",
        "pc/fixtures/kept.yaml:2:13: YSL106",
    ):
        assert reported in run.stdout
    assert "fixtures/sample.yaml" not in run.stdout
    assert "pc/generated" not in run.stdout
    assert "notes.md" not in run.stdout
    for value in values:
        assert value not in run.stdout


def _readme_block(marker: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in readme.split("```yaml\n")[1:] if b.startswith(marker)]
    assert blocks, f"no README snippet starting with {marker!r}"
    return blocks[0].split("```", 1)[0]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_readme_snippet_works_as_pasted(tmp_path: Path, pre_commit_home: Path) -> None:
    """The README's .pre-commit-config.yaml, as written, against a release of this tree tagged as it names."""
    from yamlsecretlint import __version__

    release = tmp_path / "release"
    skip = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".*_cache", "build", "dist", ".venv")
    shutil.copytree(REPO, release, ignore=skip)
    _git(release, "init", "-q")
    _git(release, "add", ".")
    _git(release, "-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-q", "-m", "release")
    _git(release, "tag", f"v{__version__}")
    snippet = _readme_block("# .pre-commit-config.yaml")
    assert f"rev: v{__version__}" in snippet
    project = _project(tmp_path)
    write(
        project,
        ".pre-commit-config.yaml",
        snippet.replace("https://github.com/yamlsecretlint/yamlsecretlint", str(release)),
    )
    text, values = expand_with_values("db:\n  password: <fake:password>\n", seed=5)
    write(project, "app.yaml", text)
    _git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    failed = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "app.yaml:2:13: YSL106" in failed.stdout
    for value in values:
        assert value not in failed.stdout
    write(project, "app.yaml", "db:\n  password: ${DB_PASSWORD}\n")
    _git(project, "add", ".")
    passed = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr

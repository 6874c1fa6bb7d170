"""action.yml: valid, and its steps run the way the runner runs them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, SCHEMAS, write
from tests.fakes import expand_with_values

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
SCHEMA = SCHEMAS / "github-action.json"
#: The runner installs the package in this step; the test environment has it installed already.
SKIPPED_STEPS = frozenset({"install"})


def test_action_is_valid() -> None:
    import jsonschema

    errors = list(jsonschema.Draft7Validator(json.loads(SCHEMA.read_text())).iter_errors(ACTION))
    assert errors == [], [e.message for e in errors]
    assert set(ACTION["inputs"]) >= {
        "paths", "online", "sarif-file", "upload-sarif", "args", "aws-region", "principal-arn",
        "python-version", "version",
    }  # fmt: skip
    assert set(ACTION["outputs"]) == {"findings", "sarif-file", "exit-code"}
    uses = [s.get("uses", "") for s in ACTION["runs"]["steps"]]
    assert "actions/setup-python@v7" in uses
    assert "actions/cache@v6" in uses
    assert "github/codeql-action/upload-sarif@v4" in uses
    [setup] = [s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup["with"]["update-environment"] is False  # the calling job's Python stays its own
    assert "format" not in ACTION["inputs"]  # it did nothing: the step always annotates and writes SARIF


def _substitute(text: str, inputs: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        if expression == "github.action_path":
            return str(REPO)
        if expression == "steps.install.outputs.python":
            return sys.executable  # the install step is skipped: the test environment has the package
        if expression == "steps.python.outputs.python-path":
            return sys.executable
        raise AssertionError(f"unexpected expression {expression}")

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def run_action(workspace: Path, tmp_path: Path, **given: str) -> tuple[int, dict[str, str], str]:
    """The composite action's run steps, with inputs substituted and the runner's files."""
    return run_steps(workspace, tmp_path, given, SKIPPED_STEPS)


def run_steps(
    workspace: Path, tmp_path: Path, given: dict[str, str], skipped: frozenset[str]
) -> tuple[int, dict[str, str], str]:
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()} | given
    outputs, summary = tmp_path / "github_output", tmp_path / "step_summary"
    outputs.write_text("")
    summary.write_text("")
    env = {**os.environ, "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary), "NO_COLOR": "1"}
    env["RUNNER_TEMP"] = str(tmp_path / "runner-temp")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    code, log = 0, ""
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or step.get("id") in skipped:
            continue
        step_env = {k: _substitute(str(v), inputs) for k, v in step.get("env", {}).items()}
        proc = subprocess.run(
            ["bash", "-e", "-c", _substitute(step["run"], inputs)],
            cwd=workspace,
            env={**env, **step_env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        code = proc.returncode
        log += proc.stdout + proc.stderr
    pairs = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return code, pairs | {"summary": summary.read_text(), "log": log}, log


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, list[str]]:
    root = tmp_path / "repo"
    text, values = expand_with_values("default:\n  POSTGRES_PASSWORD: <fake:password>\n  HOST: db\n")
    write(root, "io_config.yaml", text)
    write(root, "clean.yaml", "a: 1\n")
    return root, values


def test_findings_fail_the_step_with_outputs_summary_and_annotations(
    workspace: tuple[Path, list[str]], tmp_path: Path
) -> None:
    root, values = workspace
    code, out, log = run_action(root, tmp_path)
    assert code == 1
    assert out["findings"] == "1"
    assert out["exit-code"] == "1"
    assert out["sarif-file"] == "yamlsecretlint.sarif"
    assert (root / "yamlsecretlint.sarif").is_file()
    assert "::error file=io_config.yaml,line=2,col=22" in log
    assert "| YSL106 | `io_config.yaml` | 2 |" in out["summary"]
    for value in values:
        assert value not in log + out["summary"] + (root / "yamlsecretlint.sarif").read_text()


def test_fail_on_findings_false_and_args(workspace: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = workspace
    code, out, _ = run_action(root, tmp_path, **{"fail-on-findings": "false", "sarif-file": "out/r.sarif"})
    assert (code, out["findings"], out["exit-code"]) == (0, "1", "1")
    assert (root / "out/r.sarif").is_file()
    code, out, _ = run_action(root, tmp_path, args="--ignore YSL106", paths="io_config.yaml clean.yaml")
    assert (code, out["findings"]) == (0, "0")
    assert "0 findings" in out["summary"]


def test_online_without_credentials_fails_the_step(workspace: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = workspace
    write(root, "io_config.yaml", "default:\n  A: \"{{ aws_secret_var('prod/db') }}\"\n")
    env_backup = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("AWS_")}
    os.environ.update(
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
    )
    try:
        code, out, log = run_action(root, tmp_path, online="true", **{"fail-on-findings": "false"})
    finally:
        for k in [k for k in os.environ if k.startswith("AWS_")]:
            del os.environ[k]
        os.environ.update(env_backup)
    assert (code, out["exit-code"]) == (3, "3")
    assert "no AWS credentials found" in log
    assert "could not run" in out["summary"]


def test_the_install_is_cached_by_what_it_installs(workspace: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = workspace
    _, out, _ = run_action(root, tmp_path, **{"fail-on-findings": "false"})
    _, again, _ = run_action(root, tmp_path, **{"fail-on-findings": "false"})
    assert re.fullmatch(r"source-[0-9a-f]{20}", out["key"])
    assert again["key"] == out["key"]
    _, pinned, _ = run_action(root, tmp_path, version="1.2.3", **{"fail-on-findings": "false"})
    assert pinned["key"] == "pypi-1.2.3"
    [cache] = [s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert "steps.key.outputs.key" in cache["with"]["key"]
    assert "python-version" in cache["with"]["key"]


def test_a_restored_install_is_used_without_installing(workspace: tuple[Path, list[str]], tmp_path: Path) -> None:
    # What actions/cache restores: a virtualenv whose python imports the package (here, this one's).
    root, _ = workspace
    venv_python = tmp_path / "runner-temp" / "yamlsecretlint-venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    # A launcher, not a symlink: a symlinked venv python finds no pyvenv.cfg beside the link and
    # starts as the base interpreter, which need not have the package.
    venv_python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    venv_python.chmod(0o755)
    code, out, log = run_steps(root, tmp_path, {}, frozenset())
    assert out["python"] == str(venv_python)
    assert "using the cached install" in log
    assert "pip" not in log
    assert code == 1  # the scan ran with the restored install


def _readme_workflows() -> list[dict[str, Any]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    return [yaml.safe_load(b) for b in blocks if b.lstrip().startswith(("name:", "jobs:"))]


def _inputs(step: dict[str, Any]) -> dict[str, str]:
    # As the runner passes them: strings, booleans written true/false.
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (step.get("with") or {}).items()}


def test_the_readme_workflows_use_this_action_with_inputs_it_has(
    workspace: tuple[Path, list[str]], tmp_path: Path
) -> None:
    steps = [
        step
        for workflow in _readme_workflows()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("yamlsecretlint/yamlsecretlint@")
    ]
    assert len(steps) == 2
    for step in steps:
        assert set(_inputs(step)) <= set(ACTION["inputs"])
    # The pull-request snippet's inputs, through the action's own steps: it fails on a finding and writes SARIF.
    root, values = workspace
    code, out, log = run_action(root, tmp_path, **_inputs(steps[0]))
    assert code == 1
    assert out["sarif-file"] == "yamlsecretlint.sarif"
    assert "::error file=io_config.yaml" in log
    for value in values:
        assert value not in log


def test_a_pull_request_scans_its_commits_fetching_what_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As actions/checkout leaves a pull request: the merge commit alone, one commit deep."""
    from tests.history.conftest import GIT_ENV, Repo

    origin = Repo(tmp_path / "origin")
    base = origin.commit({"clean.yaml": "a: 1\n"})
    origin.git("checkout", "-q", "-b", "feature")
    text, values = expand_with_values("aws_access_key_id: <fake:aws-access-key-id>\n")
    added = origin.commit({"app.yaml": text})
    origin.commit({"app.yaml": None})
    origin.git("checkout", "-q", "main")
    origin.git("checkout", "-q", "-b", "pull-merge")
    origin.git("merge", "-q", "--no-ff", "-m", "merge", "feature")
    workspace = tmp_path / "workspace"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "pull-merge", f"file://{origin.root}", str(workspace)],
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}, "commits": 2}}))
    for name, value in {**GIT_ENV, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}.items():
        monkeypatch.setenv(name, value)
    code, out, log = run_action(workspace, tmp_path)
    assert code == 1, log
    assert out["findings"] == "1"
    assert f"recorded in commit {added[:12]}" in out["summary"]
    assert "deleting the line does not un-leak it" in out["summary"]
    for value in values:
        assert value not in log + out["summary"]
    # history: false lints the working tree, where the secret no longer is.
    code, out, _ = run_action(workspace, tmp_path, history="false")
    assert (code, out["findings"]) == (0, "0")

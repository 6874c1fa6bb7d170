"""The README shows what the tool really prints, and opens with the commands CI runs."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO, RunCli

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_examples_output_matches(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    block = re.search(r"<!-- examples-output:start -->\n```text\n(.*?)```\n<!-- examples-output:end -->", README, re.S)
    assert block is not None
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("NO_COLOR", "1")
    run = cli("examples/")
    assert run.code == 1
    assert run.out == block.group(1)


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert len(commands) >= 2
    test_command = commands[1]
    assert "pytest" in test_command
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()

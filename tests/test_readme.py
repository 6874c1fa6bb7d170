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


def test_development_map_matches_the_tree() -> None:
    """Every package and module of yamlsecretlint/ is named in the README's development map, and nothing else."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Development", 1)[1]
    # The package's part of the map: up to the top-level folders beside it.
    tree_map = section.split("```text", 1)[1].split("```", 1)[0].split("\nrules/", 1)[0]
    package = REPO / "yamlsecretlint"
    modules = {
        path.name
        for path in package.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py") and "__pycache__" not in path.parts
    }
    folders = {f"{path.name}/" for path in package.iterdir() if path.is_dir() and not path.name.startswith((".", "__"))}
    named = set(re.findall(r"[\w]+\.py|[\w]+/", tree_map))
    assert sorted(modules - named) == []
    assert sorted(folders - named) == []
    ghosts = {name for name in named if name.endswith(".py")} - modules - {"__init__.py"}
    assert sorted(ghosts) == []


def test_every_option_is_in_the_usage_section() -> None:
    from yamlsecretlint.cli import build_parser

    usage = README[README.index("## Usage") : README.index("### Exit status")]
    options = [o for action in build_parser()._actions for o in action.option_strings if o.startswith("--")]
    assert len(options) > 30
    assert [o for o in options if o not in usage and o != "--help"] == []

"""The release machinery: one version, a tag that publishes it, and README snippets that name it."""

from __future__ import annotations

import re

import yaml

from tests.conftest import REPO
from yamlsecretlint import __version__

WORKFLOW = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_a_version_tag_builds_checks_and_publishes() -> None:
    # PyYAML reads the key `on` as True (YAML 1.1): GitHub reads it as the trigger.
    trigger = WORKFLOW.get("on", WORKFLOW.get(True))
    assert trigger == {"push": {"tags": ["v*.*.*"]}}
    build = "\n".join(step.get("run", "") for step in WORKFLOW["jobs"]["build"]["steps"])
    assert "__version__" in build
    assert "$GITHUB_REF_NAME" in build
    assert "CHANGELOG.md" in build
    publish = WORKFLOW["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing: no token stored
    assert any(step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in publish["steps"])
    moved = "\n".join(step.get("run", "") for step in WORKFLOW["jobs"]["github-release"]["steps"])
    assert "git tag -f" in moved


def test_the_version_is_written_once_and_has_a_changelog_section() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog


def test_readme_snippets_name_the_release() -> None:
    assert set(re.findall(r"rev: (v[0-9.]+)", README)) == {f"v{__version__}"}
    major = f"v{__version__.split('.')[0]}"
    assert set(re.findall(r"yamlsecretlint/yamlsecretlint@(v[0-9]+)", README)) == {major}
    assert "the first release is tagged" in README

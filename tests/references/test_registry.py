"""Every dialect a reference can carry, and every dialect a file can be, is declared in references/."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO
from yamlsecretlint import references
from yamlsecretlint.references import dialect_of


def test_every_reference_dialect_is_declared() -> None:
    named = set()
    for path in (REPO / "yamlsecretlint" / "references").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Reference" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    named.add(first.value)
    assert named
    assert sorted(named - set(references.REGISTRY)) == []


def test_detection_order() -> None:
    assert dialect_of("a/.env", "dotenv", "A=1\n") == "dotenv"
    assert dialect_of("io_config.yaml", "yaml", "default:\n") == "mage"
    assert dialect_of("x/.github/workflows/ci.yml", "yaml", "on: push\n") == "github"
    assert dialect_of("spicepod.yaml", "yaml", "${{ x }}") == "spice"
    assert dialect_of("t.yaml", "yaml", "AWSTemplateFormatVersion: x\n") == "cloudformation"
    assert dialect_of("m.yaml", "yaml", "apiVersion: v1\nkind: Secret\n") == "kubernetes"
    assert dialect_of("plain.yaml", "yaml", "a: 1\n") == "yaml"


def test_key_lookup_and_region_rules_are_the_dialects() -> None:
    assert references.get("spice").key_names(frozenset(), "db") == ("spice_db", "db")
    assert references.get("mage").key_names(frozenset(), "db") == ("db",)
    assert references.get("mage").default_region("", {}) == "us-west-2"
    assert references.get("mage").default_region("", {"AWS_REGION_NAME": "eu-west-1"}) == "eu-west-1"
    assert references.get("serverless").fixed_region("eu-north-1", {}) == "eu-north-1"
    # A Spice store's region param fixes its client's region; without one, the SDK's chain decides.
    assert references.get("spice").fixed_region("ap-south-1", {}) == "ap-south-1"
    assert references.get("spice").default_region("", {}) == ""
    assert references.get("serverless").default_region("", {}) == "us-east-1"
    assert references.get("cloudformation").default_region("eu-west-1", {}) == ""
    assert [m.DIALECT.name for m in references.MODULES if m.DIALECT.routes_by_arn] == ["ecs", "arn"]


def test_each_dialect_has_one_home() -> None:
    """A dialect is declared by one module of references/, and only that module records its references."""
    homes: dict[str, list[str]] = {}
    for module in references.MODULES:
        homes.setdefault(module.DIALECT.name, []).append(module.__name__)
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        recorded = {
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "Reference"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        }
        assert recorded <= {module.DIALECT.name}, module.__name__
    assert {name: mods for name, mods in homes.items() if len(mods) != 1} == {}
    assert set(homes) | {"yaml"} == set(references.REGISTRY)

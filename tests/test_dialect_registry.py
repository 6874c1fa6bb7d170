"""Every dialect a reference can carry, and every dialect a file can be, is declared in dialects/."""

from __future__ import annotations

import ast

from tests.conftest import REPO
from yamlsecretlint import dialects
from yamlsecretlint.dialects import dialect_of


def test_every_reference_dialect_is_declared() -> None:
    named = set()
    for path in (REPO / "yamlsecretlint" / "references").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Reference" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    named.add(first.value)
    assert named
    assert sorted(named - set(dialects.REGISTRY)) == []


def test_detection_order() -> None:
    assert dialect_of("a/.env", "dotenv", "A=1\n") == "dotenv"
    assert dialect_of("io_config.yaml", "yaml", "default:\n") == "mage"
    assert dialect_of("x/.github/workflows/ci.yml", "yaml", "on: push\n") == "github"
    assert dialect_of("spicepod.yaml", "yaml", "${{ x }}") == "spice"
    assert dialect_of("t.yaml", "yaml", "AWSTemplateFormatVersion: x\n") == "cloudformation"
    assert dialect_of("m.yaml", "yaml", "apiVersion: v1\nkind: Secret\n") == "kubernetes"
    assert dialect_of("plain.yaml", "yaml", "a: 1\n") == "yaml"


def test_key_lookup_and_region_rules_are_the_dialects() -> None:
    assert dialects.get("spice").key_names(frozenset(), "db") == ("spice_db", "db")
    assert dialects.get("mage").key_names(frozenset(), "db") == ("db",)
    assert dialects.get("mage").default_region("", {}) == "us-west-2"
    assert dialects.get("mage").default_region("", {"AWS_REGION_NAME": "eu-west-1"}) == "eu-west-1"
    assert dialects.get("serverless").fixed_region("eu-north-1", {}) == "eu-north-1"
    assert dialects.get("spice").default_region("ap-south-1", {}) == "ap-south-1"

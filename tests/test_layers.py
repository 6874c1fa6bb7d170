"""The import graph reads top to bottom: cli -> engine/online -> checks, references -> sources -> model.

Every import in the package is read from the source (also those inside
functions, which are imports all the same), grouped by stage, and the stage
graph must have no cycle and no edge against the declared order.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "yamlsecretlint"
#: Lower stages may not import higher ones. Modules outside these packages are the glue above them
#: (cli, engine, findings, registry, …) or leaves below them (model, redact, lazyre, catalog, errors).
ORDER = ("report", "online", "checks", "references", "sources")
LEAVES = ("model", "redact", "lazyre", "errors", "catalog", "fingerprint", "check", "policy")


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("yamlsecretlint"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("yamlsecretlint"))
    return found


def _edges() -> set[tuple[str, str, str]]:
    edges = set()
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(("yamlsecretlint", *path.relative_to(PACKAGE).with_suffix("").parts))
        source = _stage(module)
        for target_module in _imports(path):
            target = _stage(target_module)
            if target and target != source and (target in ORDER or target in LEAVES):
                edges.add((source, target, f"{module} -> {target_module}"))
    return edges


def test_stages_import_only_downwards() -> None:
    wrong = sorted(
        why
        for source, target, why in _edges()
        if source in ORDER and target in ORDER and ORDER.index(target) < ORDER.index(source)
    )
    assert wrong == []


def test_leaves_import_no_stage() -> None:
    wrong = sorted(why for source, target, why in _edges() if source in LEAVES and target in ORDER)
    assert wrong == []


def test_no_cycle_between_stages() -> None:
    graph: dict[str, set[str]] = {}
    for source, target, _ in _edges():
        if source in ORDER and target in ORDER:
            graph.setdefault(source, set()).add(target)
    seen: dict[str, int] = {}

    def visit(node: str, trail: tuple[str, ...]) -> None:
        assert seen.get(node) != 1, f"import cycle: {' -> '.join((*trail, node))}"
        if seen.get(node) == 2:
            return
        seen[node] = 1
        for nxt in graph.get(node, ()):
            visit(nxt, (*trail, node))
        seen[node] = 2

    for node in graph:
        visit(node, ())

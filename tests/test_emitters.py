"""Every catalogue rule has exactly one emitter: the one module that builds its findings.

Read from the source: a rule id written as the first argument of a call (``Hit("YSL206", …)``,
``Problem(…)``, ``ParseError(…)``), assigned to a name (``RULE = "YSL105"``), used as an index
(``rules["YSL903"]``) or appended as the first item of a tuple (the online findings). Pattern
rules (``patterns:`` in their rule file) are emitted by checks/patterns.py. A rule that judges
the reference syntax of several dialects (``dialects:`` in its rule file) is emitted by each
of those dialects' modules and no other. It fails on the tree before this test: YSL202 was
built in four places by three modules.
"""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO
from yamlsecretlint import catalog

_ID = re.compile(r"^YSL[0-9]{3}$")


def _emitted(tree: ast.AST) -> set[str]:
    found: set[str] = set()

    def rule_id(node: ast.AST | None) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _ID.match(node.value):
            return node.value
        return None

    for node in ast.walk(tree):
        candidates: list[ast.AST | None] = []
        if isinstance(node, ast.Call):
            candidates.append(node.args[0] if node.args else None)
            if isinstance(node.func, ast.Attribute) and node.func.attr == "append" and node.args:
                first = node.args[0]
                candidates.append(first.elts[0] if isinstance(first, ast.Tuple) and first.elts else None)
        elif isinstance(node, ast.Assign):
            candidates.append(node.value)
        elif isinstance(node, ast.Subscript):
            candidates.append(node.slice)
        found.update(rid for rid in map(rule_id, candidates) if rid)
    return found


def test_every_rule_has_exactly_one_emitter() -> None:
    emitters: dict[str, set[str]] = {}
    for path in (REPO / "yamlsecretlint").rglob("*.py"):
        module = str(path.relative_to(REPO))
        if module == "yamlsecretlint/catalog.py":
            continue  # the loader names YSL104 to gather the token files into it; it emits nothing
        for rid in _emitted(ast.parse(path.read_text(encoding="utf-8"))):
            emitters.setdefault(rid, set()).add(module)
    for rule in catalog.load().values():
        if rule.patterns:
            emitters.setdefault(rule.id, set()).add("yamlsecretlint/checks/patterns.py")
    rules = set(catalog.load())
    homes = {
        rule.id: {f"yamlsecretlint/references/{dialect}.py" for dialect in rule.dialects}
        for rule in catalog.load().values()
        if rule.dialects
    }
    assert {rid: sorted(m) for rid, m in emitters.items() if rid in homes and m != homes[rid]} == {}
    assert {rid: sorted(m) for rid, m in emitters.items() if rid not in homes and len(m) != 1} == {}
    assert sorted(rules - set(emitters)) == []
    assert sorted(set(emitters) - rules) == []

"""What is kept of a secret value: its JSON key paths and a few facts about its text — never the text.

The facts answer the questions the dialects ask of a value without holding it:
which top-level keys hold strings (all Spice reads, crates/runtime/src/secrets/
stores/aws_secrets_manager.rs ``parse_json_to_hashmap``), and which characters
would change YAML that the value is pasted into (Mage renders its Jinja over the
file's text before parsing it as YAML).
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

#: YAML's indicators: a plain scalar cannot start with one.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


class Facts(NamedTuple):
    """Of one secret value: JSON key paths (None: not a JSON object), string-valued top-level keys, hazards."""

    paths: frozenset[str] | None
    string_keys: frozenset[str]
    #: Which of these the text holds: json-object, double-quote, backslash, single-quote, comment,
    #: colon-space, newline, indicator (a YAML indicator first), edge-blank (a blank first or last).
    hazards: frozenset[str]


def facts(secret_string: str) -> Facts:
    """The caller drops its reference to the value right after; nothing here keeps, logs or raises it."""
    paths = key_paths(secret_string)
    hazards = set()
    if paths is not None:
        hazards.add("json-object")
    for name, present in (
        ("double-quote", '"' in secret_string),
        ("backslash", "\\" in secret_string),
        ("single-quote", "'" in secret_string),
        ("comment", " #" in secret_string or "\t#" in secret_string or secret_string.startswith("#")),
        ("colon-space", ": " in secret_string or secret_string.endswith(":")),
        ("newline", "\n" in secret_string or "\r" in secret_string),
        ("indicator", secret_string[:1] in _INDICATORS),
        ("edge-blank", secret_string[:1].isspace() or secret_string[-1:].isspace()),
    ):
        if present:
            hazards.add(name)
    return Facts(paths, _string_keys(secret_string) if paths is not None else frozenset(), frozenset(hazards))


def _string_keys(secret_string: str) -> frozenset[str]:
    document = json.loads(secret_string)
    return frozenset(str(key) for key, value in document.items() if isinstance(value, str))


#: Enough to answer `a.b[0]`-style questions without walking a huge document.
MAX_DEPTH = 6
MAX_PATHS = 10_000


def key_paths(secret_string: str) -> frozenset[str] | None:
    """``{"a": {"b": [1]}}`` -> {"a", "a.b", "a.b[0]"}; None when not a JSON object.

    The caller drops its reference to the value right after; nothing here
    keeps, logs or raises it.
    """
    try:
        document: Any = json.loads(secret_string)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    paths: set[str] = set()
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    while stack and len(paths) < MAX_PATHS:
        prefix, node, depth = stack.pop()
        if depth >= MAX_DEPTH:
            continue
        if isinstance(node, dict):
            for key, child in node.items():
                path = f"{prefix}.{key}" if prefix else str(key)
                paths.add(path)
                stack.append((path, child, depth + 1))
        elif isinstance(node, list):
            for index, child in enumerate(node[:100]):
                path = f"{prefix}[{index}]"
                paths.add(path)
                stack.append((path, child, depth + 1))
    return frozenset(paths)

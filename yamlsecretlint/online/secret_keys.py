"""A secret's JSON key paths — the only thing kept of a secret value."""

from __future__ import annotations

import json
from typing import Any

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

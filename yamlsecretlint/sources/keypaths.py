"""Key paths: how a value's place in its file is written (``a.b[2].c``, ``a["b.c"]``) and read back.

One home for both directions: the YAML walker builds paths a segment at a
time, checks and reports read their last key.
"""

from __future__ import annotations

import json

from yamlsecretlint import lazyre

_SIMPLE_KEY = lazyre.compile(r"[^.\[\]\s\"']+")
_SIMPLE: dict[str, bool] = {}


def key_segment(path: str, key: str) -> str:
    simple = _SIMPLE.get(key)
    if simple is None:
        simple = _SIMPLE_KEY.fullmatch(key) is not None
        if len(_SIMPLE) < 100_000:
            _SIMPLE[key] = simple
    if simple:
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def last_key(path: str) -> str:
    """The last mapping key of a key path, or '' when the path ends in a list index."""
    if not path or (path.endswith("]") and not path.endswith('"]')):
        return ""
    if path.endswith('"]'):
        start = path.rfind('["')
        return path[start + 2 : -2]
    return path.rsplit(".", 1)[-1].rsplit("]", 1)[-1]


_SEGMENT = lazyre.compile(r'\.?([^.\[\]"]+)|\[(\d+|\?|\*)\]|\[("(?:[^"\\]|\\.)*")\]')


def segments(path: str) -> list[str]:
    """A key path read back into its keys and list indexes (as text): ``a["b.c"][2]`` -> a, b.c, 2."""
    found = []
    for match in _SEGMENT.finditer(path):
        key, index, quoted = match.groups()
        found.append(key if key is not None else index if index is not None else json.loads(quoted))
    return found

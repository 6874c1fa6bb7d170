"""Raw lines as scalars: the fallback for text that did not parse.

A broken file with a key in it must still be caught, so each line becomes a
scalar; a ``key: value`` or ``KEY=value`` line is split so that key-aware
checks still know the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yamlsecretlint import lazyre
from yamlsecretlint.model import Scalar

_LINE = lazyre.compile(r"[^\r\n]+")
_KEYED = lazyre.compile(
    r"""[ \t]*(?:-[ \t]+)*(?:export[ \t]+)?
        (?:(?P<q>["'])(?P<qkey>[^"'\r\n]+)(?P=q)|(?P<key>[^\s#"'{}\[\]:=,][^#:=\r\n]*?))
        [ \t]*(?::(?=[ \t]|$)|=)[ \t]*""",
    re.X,
)


def line_scalars(text: str, start: int = 0, end: int | None = None, doc: int = 0) -> Iterator[Scalar]:
    stop = len(text) if end is None else end
    for line in _LINE.finditer(text, start, stop):
        body = line.group()
        if not body.strip():
            continue
        at = line.start()
        keyed = _KEYED.match(body)
        if keyed is None:
            stripped = len(body) - len(body.lstrip())
            yield Scalar(body.strip(), "", "line", at + stripped, line.end(), doc)
            continue
        key_group = "qkey" if keyed.group("qkey") is not None else "key"
        key = keyed.group(key_group)
        yield Scalar(key, key, "key", at + keyed.start(key_group), at + keyed.end(key_group), doc, "", key)
        value = body[keyed.end() :].rstrip()
        if value:
            yield Scalar(value, key, "line", at + keyed.end(), at + keyed.end() + len(value), doc, "", key)

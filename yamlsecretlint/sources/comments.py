"""YAML comments: where a ``#`` may start one, and the comments outside every scalar as scalars."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from yamlsecretlint import lazyre
from yamlsecretlint.model import Interest, Scalar
from yamlsecretlint.sources.compiled import MARKS

#: The key of a commented-out line (`# password: x`, `# export DB_PASSWORD=x`).
_COMMENTED_KEY = lazyre.compile(r"""(?:-\s+)?(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]""")
#: Beyond any offset: a pointer that has run out of marks.
_NEVER = 1 << 62


def hash_starts(text: str) -> list[int]:
    """Where a ``#`` may start a comment: at a line start or after a blank."""
    if MARKS is not None:
        starts: list[int] = MARKS.hash_starts(text)
        return starts
    return hash_starts_python(text)


def hash_starts_python(text: str) -> list[int]:
    """The reference of sources/_marks.c's ``hash_starts``."""
    found = []
    at = text.find("#")
    while at >= 0:
        if at == 0 or text[at - 1] in " \t\n":
            found.append(at)
        at = text.find("#", at + 1)
    return found


def comments(
    text: str,
    limit: int,
    starts: list[int],
    inside: set[int],
    gate: Interest,
    marks: list[int],
    bits: list[int] | None,
    spans: list[tuple[int, int]] | None = None,
) -> Iterator[Scalar]:
    """``# …`` outside every scalar, before ``limit``: see :func:`comments_python`, its reference."""
    if MARKS is None:
        return comments_python(text, limit, starts, inside, gate, marks, bits, spans)
    names = gate.names

    def commented(stripped: str) -> bool:
        pair = _COMMENTED_KEY.match(stripped)
        return pair is not None and names is not None and names(pair.group(1).rsplit(".", 1)[-1])

    found: list[Scalar] = MARKS.comments(
        text, limit, starts, inside, gate.everything, frozenset(gate.lengths), names, commented,
        marks, bits, spans, Scalar, "comment", ~gate.weak, gate.confirm,
    )  # fmt: skip
    return iter(found)


def comments_python(
    text: str,
    limit: int,
    starts: Sequence[int],
    inside: set[int],
    gate: Interest,
    marks: Sequence[int],
    bits: Sequence[int] | None,
    spans: list[tuple[int, int]] | None = None,
) -> Iterator[Scalar]:
    """``# …`` outside every scalar, before ``limit``: a key pasted in a comment still leaks.

    ``starts`` are :func:`hash_starts` of the text, ``inside`` those that fell
    inside a scalar; ``marks`` and ``bits`` the checks' triggers (``bits`` None:
    not searched). Comment spans are appended to ``spans`` when given.
    """
    names, lengths = gate.names, gate.lengths
    strong, confirm = ~gate.weak, gate.confirm
    mark_at, mark_count = 0, len(marks)
    next_mark = marks[0] if marks else _NEVER
    find = text.find
    for at in starts:
        if at >= limit:
            break
        if at in inside:
            continue
        stop = find("\n", at, limit)
        if stop < 0:
            stop = limit
        carriage = find("\r", at, stop)
        if carriage >= 0:
            stop = carriage
        body = text[at + 1 : stop]
        stripped = body.strip(" \t#")
        if not stripped:
            continue
        if spans is not None:  # only to tell tags inside comments from tag-only lines
            spans.append((at, stop))
        held = -1
        if bits is not None:  # the marks in [at, stop): comments come in file order
            while next_mark < at:
                mark_at += 1
                next_mark = marks[mark_at] if mark_at < mark_count else _NEVER
            held, ahead = 0, mark_at
            while ahead < mark_count and marks[ahead] < stop:
                held |= bits[ahead]
                ahead += 1
        # Marks of weak triggers alone want a comment only when the gate's test confirms it.
        by_marks = (held & strong) != 0 or (held != 0 and confirm is not None and confirm(stripped, held))
        if not by_marks and not gate.everything and len(stripped) not in lengths:
            # A commented-out `key: value` is wanted when its key is.
            pair = _COMMENTED_KEY.match(stripped)
            if pair is None or names is None or not names(pair.group(1).rsplit(".", 1)[-1]):
                continue
        offset = at + 1 + body.index(stripped)
        yield Scalar(stripped, "", "comment", offset, offset + len(stripped), 0, "", "", held)

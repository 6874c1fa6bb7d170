"""The collections a YAML event stream has open, as a stack of frames.

Each frame knows where it sits in its parent (a key, an index, a complex key),
the key or index it is at, and builds its key path only when a scalar under it
is reported: most never are. Aliases take a place and are never followed.
Also here: the depth guard that keeps libyaml from text it would take minutes
over, and the tag names checks see.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

import yaml

from yamlsecretlint import lazyre
from yamlsecretlint.sources.compiled import MARKS
from yamlsecretlint.sources.keypaths import key_segment

# libyaml's parser is quadratic in flow nesting depth (100,000 levels take over a
# minute) and its composer used to crash the interpreter there; no real file nests
# this deep, so such text is reported, not parsed.
MAX_DEPTH = 500
_NOT_BRACKET = lazyre.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_DEEP_INDENT = lazyre.compile(rf"[ \t?:-]{{{MAX_DEPTH}}}")
# A line break as the literal first character lets re skip at memchr speed (`^` with re.M does not).
_DEEP_BLOCK = lazyre.compile(rf"\n[ \t?:-]{{{MAX_DEPTH}}}")
_CORE_TAG = "tag:yaml.org,2002:"
_BINARY = _CORE_TAG + "binary"


def _flow_depth(text: str) -> int:
    brackets = _NOT_BRACKET.sub("", text)
    # The running sum of +1/-1, computed in C without a list: the depth, if no closer comes
    # before its opener (then the slow loop, which ignores such a closer).
    if min(accumulate(map(_STEP.__getitem__, brackets)), default=0) >= 0:
        return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)
    depth = deepest = 0
    for bracket in brackets:
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def too_deep(text: str) -> bool:
    if MARKS is not None:  # one pass in C: the reference below costs about 8 ms a MB, on every file
        deep: bool = MARKS.too_deep(text, MAX_DEPTH)
        return deep
    return too_deep_python(text)


def too_deep_python(text: str) -> bool:
    """Flow nesting deeper than MAX_DEPTH, or a line that opens with MAX_DEPTH characters of
    indentation and indicators (the C scan's reference)."""
    if text.count("[") + text.count("{") > MAX_DEPTH and _flow_depth(text) > MAX_DEPTH:
        return True
    return _DEEP_INDENT.match(text) is not None or _DEEP_BLOCK.search(text) is not None


def tag_name(tag: str | None) -> str:
    if not tag or tag == "!":
        return ""
    if tag.startswith(_CORE_TAG):
        return "!!binary" if tag == _BINARY else ""
    return tag


class Frame:
    """An open mapping or sequence while its events stream past.

    Paths are built only when a scalar under them is yielded: most never are.
    """

    __slots__ = (
        "_path",
        "child",
        "expect_value",
        "index",
        "is_map",
        "key",
        "pair_name",
        "parent",
        "pending",
        "root",
        "seg",
        "wanted",
    )

    def __init__(self, is_map: bool, parent: Frame | None, seg: str | int | None, wanted: bool) -> None:
        self.is_map = is_map
        self.parent = parent
        #: Where it sits in its parent: a key, a list index, or None for a complex key (`[?]`).
        self.seg = seg
        self._path: str | None = None if parent is not None else ""
        #: A document's top-level collection: its keys are the ``root_keys`` of an Interest.
        self.root = parent is None
        #: Under a wanted top-level key: every scalar in it is yielded.
        self.wanted = wanted
        self.expect_value = False
        #: The current key's path, built only when a scalar under it is yielded.
        self.child: str | None = None
        self.key = ""
        self.index = 0
        self.pair_name = ""
        #: A ``value:`` written before its ``name:``: (Scalar, wanted) held until the name comes or the map ends.
        self.pending: tuple[Any, bool] | None = None

    def path(self) -> str:
        path = self._path
        if path is None:
            base = self.parent.path() if self.parent is not None else ""
            seg = self.seg
            if seg is None:
                path = f"{base}[?]"
            elif seg.__class__ is int:
                path = f"{base}[{seg}]"
            else:
                path = key_segment(base, seg)  # type: ignore[arg-type]
            self._path = path
        return path

    def child_path(self) -> str:
        child = self.child
        if child is None:
            child = self.child = key_segment(self.path(), self.key)
        return child

    def advance(self) -> None:
        if self.is_map:
            self.expect_value = False
        else:
            self.index += 1


def open_collection(event: Any, is_map: bool, stack: list[Frame], anchors: set[str], root_keys: frozenset[str]) -> None:
    """A mapping or sequence starts: a frame for it, filed under its parent's current key or index."""
    if event.anchor is not None:
        anchors.add(event.anchor)
    frame = stack[-1] if stack else None
    if frame is None:
        stack.append(Frame(is_map, None, "", False))
        return
    seg: str | int | None
    if not frame.is_map:
        seg = frame.index
    elif frame.expect_value:
        seg = frame.key
    else:
        # A complex key (`? [a, b]`): its scalars are filed under `[?]`.
        frame.key, frame.child, seg = "?", f"{frame.path()}[?]", None
    wanted = frame.wanted or (frame.root and frame.is_map and frame.key in root_keys)
    stack.append(Frame(is_map, frame, seg, wanted))


def close_collection(stack: list[Frame]) -> None:
    """A mapping or sequence ends: its parent moves on to its next key or item."""
    stack.pop()
    if stack:
        parent = stack[-1]
        if parent.is_map and not parent.expect_value:
            parent.expect_value = True  # the complex key ended; its value comes next
        else:
            parent.advance()


def take_alias(event: Any, stack: list[Frame], anchors: set[str]) -> None:
    """An alias is never followed (what it names was reported where it is written); it takes a place."""
    if event.anchor not in anchors:
        raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
    if stack:
        frame = stack[-1]
        if frame.is_map and not frame.expect_value:
            frame.key, frame.child, frame.expect_value = "*", f"{frame.path()}[*]", True
        else:
            frame.advance()

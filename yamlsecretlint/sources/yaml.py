"""YAML files as a stream of scalars with key paths and exact offsets.

The text is read as libyaml's event stream — never composed into nodes,
never constructed: no tag runs code, no alias is followed (a value is
reported once, where it is written, so an alias bomb costs what its text
costs), and memory stays near the size of the text however large the file.
Key paths and Kubernetes/ECS ``name:``/``value:`` pairs are tracked on a
small stack of open collections.
"""

from __future__ import annotations

import json
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from yamlsecretlint.model import ParseError, Scalar
from yamlsecretlint.sources import template
from yamlsecretlint.sources.lines import line_scalars

try:
    from yaml import CSafeLoader as FastLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as FastLoader  # type: ignore[assignment]

# libyaml's parser is quadratic in flow nesting depth (100,000 levels take over a
# minute) and its composer used to crash the interpreter there; no real file nests
# this deep, so such text is reported, not parsed.
MAX_DEPTH = 500
_BRACKET = re.compile(r"[\[\]{}]")
_DEEP_BLOCK = re.compile(rf"^[ \t?:-]{{{MAX_DEPTH},}}", re.M)
_SIMPLE_KEY = re.compile(r"[^.\[\]\s\"']+")
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\r\n]*", re.M)
_CORE_TAG = "tag:yaml.org,2002:"
_BINARY = _CORE_TAG + "binary"
#: Keys that name a mapping's value: Kubernetes and ECS ``env`` (``name``/``value``).
_NAME_KEYS = frozenset({"name", "Name", "key"})
_VALUE_KEYS = frozenset({"value", "Value"})
_SIMPLE: dict[str, bool] = {}


def _flow_depth(text: str) -> int:
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def too_deep(text: str) -> bool:
    if text.count("[") + text.count("{") > MAX_DEPTH and _flow_depth(text) > MAX_DEPTH:
        return True
    return _DEEP_BLOCK.search(text) is not None


def key_segment(path: str, key: str) -> str:
    simple = _SIMPLE.get(key)
    if simple is None:
        simple = _SIMPLE_KEY.fullmatch(key) is not None
        if len(_SIMPLE) < 100_000:
            _SIMPLE[key] = simple
    if simple:
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _tag(tag: str | None) -> str:
    if not tag or tag == "!":
        return ""
    if tag.startswith(_CORE_TAG):
        return "!!binary" if tag == _BINARY else ""
    return tag


def _events(text: str) -> Iterator[Any]:
    """libyaml's events, one call each (``yaml.parse`` costs a check_event per event too)."""
    loader = FastLoader(text)
    try:
        while True:
            event = loader.get_event()
            if event is None or event.__class__ is StreamEndEvent:
                return
            yield event
    finally:
        loader.dispose()


class _Frame:
    """An open mapping or sequence while its events stream past."""

    __slots__ = ("child", "expect_value", "index", "is_map", "key", "pair_name", "path")

    def __init__(self, is_map: bool, path: str) -> None:
        self.is_map = is_map
        self.path = path
        self.expect_value = False
        self.child = ""
        self.key = ""
        self.index = 0
        self.pair_name = ""

    def value_position(self) -> tuple[str, str]:
        """Path and name of the value that comes next."""
        if self.is_map:
            name = self.key
            if self.pair_name and name in _VALUE_KEYS:
                name = self.pair_name
            return self.child, name
        return f"{self.path}[{self.index}]", ""

    def advance(self) -> None:
        if self.is_map:
            self.expect_value = False
        else:
            self.index += 1


class _Failed(Exception):
    """The masked parse failed; carries what it had produced and the error."""

    def __init__(self, produced: list[Scalar], error: BaseException) -> None:
        super().__init__()
        self.produced = produced
        self.error = error


class YamlSource:
    """Parse errors are known only once ``scalars()`` has been consumed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[ParseError] = []
        self.masked = template.mask(text) if template.may_have_templates(text) else None
        self.templates = self.masked.templates if self.masked else []
        #: Indexes of templates that ended up inside a scalar.
        self.used_templates: set[int] = set()
        #: Where every scalar starts and ends, in file order: what is outside all of them may
        #: be a comment. Kept only when the text has a `#`, as arrays: a 5 MB file has 150,000.
        self._track = "#" in text
        self._starts = array("q")
        self._ends = array("q")
        self._last_end = 0
        self._parsed_to = 0
        self._doc = 0
        self._comment_spans: list[tuple[int, int]] = []

    def scalars(self) -> Iterator[Scalar]:
        self._parsed_to = 0
        self._doc = 0
        if too_deep(self.text):
            self._fail(ParseError("YSL901", 0, f"YAML nested deeper than {MAX_DEPTH} levels; not parsed"))
            yield from line_scalars(self.text)
            return
        parse_text = self.masked.text if self.masked else self.text
        try:
            if self.masked is None:
                yield from self._events(parse_text)
            else:
                parse_text, produced = self._templated()
                yield from produced
            yield from self._comments(parse_text, 0, len(parse_text))
        except _Failed as failed:
            yield from failed.produced
            yield from self._failure(failed.error, parse_text)
        except (yaml.YAMLError, RecursionError) as exc:
            yield from self._failure(exc, parse_text)
        covered_from = len(self.text) if not self.errors else self._parsed_to
        yield from self._unused_templates(self._doc, covered_from)

    def _templated(self) -> tuple[str, list[Scalar]]:
        """Masked text first; if it does not parse but the text as written does, the latter wins.

        Masking is right for templated files, but a stray ``{{`` paired with a
        ``}}`` lines later can break YAML that parses as written.
        """
        if self.masked is None:  # pragma: no cover - only called for templated text
            raise ValueError("no templates to mask")
        produced: list[Scalar] = []
        try:
            produced.extend(self._events(self.masked.text))
            return self.masked.text, produced
        except (yaml.YAMLError, RecursionError) as masked_error:
            saved = (self._parsed_to, self._doc, self._starts, self._ends, self._last_end, set(self.used_templates))
            self._parsed_to = self._doc = self._last_end = 0
            self._starts, self._ends = array("q"), array("q")
            try:
                raw = list(self._events(self.text))
            except (yaml.YAMLError, RecursionError):
                self._parsed_to, self._doc, self._starts, self._ends, self._last_end, self.used_templates = saved
                raise _Failed(produced, masked_error) from None
            self.masked = None
            self.used_templates = set(range(len(self.templates)))
            return self.text, raw

    def _failure(self, exc: BaseException, parse_text: str) -> Iterator[Scalar]:
        parsed_to = self._parsed_to
        # What streamed before the error was already reported: the raw lines start at the
        # line where the last good scalar ended (the engine drops any finding seen twice).
        if self._last_end > parsed_to:
            parsed_to = max(self.text.rfind("\n", 0, self._last_end) + 1, parsed_to)
        if isinstance(exc, yaml.MarkedYAMLError):
            # Only the problem text: str(exc) quotes the offending line, which may hold a secret.
            problem = exc.problem or "invalid YAML"
            context = f" ({exc.context}" if exc.context else ""
            if context and exc.context_mark is not None:
                # libyaml gives up after the broken line; say where the construct began.
                context += f" started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
            context += ")" if context else ""
            offset = exc.problem_mark.index if exc.problem_mark is not None else parsed_to
            self._fail(ParseError("YSL901", offset, f"YAML syntax error: {problem}{context}"))
            yield from self._comments(parse_text, 0, parsed_to)
        elif isinstance(exc, yaml.reader.ReaderError):
            char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
            message = f"YAML error: character U+{char:04X} is not allowed in YAML"
            self._fail(ParseError("YSL901", exc.position, message))
        elif isinstance(exc, RecursionError):
            self._fail(ParseError("YSL901", 0, "YAML nesting too deep to parse"))
        else:
            self._fail(ParseError("YSL901", parsed_to, f"YAML error: {type(exc).__name__}"))
        yield from line_scalars(self.text, parsed_to, doc=self._doc)

    def _fail(self, error: ParseError) -> None:
        self.errors.append(error)

    def _events(self, text: str) -> Iterator[Scalar]:
        """Scalars from libyaml's events; raises the parser's error where the text breaks."""
        masked = self.masked is not None and text is self.masked.text
        track = self._track
        starts_append, ends_append = self._starts.append, self._ends.append
        stack: list[_Frame] = []
        doc = self._doc
        anchors: set[str] = set()
        for event in _events(text):
            kind = event.__class__
            anchor = getattr(event, "anchor", None)
            if anchor is not None and kind is not AliasEvent:
                anchors.add(anchor)
            if kind is ScalarEvent:
                value = event.value
                start, end = event.start_mark.index, event.end_mark.index
                if masked and ("\ue000" in value or "\ue001" in value):
                    value = template.restore(self.masked, self.text, value, start, end, self.used_templates)  # type: ignore[arg-type]
                if track:
                    starts_append(start)
                    ends_append(end)
                self._last_end = end
                frame = stack[-1] if stack else None
                if frame is not None and frame.is_map and not frame.expect_value:
                    frame.key = value
                    frame.child = key_segment(frame.path, value)
                    frame.expect_value = True
                    yield Scalar(value, frame.child, "key", start, end, doc, _tag(event.tag), value)
                    continue
                path, name = frame.value_position() if frame is not None else ("", "")
                yield Scalar(value, path, "value", start, end, doc, _tag(event.tag), name)
                if frame is not None:
                    if frame.is_map and frame.key in _NAME_KEYS and not frame.pair_name:
                        frame.pair_name = value
                    frame.advance()
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                frame = stack[-1] if stack else None
                if frame is None:
                    path = ""
                elif frame.is_map and not frame.expect_value:
                    # A complex key (`? [a, b]`): its scalars are filed under `[?]`.
                    frame.key, frame.child = "?", f"{frame.path}[?]"
                    path = frame.child
                else:
                    path = frame.value_position()[0]
                stack.append(_Frame(kind is MappingStartEvent, path))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                if stack:
                    parent = stack[-1]
                    if parent.is_map and not parent.expect_value:
                        parent.expect_value = True  # the complex key ended; its value comes next
                    else:
                        parent.advance()
            elif kind is AliasEvent:
                # Never followed: what it names was reported where it is written.
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(
                        None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                    )
                if stack:
                    frame = stack[-1]
                    if frame.is_map and not frame.expect_value:
                        frame.key, frame.child, frame.expect_value = "*", f"{frame.path}[*]", True
                    else:
                        frame.advance()
            elif kind is DocumentEndEvent:
                doc += 1
                self._doc = doc
                self._parsed_to = event.end_mark.index
            elif kind is DocumentStartEvent:
                stack.clear()
                anchors.clear()

    def _comments(self, parse_text: str, start: int, end: int) -> Iterator[Scalar]:
        """``# …`` outside every scalar: a key pasted in a comment still leaks."""
        if "#" not in parse_text:
            return
        starts = self._starts
        reach = array("q")  # the furthest end of any scalar starting at or before each start
        furthest = -1
        for end_at in self._ends:
            if end_at > furthest:
                furthest = end_at
            reach.append(furthest)
        for match in _COMMENT.finditer(parse_text, start, end):
            at = match.start()
            index = bisect_right(starts, at) - 1
            if index >= 0 and reach[index] > at:
                continue
            body = self.text[at + 1 : match.end()]
            stripped = body.strip(" \t#")
            if stripped:
                offset = at + 1 + body.index(stripped)
                if self.templates:  # only to tell tags inside comments from tag-only lines
                    self._comment_spans.append((at, match.end()))
                yield Scalar(stripped, "", "comment", offset, offset + len(stripped))

    def _unused_templates(self, doc: int, covered_from: int) -> Iterator[Scalar]:
        """Tags on tag-only lines: Mage renders them too.

        Tags inside a value, a comment, or the raw lines of a broken file's tail
        are scanned there already.
        """
        comment_starts = [c[0] for c in self._comment_spans]
        for index, tag in enumerate(self.templates):
            if index in self.used_templates or tag.start >= covered_from:
                continue
            at = bisect_right(comment_starts, tag.start) - 1
            if at >= 0 and self._comment_spans[at][1] > tag.start:
                continue
            yield Scalar(tag.text, "", "template", tag.start, tag.end, doc)

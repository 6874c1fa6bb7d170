"""YAML files as a stream of scalars with key paths and exact offsets.

The text is read as libyaml's event stream — never composed into nodes,
never constructed: no tag runs code, no alias is followed (a value is
reported once, where it is written, so an alias bomb costs what its text
costs), and memory stays near the size of the text however large the file.
Key paths and Kubernetes/ECS ``name:``/``value:`` pairs are tracked on a
small stack of open collections.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from itertools import accumulate
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

from yamlsecretlint import lazyre, redact
from yamlsecretlint.model import Interest, ParseError, Scalar
from yamlsecretlint.sources import template
from yamlsecretlint.sources.keypaths import key_segment
from yamlsecretlint.sources.lines import line_scalars
from yamlsecretlint.sources.marks import has_word

try:
    from yaml import CSafeLoader as FastLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as FastLoader  # type: ignore[assignment]

# libyaml's parser is quadratic in flow nesting depth (100,000 levels take over a
# minute) and its composer used to crash the interpreter there; no real file nests
# this deep, so such text is reported, not parsed.
MAX_DEPTH = 500
_NOT_BRACKET = lazyre.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_DEEP_INDENT = lazyre.compile(rf"[ \t?:-]{{{MAX_DEPTH}}}")
# A line break as the literal first character lets re skip at memchr speed (`^` with re.M does not).
_DEEP_BLOCK = lazyre.compile(rf"\n[ \t?:-]{{{MAX_DEPTH}}}")
#: The key of a commented-out line (`# password: x`, `# export DB_PASSWORD=x`).
_COMMENTED_KEY = lazyre.compile(r"""(?:-\s+)?(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]""")
#: Beyond any offset: a pointer that has run out of marks.
_NEVER = 1 << 62
_EVERYTHING = Interest(everything=True)
_CORE_TAG = "tag:yaml.org,2002:"
_BINARY = _CORE_TAG + "binary"
#: Keys that name a mapping's value: Kubernetes and ECS ``env`` (``name``/``value``).
_NAME_KEYS = frozenset({"name", "Name", "key"})
_VALUE_KEYS = frozenset({"value", "Value"})


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
    if text.count("[") + text.count("{") > MAX_DEPTH and _flow_depth(text) > MAX_DEPTH:
        return True
    return _DEEP_INDENT.match(text) is not None or _DEEP_BLOCK.search(text) is not None


def _tag(tag: str | None) -> str:
    if not tag or tag == "!":
        return ""
    if tag.startswith(_CORE_TAG):
        return "!!binary" if tag == _BINARY else ""
    return tag


class _Frame:
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
        "root",
        "seg",
        "wanted",
    )

    def __init__(self, is_map: bool, parent: _Frame | None, seg: str | int | None, wanted: bool) -> None:
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


def _open(event: Any, is_map: bool, stack: list[_Frame], anchors: set[str], root_keys: frozenset[str]) -> None:
    """A mapping or sequence starts: a frame for it, filed under its parent's current key or index."""
    if event.anchor is not None:
        anchors.add(event.anchor)
    frame = stack[-1] if stack else None
    if frame is None:
        stack.append(_Frame(is_map, None, "", False))
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
    stack.append(_Frame(is_map, frame, seg, wanted))


def _close(stack: list[_Frame]) -> None:
    """A mapping or sequence ends: its parent moves on to its next key or item."""
    stack.pop()
    if stack:
        parent = stack[-1]
        if parent.is_map and not parent.expect_value:
            parent.expect_value = True  # the complex key ended; its value comes next
        else:
            parent.advance()


def _alias(event: Any, stack: list[_Frame], anchors: set[str]) -> None:
    """An alias is never followed (what it names was reported where it is written); it takes a place."""
    if event.anchor not in anchors:
        raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
    if stack:
        frame = stack[-1]
        if frame.is_map and not frame.expect_value:
            frame.key, frame.child, frame.expect_value = "*", f"{frame.path()}[*]", True
        else:
            frame.advance()


class _Failed(Exception):
    """The masked parse failed; carries what it had produced and the error."""

    def __init__(self, produced: list[Scalar], error: BaseException) -> None:
        super().__init__()
        self.produced = produced
        self.error = error


def _hashes(text: str) -> list[int]:
    """Where a ``#`` may start a comment: at a line start or after a blank."""
    found = []
    at = text.find("#")
    while at >= 0:
        if at == 0 or text[at - 1] in " \t\n":
            found.append(at)
        at = text.find("#", at + 1)
    return found


class YamlSource:
    """Parse errors are known only once ``scalars()`` has been consumed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[ParseError] = []
        self.masked = template.mask(text) if template.may_have_templates(text) else None
        self.templates = self.masked.templates if self.masked else []
        #: Indexes of templates that ended up inside a scalar.
        self.used_templates: set[int] = set()
        self._last_end = 0
        self._parsed_to = 0
        self._doc = 0
        #: Candidate comment starts of the text being parsed, and those found inside a scalar.
        self._hashes: list[int] = []
        self._inside: set[int] = set()
        #: Offsets and bits of the checks' triggers in the text (None: not marked).
        self._marks: list[int] = []
        self._bits: list[int] | None = None
        self._gate = _EVERYTHING
        self._comment_spans: list[tuple[int, int]] = []

    def scalars(self, interest: Interest | None = None) -> Iterator[Scalar]:
        """Every scalar, or only those ``interest`` names, then comments and unused templates."""
        self._parsed_to = 0
        self._doc = 0
        if too_deep(self.text):
            self._fail(ParseError("YSL901", 0, f"YAML nested deeper than {MAX_DEPTH} levels; not parsed"))
            yield from line_scalars(self.text)
            return
        self._gate = interest if interest is not None else _EVERYTHING
        # Once per file, even when a masked parse fails and the text is walked again: the
        # offsets are the same in the masked text and in the original, which still has the tags.
        # None: not searched, so every scalar's triggers are unknown (-1) and it is yielded.
        found = self._gate.marker.scan(self.text) if self._gate.marker is not None else None
        self._marks = [at for at, _ in found] if found else []
        self._bits = None if found is None else [bit for _, bit in found]
        parse_text = self.masked.text if self.masked else self.text
        try:
            if self.masked is None:
                yield from self._walk(parse_text)
            else:
                parse_text, produced = self._templated()
                yield from produced
            yield from self._comments(len(parse_text))
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
            produced.extend(self._walk(self.masked.text))
            return self.masked.text, produced
        except (yaml.YAMLError, RecursionError) as masked_error:
            saved = (self._parsed_to, self._doc, self._last_end, self._hashes, self._inside, set(self.used_templates))
            self._parsed_to = self._doc = self._last_end = 0
            try:
                raw = list(self._walk(self.text))
            except (yaml.YAMLError, RecursionError):
                self._parsed_to, self._doc, self._last_end, self._hashes, self._inside, self.used_templates = saved
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
            problem = redact.problem(exc.problem or "invalid YAML")
            context = f" ({redact.problem(exc.context)}" if exc.context else ""
            if context and exc.context_mark is not None:
                # libyaml gives up after the broken line; say where the construct began.
                context += f" started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
            context += ")" if context else ""
            offset = exc.problem_mark.index if exc.problem_mark is not None else parsed_to
            self._fail(ParseError("YSL901", offset, f"YAML syntax error: {problem}{context}"))
            yield from self._comments(parsed_to)
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

    def _walk(self, text: str) -> Iterator[Scalar]:
        """Scalars from libyaml's events; raises the parser's error where the text breaks.

        One loop does the bookkeeping and the gate: this is the hot path of a
        whole run, so it keeps to locals and integer comparisons.
        """
        masked = self.masked if self.masked is not None and text is self.masked.text else None
        gate = self._gate
        everything = gate.everything
        min_length = 0 if everything else gate.min_length or _NEVER
        names = None if everything else gate.names
        root_keys, words = gate.root_keys, gate.words
        marks, bits = self._marks, self._bits or []
        unknown = -1 if self._bits is None else 0
        name_cache: dict[str, bool] = {"": False}
        mark_at, next_mark = 0, marks[0] if marks else _NEVER
        hashes = self._hashes = _hashes(text)
        inside = self._inside = set()
        hash_at, next_hash = 0, hashes[0] if hashes else _NEVER
        stack: list[_Frame] = []
        doc = self._doc
        last_end = self._last_end
        anchors: set[str] = set()
        loader = FastLoader(text)
        # Typed Any: each branch below knows which event class it holds.
        get_event: Callable[[], Any] = loader.get_event
        try:
            while True:
                event = get_event()
                kind = event.__class__
                if kind is ScalarEvent:
                    if event.anchor is not None:
                        anchors.add(event.anchor)
                    value = event.value
                    start, end = event.start_mark.index, event.end_mark.index
                    last_end = end
                    if masked is not None and ("\ue000" in value or "\ue001" in value):
                        value = template.restore(masked, self.text, value, start, end, self.used_templates)
                    if next_hash < end:
                        while next_hash < start:
                            hash_at += 1
                            next_hash = hashes[hash_at] if hash_at < len(hashes) else _NEVER
                        while next_hash < end:
                            inside.add(next_hash)
                            hash_at += 1
                            next_hash = hashes[hash_at] if hash_at < len(hashes) else _NEVER
                    held = unknown
                    if next_mark < end:
                        while next_mark < start:
                            mark_at += 1
                            next_mark = marks[mark_at] if mark_at < len(marks) else _NEVER
                        while next_mark < end:
                            held |= bits[mark_at]
                            mark_at += 1
                            next_mark = marks[mark_at] if mark_at < len(marks) else _NEVER
                    if event.style == '"' and text.find("\\", start, end) >= 0:
                        held = -1  # an escape can spell a trigger the written text does not hold
                    wanted = everything or held != 0
                    frame = stack[-1] if stack else None
                    if frame is None:
                        if wanted or end - start >= min_length:
                            yield Scalar(value, "", "value", start, end, doc, _tag(event.tag), "", held)
                        continue
                    if frame.is_map:
                        if not frame.expect_value:
                            frame.key = value
                            frame.child = None
                            frame.expect_value = True
                            if wanted or frame.wanted:
                                yield Scalar(
                                    value, frame.child_path(), "key", start, end, doc, _tag(event.tag), value, held
                                )
                            continue
                        key = name = frame.key
                        if frame.pair_name and name in _VALUE_KEYS:
                            name = frame.pair_name
                        if not wanted and names is not None:
                            known = name_cache.get(name)
                            if known is None:
                                known = names(name)
                                if len(name_cache) < 10_000:
                                    name_cache[name] = known
                            wanted = known
                        if not wanted and words and (" " in value or "\n" in value):
                            wanted = has_word(value, words)
                        if wanted or end - start >= min_length or frame.wanted or (frame.root and key in root_keys):
                            yield Scalar(
                                value, frame.child_path(), "value", start, end, doc, _tag(event.tag), name, held
                            )
                        if key in _NAME_KEYS and not frame.pair_name:
                            frame.pair_name = value
                        frame.expect_value = False
                        continue
                    if not wanted and words and (" " in value or "\n" in value):
                        wanted = has_word(value, words)
                    if wanted or end - start >= min_length or frame.wanted:
                        path = f"{frame.path()}[{frame.index}]"
                        yield Scalar(value, path, "value", start, end, doc, _tag(event.tag), "", held)
                    frame.index += 1
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    _open(event, kind is MappingStartEvent, stack, anchors, root_keys)
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    _close(stack)
                elif kind is AliasEvent:
                    _alias(event, stack, anchors)
                elif kind is DocumentEndEvent:
                    doc += 1
                    self._doc = doc
                    self._parsed_to = event.end_mark.index
                elif kind is DocumentStartEvent:
                    stack.clear()
                    anchors.clear()
                elif kind is StreamEndEvent or event is None:
                    return
        finally:
            self._last_end = last_end
            loader.dispose()

    def _comments(self, limit: int) -> Iterator[Scalar]:
        """``# …`` outside every scalar, before ``limit``: a key pasted in a comment still leaks."""
        text, inside, spans = self.text, self._inside, self._comment_spans if self.templates else None
        gate = self._gate
        min_length = 0 if gate.everything else gate.min_length or _NEVER
        names = gate.names
        marks, bits = self._marks, self._bits
        mark_at, mark_count = 0, len(marks)
        next_mark = marks[0] if marks else _NEVER
        find = text.find
        for at in self._hashes:
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
            if held == 0 and len(stripped) < min_length:
                # A commented-out `key: value` is wanted when its key is.
                pair = _COMMENTED_KEY.match(stripped)
                if pair is None or names is None or not names(pair.group(1).rsplit(".", 1)[-1]):
                    continue
            offset = at + 1 + body.index(stripped)
            yield Scalar(stripped, "", "comment", offset, offset + len(stripped), 0, "", "", held)

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

"""YAML files as a stream of scalars with key paths and exact offsets.

The text is read as libyaml's event stream — never composed into nodes,
never constructed: no tag runs code, no alias is followed (a value is
reported once, where it is written, so an alias bomb costs what its text
costs), and memory stays near the size of the text however large the file.
Key paths and Kubernetes/ECS ``name:``/``value:`` pairs are tracked on a
small stack of open collections.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
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

from yamlsecretlint import redact
from yamlsecretlint.model import Interest, ParseError, Scalar
from yamlsecretlint.sources import native, template
from yamlsecretlint.sources.comments import comments, hash_starts
from yamlsecretlint.sources.frames import (
    MAX_DEPTH,
    Frame,
    close_collection,
    open_collection,
    tag_name,
    take_alias,
    too_deep,
)
from yamlsecretlint.sources.keypaths import key_segment
from yamlsecretlint.sources.lines import line_scalars
from yamlsecretlint.sources.marks import bits_within, has_word

try:
    from yaml import CSafeLoader as FastLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as FastLoader  # type: ignore[assignment]

#: Beyond any offset: a pointer that has run out of marks.
_NEVER = 1 << 62
_EVERYTHING = Interest(everything=True)
#: Keys that name a mapping's value: Kubernetes and ECS ``env`` (``name``/``value``).
_NAME_KEYS = frozenset({"name", "Name", "key"})
_VALUE_KEYS = frozenset({"value", "Value"})


class _Cursor:
    """Sorted offsets walked alongside the scalars, which come in file order."""

    __slots__ = ("at", "next", "offsets")

    def __init__(self, offsets: Sequence[int]) -> None:
        self.offsets = offsets
        self.at = 0
        #: The first offset not yet passed: the walker compares a scalar's end with it before calling.
        self.next = offsets[0] if offsets else _NEVER

    def within(self, start: int, end: int) -> range:
        """Indexes of the offsets in [start, end), skipping those before ``start`` for good."""
        offsets = self.offsets
        first = bisect_left(offsets, start, self.at)
        self.at = stop = bisect_left(offsets, end, first)
        self.next = offsets[stop] if stop < len(offsets) else _NEVER
        return range(first, stop)


def _file_pending(frame: Frame, name: str, names: Mapping[str, bool] | None) -> Iterator[Scalar]:
    """A held ``value:``, filed under the pair's ``name`` (or its own key when none came)."""
    pending, frame.pending = frame.pending, None
    if pending is None:
        return
    scalar, wanted = pending
    if name:
        scalar = scalar._replace(name=name)
        wanted = wanted or (names is not None and names[name])
    elif names is not None:
        wanted = wanted or names[scalar.name]
    if wanted:
        yield scalar


class _NameCache(dict[str, bool]):
    """Whether values filed under a name are wanted, asked of the Interest once per name.

    One per Interest's ``names`` for the whole process, not per file: a run's
    files share most of their key names (``name``, ``image``, ``env``).
    """

    def __init__(self, names: Callable[[str], bool]) -> None:
        super().__init__()
        self.names = names

    @classmethod
    def of(cls, names: Callable[[str], bool]) -> _NameCache:
        cache = _NAME_CACHES.get(names)
        if cache is None:
            if len(_NAME_CACHES) >= 16:  # a monorepo's configurations: a few Interests at most
                _NAME_CACHES.clear()
            cache = _NAME_CACHES[names] = cls(names)
        return cache

    def __missing__(self, name: str) -> bool:
        known = self.names(name) if name else False
        if len(self) < 10_000:
            self[name] = known
        return known


_NAME_CACHES: dict[Callable[[str], bool], _NameCache] = {}


def _refuse(value: str, held: int) -> bool:
    return False


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
        #: The text did not parse, but its template tags explain why: no YSL901, lines read.
        self._broken = False
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
        self._broken = False
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
                yield from self._templated()
                parse_text = self.masked.text if self.masked else self.text
            yield from self._comments(len(parse_text))
        except _Failed as failed:
            yield from failed.produced
            yield from self._failure(failed.error, parse_text)
        except (yaml.YAMLError, RecursionError) as exc:
            yield from self._failure(exc, parse_text)
        covered_from = len(self.text) if not self.errors and not self._broken else self._parsed_to
        yield from self._unused_templates(self._doc, covered_from)

    def _templated(self) -> Iterator[Scalar]:
        """Masked text first, a document at a time; where it does not parse but the text as written
        does, the latter wins from that document on (``self.masked`` is then None).

        Masking is right for templated files, but a stray ``{{`` paired with a
        ``}}`` lines later can break YAML that parses as written. Only the
        document being parsed is held back (a 50 MB file of small documents is
        not held whole); a document the masked parse finished is final.
        """
        if self.masked is None:  # pragma: no cover - only called for templated text
            raise ValueError("no templates to mask")
        pending: list[Scalar] = []
        try:
            for scalar in self._walk(self.masked.text):
                if pending and scalar.doc != pending[0].doc:
                    yield from pending
                    pending = []
                pending.append(scalar)
        except (yaml.YAMLError, RecursionError) as masked_error:
            failed_doc = self._doc
            yield from (s for s in pending if s.doc < failed_doc)
            pending = [s for s in pending if s.doc >= failed_doc]
            saved = (self._parsed_to, self._doc, self._last_end, self._hashes, self._inside, set(self.used_templates))
            self._parsed_to = self._doc = self._last_end = 0
            try:
                # Held until the whole text is known to parse: only on this rare path, and only from here on.
                raw = [s for s in self._walk(self.text) if s.doc >= failed_doc]
            except (yaml.YAMLError, RecursionError):
                self._parsed_to, self._doc, self._last_end, self._hashes, self._inside, self.used_templates = saved
                raise _Failed(pending, masked_error) from None
            self.masked = None
            self.used_templates = set(range(len(self.templates)))
            yield from raw
            return
        yield from pending

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
            if self.templates and template.shapes_structure(self.templates):
                # A Helm or Jinja template whose control tags (`{{- define }}`, `{{- if }}`,
                # `| nindent 4`) shape the rendered YAML: the text as written need not parse.
                # Its lines are still read; the error is the template's, not the file's.
                self._broken = True
            else:
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

    def _comments(self, limit: int) -> Iterator[Scalar]:
        spans = self._comment_spans if self.templates else None
        return comments(self.text, limit, self._hashes, self._inside, self._gate, self._marks, self._bits, spans)

    def _walk(self, text: str) -> Iterator[Scalar]:
        """Scalars from libyaml's events; raises the parser's error where the text breaks.

        The C walker when it is built (and not turned off), else the reference below.
        """
        if native.WALKER is None:
            return self._walk_python(text)
        return self._walk_native(text)

    def _walk_native(self, text: str) -> Iterator[Scalar]:
        """The reference's loop in C (sources/_walker.c): same scalars, errors and bookkeeping."""
        masked = self.masked if self.masked is not None and text is self.masked.text else None
        gate = self._gate
        source = self.text

        def restore(value: str, start: int, end: int) -> str:
            assert masked is not None  # noqa: S101 - called only for masked text
            return template.restore(masked, source, value, start, end, self.used_templates)

        hash_at = self._hashes = hash_starts(text)
        inside = self._inside = set()
        walker = native.walker(
            text,
            restore if masked is not None else None,
            gate,
            None if gate.everything or gate.names is None else _NameCache.of(gate.names),
            self._marks,
            self._bits,
            hash_at,
            inside,
            (self._doc, self._last_end, self._parsed_to),
        )
        try:
            yield from walker
        finally:
            self._doc, self._last_end, self._parsed_to = walker.doc, walker.last_end, walker.parsed_to

    def _walk_python(self, text: str) -> Iterator[Scalar]:
        """The walker's reference: the C walker is held equal to it (tests/sources/test_native_walker.py).

        One loop does the bookkeeping and the gate: this is the hot path of a
        whole run, so it keeps to locals, and calls out only for what is rare
        (a collection's start or end, a mark or a ``#`` inside a scalar).
        """
        masked = self.masked if self.masked is not None and text is self.masked.text else None
        gate = self._gate
        everything = gate.everything
        lengths = gate.lengths
        root_keys, words = gate.root_keys, gate.words
        # Marks of weak triggers alone want a value only when the gate's test confirms it.
        strong, confirm = ~gate.weak, gate.confirm or _refuse
        name_cache = None if everything or gate.names is None else _NameCache.of(gate.names)
        bits = self._bits or []
        unknown = -1 if self._bits is None else 0
        marks = _Cursor(self._marks)
        hash_at = self._hashes = hash_starts(text)
        hashes = _Cursor(hash_at)
        next_mark, next_hash = marks.next, hashes.next
        inside = self._inside = set()
        stack: list[Frame] = []
        doc = self._doc
        last_end = self._last_end
        anchors: set[str] = set()
        anchored: dict[str, tuple[str, int, int]] = {}
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
                    if event.anchor is not None:  # what an alias of it under a secret-named key is read as
                        anchored[event.anchor] = (value, start, end)
                    if next_hash < end:  # a `#` inside a scalar starts no comment
                        inside.update(hash_at[k] for k in hashes.within(start, end))
                        next_hash = hashes.next
                    held = unknown
                    if next_mark < end:
                        for k in marks.within(start, end):
                            held |= bits[k]
                        next_mark = marks.next
                    if event.style == '"' and text.find("\\", start, end) >= 0:
                        held = -1  # an escape can spell a trigger the written text does not hold
                    wanted = everything or (held & strong) != 0 or (held != 0 and confirm(value, held))
                    frame = stack[-1] if stack else None
                    if frame is None:
                        if wanted or len(value) in lengths:
                            yield Scalar(value, "", "value", start, end, doc, tag_name(event.tag), "", held)
                        continue
                    if frame.is_map and not frame.expect_value:
                        frame.key, frame.child, frame.expect_value = value, None, True
                        if wanted or frame.wanted:
                            path = frame.child_path()
                            yield Scalar(value, path, "key", start, end, doc, tag_name(event.tag), value, held)
                        continue
                    name = frame.key if frame.is_map else ""
                    if name in _VALUE_KEYS:
                        if frame.pair_name:
                            name = frame.pair_name
                        else:
                            # `value:` before `name:` (ECS and Kubernetes pairs are written both ways):
                            # held until the name files it, or the mapping ends without one.
                            wanted = (
                                wanted
                                or len(value) in lengths
                                or frame.wanted
                                or bool(words and (" " in value or "\n" in value) and has_word(value, words))
                                or (frame.root and frame.key in root_keys)
                            )
                            path = frame.child_path()
                            tag = tag_name(event.tag)
                            frame.pending = (Scalar(value, path, "value", start, end, doc, tag, name, held), wanted)
                            frame.expect_value = False
                            continue
                    if not wanted and name_cache is not None:
                        wanted = name_cache[name]
                    if not wanted and words and (" " in value or "\n" in value):
                        wanted = has_word(value, words)
                    if (
                        wanted
                        or len(value) in lengths
                        or frame.wanted
                        or (frame.root and frame.is_map and frame.key in root_keys)
                    ):
                        path = frame.child_path() if frame.is_map else f"{frame.path()}[{frame.index}]"
                        yield Scalar(value, path, "value", start, end, doc, tag_name(event.tag), name, held)
                    if not frame.is_map:
                        frame.index += 1
                    else:
                        if frame.key in _NAME_KEYS and not frame.pair_name:
                            frame.pair_name = value
                            if frame.pending is not None:
                                yield from _file_pending(frame, value, name_cache)
                        frame.expect_value = False
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    open_collection(event, kind is MappingStartEvent, stack, anchors, root_keys)
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    if stack and stack[-1].pending is not None:
                        yield from _file_pending(stack[-1], "", name_cache)
                    close_collection(stack)
                elif kind is AliasEvent:
                    frame = stack[-1] if stack else None
                    named = frame.key if frame is not None and frame.is_map and frame.expect_value else ""
                    take_alias(event, stack, anchors)
                    # `password: *pw` reads the value anchored at `&pw`: reported where it is written, once
                    # per alias (never followed further), under the name the alias gives it.
                    if (
                        frame is not None
                        and named
                        and event.anchor in anchored
                        and (everything or (name_cache is not None and name_cache[named]))
                    ):
                        value, start, end = anchored[event.anchor]
                        yield Scalar(value, key_segment(frame.path(), named), "value", start, end, doc, "", named, -1)
                elif kind is DocumentEndEvent:
                    doc += 1
                    self._doc = doc
                    self._parsed_to = event.end_mark.index
                elif kind is StreamEndEvent or event is None:
                    return
                elif kind is DocumentStartEvent:
                    stack.clear()
                    anchors.clear()
                    anchored.clear()
        finally:
            self._last_end = last_end
            loader.dispose()

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
            # With the bits of the triggers written in it, the engine searches no regex for them.
            held = -1 if self._bits is None else bits_within(self._marks, self._bits, tag.start, tag.end)
            yield Scalar(tag.text, "", "template", tag.start, tag.end, doc, marks=held)

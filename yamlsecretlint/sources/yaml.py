"""YAML files as a stream of scalars with key paths and exact offsets.

Nodes are composed, never constructed: no tag runs code and no alias expands.
The node graph is walked with an explicit stack and each node is visited once,
so an alias bomb costs what its text costs and depth costs no recursion.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from yamlsecretlint.model import ParseError, Role, Scalar
from yamlsecretlint.sources import template
from yamlsecretlint.sources.lines import line_scalars

try:
    from yaml import CSafeLoader as FastLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as FastLoader  # type: ignore[assignment]

# libyaml's composer recurses on the C stack and crashes the interpreter on
# very deep nesting; past this depth the pure-Python composer is used, whose
# recursion limit turns the same input into a clean error.
_SAFE_C_DEPTH = 500
_BRACKET = re.compile(r"[\[\]{}]")
_DEEP_BLOCK = re.compile(rf"^[ \t?:-]{{{_SAFE_C_DEPTH},}}", re.M)
_SIMPLE_KEY = re.compile(r"[^.\[\]\s\"']+")
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\r\n]*", re.M)
_CORE_TAG = "tag:yaml.org,2002:"
#: Keys of a mapping that files a value under a name: Kubernetes and ECS ``env``.
_PAIR_KEYS = (("name", "value"), ("Name", "Value"), ("key", "value"))


def _flow_depth(text: str) -> int:
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def _loader_for(text: str) -> type[yaml.SafeLoader]:
    deep = text.count("[") + text.count("{") > _SAFE_C_DEPTH and _flow_depth(text) > _SAFE_C_DEPTH
    if deep or _DEEP_BLOCK.search(text):
        return yaml.SafeLoader
    return FastLoader  # type: ignore[return-value]


def _filed_under(node: MappingNode) -> tuple[str, str] | None:
    """For a ``name: X`` / ``value: Y`` mapping: ("value", "X")."""
    keys = {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}
    for name_key, value_key in _PAIR_KEYS:
        name = keys.get(name_key)
        if isinstance(name, ScalarNode) and value_key in keys:
            return value_key, name.value
    return None


def key_segment(path: str, key: str) -> str:
    if _SIMPLE_KEY.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


class YamlSource:
    """Parse errors are known only once ``scalars()`` has been consumed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[ParseError] = []
        self.masked = template.mask(text) if template.may_have_templates(text) else None
        self.templates = self.masked.templates if self.masked else []
        #: Indexes of templates that ended up inside a scalar.
        self.used_templates: set[int] = set()
        #: (start, end) of every scalar seen: what is not inside one may be a comment.
        self._spans: list[tuple[int, int]] = []
        self._comment_spans: list[tuple[int, int]] = []

    def _documents(self) -> tuple[str, Iterator[Node | None]]:
        """The text to parse and its documents.

        Masking is right for templated files, but a stray ``{{`` paired with a
        ``}}`` lines later can break YAML that parses as written; then the
        text as written wins.
        """
        if self.masked is None:
            return self.text, yaml.compose_all(self.text, Loader=_loader_for(self.text))
        masked = self.masked.text
        try:
            roots = list(yaml.compose_all(masked, Loader=_loader_for(masked)))
        except (yaml.YAMLError, RecursionError):
            try:
                roots = list(yaml.compose_all(self.text, Loader=_loader_for(self.text)))
            except (yaml.YAMLError, RecursionError):
                return masked, yaml.compose_all(masked, Loader=_loader_for(masked))
            self.masked = None
            self.used_templates = set(range(len(self.templates)))
            return self.text, iter(roots)
        return masked, iter(roots)

    def scalars(self) -> Iterator[Scalar]:
        parse_text, documents = self._documents()
        parsed_to = 0
        doc = 0
        try:
            for root in documents:
                if root is not None:
                    yield from self._walk(root, doc)
                    parsed_to = root.end_mark.index
                doc += 1
            yield from self._comments(parse_text, 0, len(parse_text))
        except yaml.MarkedYAMLError as exc:
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
            yield from line_scalars(self.text, parsed_to, doc=doc)
        except yaml.reader.ReaderError as exc:
            char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
            message = f"YAML error: character U+{char:04X} is not allowed in YAML"
            self._fail(ParseError("YSL901", exc.position, message))
            yield from line_scalars(self.text, parsed_to, doc=doc)
        except RecursionError:
            self._fail(ParseError("YSL901", 0, "YAML nesting too deep to parse"))
            yield from line_scalars(self.text, parsed_to, doc=doc)
        except yaml.YAMLError as exc:
            self._fail(ParseError("YSL901", parsed_to, f"YAML error: {type(exc).__name__}"))
            yield from line_scalars(self.text, parsed_to, doc=doc)
        yield from self._unused_templates(doc, covered_from=len(self.text) if not self.errors else parsed_to)

    def _fail(self, error: ParseError) -> None:
        self.errors.append(error)

    def _scalar(self, node: ScalarNode, path: str, role: Role, doc: int, name: str = "") -> Scalar:
        value = node.value
        start, end = node.start_mark.index, node.end_mark.index
        if self.masked is not None and ("\ue000" in value or "\ue001" in value):
            value = template.restore(self.masked, self.text, value, start, end, self.used_templates)
        tag = node.tag
        if tag.startswith(_CORE_TAG):
            tag = "!!binary" if tag == _CORE_TAG + "binary" else ""
        self._spans.append((start, end))
        return Scalar(value, path, role, start, end, doc, tag, name)

    def _walk(self, root: Node, doc: int) -> Iterator[Scalar]:
        seen: set[int] = set()
        stack: list[tuple[Node, str, Role, str]] = [(root, "", "value", "")]
        while stack:
            node, path, role, name = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, ScalarNode):
                yield self._scalar(node, path, role, doc, name)
            elif isinstance(node, MappingNode):
                filed = _filed_under(node)
                for key_node, value_node in reversed(node.value):
                    if isinstance(key_node, ScalarNode):
                        key = key_node.value
                        if self.masked is not None and ("\ue000" in key or "\ue001" in key):
                            key = self._scalar(key_node, "", "key", doc).value
                        child = key_segment(path, key)
                        value_name = filed[1] if filed is not None and key_node.value == filed[0] else ""
                        stack.append((value_node, child, "value", value_name))
                        stack.append((key_node, child, "key", ""))
                    else:
                        child = f"{path}[?]"
                        stack.append((value_node, child, "value", ""))
                        stack.append((key_node, child, "value", ""))
            elif isinstance(node, SequenceNode):
                for index in range(len(node.value) - 1, -1, -1):
                    stack.append((node.value[index], f"{path}[{index}]", "value", ""))

    def _comments(self, parse_text: str, start: int, end: int) -> Iterator[Scalar]:
        """``# …`` outside every scalar: a key pasted in a comment still leaks."""
        if "#" not in parse_text:
            return
        spans = sorted(self._spans)
        starts = [span[0] for span in spans]
        reach = []  # the furthest end of any span starting at or before each start
        furthest = -1
        for span in spans:
            furthest = max(furthest, span[1])
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

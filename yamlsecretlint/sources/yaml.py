"""YAML files as a stream of scalars with key paths and exact offsets.

Nodes are composed, never constructed: no tag runs code and no alias expands.
The node graph is walked with an explicit stack and each node is visited once,
so an alias bomb costs what its text costs and depth costs no recursion.
"""

from __future__ import annotations

import json
import re
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

    def scalars(self) -> Iterator[Scalar]:
        parse_text = self.masked.text if self.masked else self.text
        parsed_to = 0
        doc = 0
        try:
            for root in yaml.compose_all(parse_text, Loader=_loader_for(parse_text)):
                if root is not None:
                    yield from self._walk(root, doc)
                    parsed_to = root.end_mark.index
                doc += 1
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
        yield from self._unused_templates(doc)

    def _fail(self, error: ParseError) -> None:
        self.errors.append(error)

    def _scalar(self, node: ScalarNode, path: str, role: Role, doc: int) -> Scalar:
        value = node.value
        start, end = node.start_mark.index, node.end_mark.index
        if self.masked is not None and ("\ue000" in value or "\ue001" in value):
            value = template.restore(self.masked, self.text, value, start, end, self.used_templates)
        return Scalar(value, path, role, start, end, doc)

    def _walk(self, root: Node, doc: int) -> Iterator[Scalar]:
        seen: set[int] = set()
        stack: list[tuple[Node, str, Role]] = [(root, "", "value")]
        while stack:
            node, path, role = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, ScalarNode):
                yield self._scalar(node, path, role, doc)
            elif isinstance(node, MappingNode):
                for key_node, value_node in reversed(node.value):
                    if isinstance(key_node, ScalarNode):
                        key = self._scalar(key_node, "", "key", doc).value
                        child = key_segment(path, key)
                        stack.append((value_node, child, "value"))
                        stack.append((key_node, child, "key"))
                    else:
                        child = f"{path}[?]"
                        stack.append((value_node, child, "value"))
                        stack.append((key_node, child, "value"))
            elif isinstance(node, SequenceNode):
                for index in range(len(node.value) - 1, -1, -1):
                    stack.append((node.value[index], f"{path}[{index}]", "value"))

    def _unused_templates(self, doc: int) -> Iterator[Scalar]:
        """Tags in comments or on tag-only lines: Mage renders them too."""
        for index, tag in enumerate(self.templates):
            if index not in self.used_templates:
                yield Scalar(tag.text, "", "template", tag.start, tag.end, doc)

"""dotenv files read with python-dotenv's grammar (dotenv_grammar), keeping offsets.

A line python-dotenv cannot read is read as a raw line (a key in it is still
caught) and reported as YSL902 — unless it is a template tag of its own
(``{% if prod %}`` in a ``.env.j2``) or a shell statement of a sourced file
(``unset X``, ``if …; then``, ``fi``), or most of the file is not ``KEY=VALUE``
at all (a shell script or a YAML file named ``*.env``): such a file is read
line by line like any text, without a finding per line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yamlsecretlint.model import Interest, ParseError, Scalar
from yamlsecretlint.sources.dotenv_grammar import bindings
from yamlsecretlint.sources.lines import line_scalars
from yamlsecretlint.sources.marks import Written
from yamlsecretlint.sources.template import Template

_HEAD = re.compile(r"\s*(?:export[ \t]+)?")
#: A shell statement in a `.env` that is sourced (`unset X`, `if …; then`, `fi`): not a broken binding.
_SHELL = re.compile(
    r"^\s*(?:unset|if|then|else|elif|fi|for|while|until|do|done|case|esac|exit|echo|source|set|return|"
    r"function|local|readonly|declare|printf|shift|trap|\.|\[\[?|>&2)(?:\s|;|$)"
)
#: A line that is nothing but template tags: structure of a templated file, not a broken binding.
_TAGS_ONLY = re.compile(r"^\s*(?:\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|\s)+$")
_BLANKS = re.compile(r"[ \t]*")


def _syntax_problem(line: str) -> str:
    body = line.strip()
    for quote in "'\"":
        if body.count(quote) % 2 and "=" in body:
            return f"unterminated {quote} quoted value"
    if "=" not in body:
        return "expected KEY=VALUE"
    return "invalid KEY=VALUE line"


class DotenvSource:
    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[ParseError] = []
        self.templates: list[Template] = []

    def scalars(self, interest: Interest | None = None) -> Iterator[Scalar]:
        # Every binding: a dotenv file is all keys and values, nothing to skip. Each scalar
        # comes with the bits of the triggers in its written text, found in one scan of the file.
        marker = interest.marker if interest is not None else None
        marks = Written(marker.scan(self.text)).within if marker is not None else _unknown
        count = 0
        text = self.text
        for binding in bindings(text):
            base, offset = binding.start, binding.end
            original = text[base:offset]
            head = _HEAD.match(original)
            at = head.end() if head else 0
            if binding.error:
                count += 1
                if not _TAGS_ONLY.match(original) and not _SHELL.match(original):
                    problem = f"dotenv syntax error: {_syntax_problem(original)}"
                    self.errors.append(ParseError("YSL902", base + at, problem))
                for scalar in line_scalars(self.text, base, offset):
                    yield scalar._replace(marks=marks(scalar.start, scalar.end))
                continue
            if binding.key is None:
                # A comment or blank line: a secret pasted in a comment still leaks.
                for scalar in _comment_scalars(original, base):
                    yield scalar._replace(marks=marks(scalar.start, scalar.end))
                continue
            count += 1
            key = binding.key
            key_at = original.find(key, at)
            if key_at < 0:
                key_at = at
            start, end = base + key_at, base + key_at + len(key)
            yield Scalar(key, key, "key", start, end, 0, "", key, marks(start, end))
            if binding.value:
                eq = original.find("=", key_at + len(key))
                value_at = _BLANKS.match(original, eq + 1).end()  # type: ignore[union-attr]
                if original[value_at : value_at + 1] in ("'", '"'):
                    value_at += 1
                # An escape: the value may hold a trigger its written text does not (-1: search it).
                held = -1 if "\\" in original[value_at:] else marks(base + value_at, offset)
                yield Scalar(binding.value, key, "value", base + value_at, offset, 0, "", key, held)
        if len(self.errors) >= 2 and 2 * len(self.errors) > count:
            self.errors = []  # not a dotenv file: it was read as lines


def _unknown(start: int, end: int) -> int:
    return -1


def _comment_scalars(original: str, base: int) -> Iterator[Scalar]:
    for line in re.finditer(r"[^\r\n]+", original):
        body = line.group()
        hash_at = body.find("#")
        if hash_at < 0:
            continue
        comment = body[hash_at + 1 :].strip()
        if comment:
            start = base + line.start() + body.index(comment, hash_at)
            yield Scalar(comment, "", "comment", start, start + len(comment))

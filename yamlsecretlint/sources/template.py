"""Mask Jinja / Go-template tags so templated YAML parses with exact positions.

Mage renders a file with Jinja before YAML sees it, so
``api_key: {{ aws_secret_var('API_KEY') }}`` is valid for Mage; Helm does the
same with Go templates. Each tag is overwritten, character for character, by a
filler from the Private Use Area (line breaks kept, so every offset stays
where it was); a line that holds nothing but tags becomes blank. After the
parse, a scalar that holds filler gets the tags' original text back.
Two fillers alternate from tag to tag so that adjacent tags stay apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import NamedTuple

from yamlsecretlint import lazyre
from yamlsecretlint.sources.compiled import TEMPLATE
from yamlsecretlint.sources.facts import holds

# CloudFormation's dynamic references ({{resolve:…}}) are YAML strings, not template tags.
_OPEN = lazyre.compile(r"\{(?:\{(?!\s*:?resolve:|:)|%|#)")
_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}
_DOUBLE = lazyre.compile(r"\{\{")
_DOUBLE_CLOSE = {"{{": "}}"}
_FILLERS = ("\ue000", "\ue001")
_RUN = lazyre.compile("\ue000+|\ue001+")
_SPACE_OR_FILL = lazyre.compile("[ \t\ue000\ue001]*")
_BLANKABLE = lazyre.compile("[^\r\n]")
_NEXT_LINES = lazyre.compile("[^\r\n]+")
_BLOCK_HEADER = lazyre.compile(r"(?:^|[\s:-])[|>][-+0-9]*[ \t]*(?:#.*)?$")
_PIECE = lazyre.compile(r"[^\r\n]+")


class Template(NamedTuple):
    start: int
    end: int
    text: str


class Expression(NamedTuple):
    """One ``{{ … }}``: its whole span, and its body's (Jinja's ``-`` whitespace control left out)."""

    start: int
    end: int
    body_start: int
    body_end: int


class Masked(NamedTuple):
    text: str
    templates: list[Template]
    #: (start, end, template index) of every stretch of filler, in file order.
    segments: list[tuple[int, int, int]]


def may_have_templates(text: str) -> bool:
    return holds(text, "{{") or holds(text, "{%") or holds(text, "{#")


def tags(text: str) -> Iterator[tuple[int, int]]:
    """Spans of ``{{ … }}``, ``{% … %}`` and ``{# … #}`` (not ``{{resolve:…}}``), in one pass."""
    return paired(text, _OPEN, _CLOSE)


def paired(text: str, opener: re.Pattern[str], closers: dict[str, str]) -> Iterator[tuple[int, int]]:
    """Spans from each opener (its first two characters say its kind) to its first closer.

    A regex ``\\{\\{.*?\\}\\}`` rescans the rest of the text from every unclosed
    opener (quadratic); here an opener whose closer is nowhere after it rules out
    every later opener of its kind.
    """
    unclosed: set[str] = set()
    at = 0
    while True:
        found = opener.search(text, at)
        if found is None:
            return
        kind = found.group()[:2]
        close = -1 if kind in unclosed else text.find(closers[kind], found.end())
        if close < 0:
            unclosed.add(kind)
            if len(unclosed) == len(closers):
                return
            at = found.start() + 1
            continue
        yield found.start(), close + 2
        at = close + 2


def expressions(text: str) -> Iterator[Expression]:
    """Every ``{{ … }}`` in ``text``, innermost: ``{{ a {{ b }}`` is ``{{ b }}``.

    The one reader of double braces for every dialect that writes them (Mage's
    Jinja, CloudFormation's dynamic references, Mage detection): built on
    :func:`paired`, then narrowed to the last ``{{`` of each span, so linear.
    """
    for start, end in paired(text, _DOUBLE, _DOUBLE_CLOSE):
        start = text.rfind("{{", start, end - 2)
        body_start, body_end = start + 2, end - 2
        if body_start < body_end and text[body_start] == "-":
            body_start += 1
        if body_start < body_end and text[body_end - 1] == "-":
            body_end -= 1
        yield Expression(start, end, body_start, body_end)


_STATEMENT = lazyre.compile(r"\{%")
_STATEMENT_CLOSE = {"{%": "%}"}
_COMMENT = lazyre.compile(r"\{#")
_COMMENT_CLOSE = {"{#": "#}"}


def statements(text: str) -> Iterator[Expression]:
    """Every Jinja ``{% … %}`` statement in ``text``, its body without ``-`` whitespace control."""
    for start, end in paired(text, _STATEMENT, _STATEMENT_CLOSE):
        body_start, body_end = start + 2, end - 2
        if body_start < body_end and text[body_start] in "-+":
            body_start += 1
        if body_start < body_end and text[body_end - 1] in "-+":
            body_end -= 1
        yield Expression(start, end, body_start, body_end)


def jinja_comments(text: str) -> list[tuple[int, int]]:
    """Spans of Jinja ``{# … #}`` comments: never rendered, whatever they hold."""
    return list(paired(text, _COMMENT, _COMMENT_CLOSE)) if "{#" in text else []


#: Tags that shape the rendered YAML: control flow (Go templates and Jinja) and inserted blocks
#: (`include … | nindent 4`, `toYaml .x | indent 8`). With one, the text as written need not parse.
_SHAPING = lazyre.compile(
    r"^\{[{%]-?\s*(?:define|if|else|elif|end|range|with|block|template|for|endfor|endif|macro|endmacro|filter)\b"
    r"|\b(?:n?indent|toYaml|toJson|tpl)\b"
)


def shapes_structure(templates: list[Template]) -> bool:
    """Whether rendering can change the text's YAML structure (so a parse error may be the template's)."""
    return any(_SHAPING.search(tag.text) for tag in templates)


def mask(text: str) -> Masked:
    """``text`` with every tag overwritten by filler, and a tag alone on its line blanked.

    In C where ``sources/_template.c`` is built (about a tenth of a templated
    file's lint time in Python, a dozen string calls a tag); ``mask_python`` is
    the reference it is tested against.
    """
    if TEMPLATE is None:
        return mask_python(text)
    masked, spans, segments = TEMPLATE.mask(text)
    return Masked(masked, [Template(start, end, text[start:end]) for start, end in spans], segments)


def mask_python(text: str) -> Masked:
    templates: list[Template] = []
    segments: list[tuple[int, int, int]] = []
    out: list[str] = []
    last = 0
    for index, (start, end) in enumerate(tags(text)):
        written = text[start:end]
        templates.append(Template(start, end, written))
        out.append(text[last:start])
        out.append(_fill(written, start, _FILLERS[index % 2], index, segments))
        last = end
    out.append(text[last:])
    filled = "".join(out)
    # A tag alone on its lines ({% if %}, {{- end }}) is structure, not a value, and so
    # is one after `key:` that opens the block below it (`labels: {{- include … | nindent 4 }}`).
    standalone = [t for t in templates if _standalone(filled, t) or _opens_block(filled, t)]
    if not standalone:
        return Masked(filled, templates, segments)
    out, last = [], 0
    for tag in standalone:
        out.append(filled[last : tag.start])
        blank = _BLANKABLE.sub(" ", filled[tag.start : tag.end])
        if _starts_block_scalar(filled, tag.start):
            # Leading blank lines of a block scalar may not be wider than its content;
            # a `#` there is content, harmless, and keeps every offset.
            blank = "#" + blank[1:]
        out.append(blank)
        last = tag.end
    out.append(filled[last:])
    masked = "".join(out)
    segments = [seg for seg in segments if masked[seg[0]] != " "]
    return Masked(masked, templates, segments)


def _fill(tag: str, start: int, filler: str, index: int, segments: list[tuple[int, int, int]]) -> str:
    if "\n" not in tag and "\r" not in tag:  # most tags: one piece, no continuation lines
        segments.append((start, start + len(tag), index))
        return filler * len(tag)
    pieces: list[str] = []
    prev = 0
    for piece in _PIECE.finditer(tag):
        pieces.append(tag[prev : piece.start()])
        body = piece.group()
        # Keep a continuation line's indentation: YAML reads structure from it.
        lead = len(body) - len(body.lstrip(" \t")) if piece.start() > 0 else 0
        pieces.append(body[:lead] + filler * (len(body) - lead))
        if len(body) > lead:
            segments.append((start + piece.start() + lead, start + piece.end(), index))
        prev = piece.end()
    pieces.append(tag[prev:])
    return "".join(pieces)


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    # Each search stops at the nearest "\n": a `\r` looked for across the whole text would
    # make masking quadratic in a chart with hundreds of tags.
    line_start = _line_start(text, start)
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    carriage = text.find("\r", end, line_end)
    return line_start, carriage if carriage >= 0 else line_end


def _line_start(text: str, at: int) -> int:
    """Where the line holding ``at`` starts (after "\n", "\r" or "\r\n")."""
    newline = text.rfind("\n", 0, at)
    return max(newline, text.rfind("\r", newline + 1, at)) + 1


def _standalone(filled: str, tag: Template) -> bool:
    line_start, line_end = _line_bounds(filled, tag.start, tag.end)
    return _SPACE_OR_FILL.fullmatch(filled, line_start, tag.start) is not None and (
        _SPACE_OR_FILL.fullmatch(filled, tag.end, line_end) is not None
    )


def _starts_block_scalar(filled: str, start: int) -> bool:
    """Whether the nearest content line above ``start`` is a block scalar header (`key: |`)."""
    end = _line_start(filled, start) - 1
    while end > 0:
        begin = _line_start(filled, end)
        body = filled[begin:end]
        if _SPACE_OR_FILL.fullmatch(body) is None:
            return _BLOCK_HEADER.search(body) is not None
        end = begin - 1
    return False


def _opens_block(filled: str, tag: Template) -> bool:
    """A tag that ends a ``key:`` line whose next content line is nested under the key."""
    line_start, line_end = _line_bounds(filled, tag.start, tag.end)
    if _SPACE_OR_FILL.fullmatch(filled, tag.end, line_end) is None:
        return False
    before = filled[line_start : tag.start].rstrip(" \t\ue000\ue001")
    if not before.endswith(":") or before.lstrip().startswith("#"):
        return False
    indent = len(before) - len(before.lstrip(" -"))
    for line in _NEXT_LINES.finditer(filled, line_end):
        body = line.group()
        if _SPACE_OR_FILL.fullmatch(body) is not None:
            continue
        deeper = len(body) - len(body.lstrip(" "))
        return deeper > indent or (deeper == indent and body.lstrip(" ").startswith("- "))
    return False


def restore(masked: Masked, source: str, value: str, start: int, end: int, used: set[int]) -> str:
    """``value`` (parsed from masked text at [start, end)) with its tags' text put back.

    Adds the index of each template put back to ``used``.
    """
    first = bisect_left(masked.segments, (start, -1, -1))
    inside = []
    for seg in masked.segments[first:]:
        if seg[0] >= end:
            break
        inside.append(seg)
    if not inside:
        return value
    parts: list[str] = []
    prev = 0
    for run, seg in zip(_RUN.finditer(value), inside, strict=False):
        parts.append(value[prev : run.start()])
        parts.append(source[seg[0] : seg[1]])
        used.add(seg[2])
        prev = run.end()
    parts.append(value[prev:])
    return "".join(parts)

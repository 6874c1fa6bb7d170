"""python-dotenv's dotenv grammar, as spans of the text.

The grammar is python-dotenv's (``dotenv/parser.py`` as of 1.2.4; BSD-3-Clause,
Saurabh Kumar and contributors): the same regular expressions, tried in the
same order, with the same escape decoding, so every file reads as
``dotenv.load_dotenv`` reads it. What differs is the bookkeeping: python-dotenv
counts the newlines of everything it reads to number lines, and hands back
each binding's text; this parser hands back offsets and counts nothing, which
makes a dotenv file about four times cheaper to read. ``tests/sources/
test_dotenv_grammar.py`` holds the two parsers equal on every dotenv file of
the tests and the corpora and on generated text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import NamedTuple

_MULTILINE_WHITESPACE = re.compile(r"\s*", re.MULTILINE)
_WHITESPACE = re.compile(r"[^\S\r\n]*")
_EXPORT = re.compile(r"(?:export[^\S\r\n]+)?")
_SINGLE_QUOTED_KEY = re.compile(r"'([^']+)'")
_UNQUOTED_KEY = re.compile(r"([^=\#\s]+)")
_EQUAL_SIGN = re.compile(r"(=[^\S\r\n]*)")
# A backslash escapes the character after it, so `\\` before a quote does not escape the quote.
_SINGLE_QUOTED_VALUE = re.compile(r"'((?:\\.|[^'\\])*)'", re.DOTALL)
_DOUBLE_QUOTED_VALUE = re.compile(r'"((?:\\.|[^"\\])*)"', re.DOTALL)
_UNQUOTED_VALUE = re.compile(r"([^\r\n]*)")
_COMMENT = re.compile(r"(?:[^\S\r\n]*#[^\r\n]*)?")
_END_OF_LINE = re.compile(r"[^\S\r\n]*(?:\r\n|\n|\r|$)")
_REST_OF_LINE = re.compile(r"[^\r\n]*(?:\r|\n|\r\n)?")
_DOUBLE_QUOTE_ESCAPES = re.compile(r"\\[\\'\"abfnrtv]")
_SINGLE_QUOTE_ESCAPES = re.compile(r"\\[\\']")
_INLINE_COMMENT = re.compile(r"\s+#.*")


class Binding(NamedTuple):
    """``text[start:end]`` is the binding as written; the spans of a file's bindings tile it."""

    key: str | None
    value: str | None
    start: int
    end: int
    error: bool


class _NoMatch(Exception):
    pass


def _match(pattern: re.Pattern[str], text: str, at: int) -> re.Match[str]:
    found = pattern.match(text, at)
    if found is None:
        raise _NoMatch
    return found


def _decode(match: re.Match[str]) -> str:
    return codecs.decode(match.group(0), "unicode-escape")


def _value(text: str, at: int) -> tuple[str, int]:
    char = text[at : at + 1]
    if char == "'":
        found = _match(_SINGLE_QUOTED_VALUE, text, at)
        return _SINGLE_QUOTE_ESCAPES.sub(_decode, found.group(1)), found.end()
    if char == '"':
        found = _match(_DOUBLE_QUOTED_VALUE, text, at)
        return _DOUBLE_QUOTE_ESCAPES.sub(_decode, found.group(1)), found.end()
    if char in ("", "\n", "\r"):
        return "", at
    found = _match(_UNQUOTED_VALUE, text, at)
    return _INLINE_COMMENT.sub("", found.group(1)).rstrip(), found.end()


def bindings(text: str) -> Iterator[Binding]:
    """Each binding, comment or blank run, and unparseable line of ``text``, in order."""
    # A byte-order mark is not part of the first key.
    at, size = (1 if text.startswith("\ufeff") else 0), len(text)
    while at < size:
        start = at
        at = _MULTILINE_WHITESPACE.match(text, at).end()  # type: ignore[union-attr]
        if at >= size:
            yield Binding(None, None, start, at, False)
            return
        try:
            at = _EXPORT.match(text, at).end()  # type: ignore[union-attr]
            key: str | None = None
            char = text[at : at + 1]
            if char != "#":
                found = _match(_SINGLE_QUOTED_KEY if char == "'" else _UNQUOTED_KEY, text, at)
                key, at = found.group(1), found.end()
            at = _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]
            value: str | None = None
            if text[at : at + 1] == "=":
                equal_sign = _EQUAL_SIGN.match(text, at).end()  # type: ignore[union-attr]
                if equal_sign - at > 1 and text[equal_sign : equal_sign + 1] == "#":
                    value, at = "", equal_sign  # `KEY= # comment`: empty, the rest is a comment
                else:
                    value, at = _value(text, equal_sign)
            at = _COMMENT.match(text, at).end()  # type: ignore[union-attr]
            at = _match(_END_OF_LINE, text, at).end()
            yield Binding(key, value, start, at, False)
        except _NoMatch:
            at = _REST_OF_LINE.match(text, at).end()  # type: ignore[union-attr]
            yield Binding(None, None, start, at, True)

"""``{{ … }}`` has one reader (sources/template.expressions) for every dialect that writes it."""

from __future__ import annotations

import pytest

from yamlsecretlint.sources.template import expressions


def _bodies(text: str) -> list[str]:
    return [text[e.body_start : e.body_end] for e in expressions(text)]


@pytest.mark.parametrize(
    ("text", "bodies"),
    [
        ("a: {{ x }} and {{ y }}", [" x ", " y "]),
        ("{{- aws_secret_var('a') -}}", [" aws_secret_var('a') "]),
        ("{{ a {{ b }}", [" b "]),  # innermost, as Jinja's lexer would fail on the outer one
        ("{{resolve:ssm:/a}}", ["resolve:ssm:/a"]),
        ("{{-}}", [""]),
        ("a }} {{ b", []),
        ("{{ unclosed", []),
    ],
)
def test_bodies(text: str, bodies: list[str]) -> None:
    assert _bodies(text) == bodies


def test_spans_cover_the_braces() -> None:
    text = "k: {{ x }}!"
    (expression,) = expressions(text)
    assert text[expression.start : expression.end] == "{{ x }}"


def test_many_unclosed_openers_are_read_once() -> None:
    # A regex `{{.*?}}` rescans the rest from each unclosed opener; this reads each once.
    text = "{{ " * 50_000 + "}}"
    (expression,) = expressions(text)
    assert expression.end == len(text)
    assert expression.start == len(text) - 5

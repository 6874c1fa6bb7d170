"""Sources: a file's text as a stream of scalars, with the errors met on the way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from yamlsecretlint.model import FileKind, Interest, ParseError, Scalar
from yamlsecretlint.sources.template import Template


class Source(Protocol):
    text: str
    errors: list[ParseError]
    templates: list[Template]

    def scalars(self, interest: Interest | None = None) -> Iterator[Scalar]:
        """Scalars in file order; a source may leave out those ``interest`` does not name."""
        ...


def open_source(kind: FileKind, text: str) -> Source:
    if kind == "dotenv":
        from yamlsecretlint.sources.dotenv import DotenvSource

        return DotenvSource(text)
    from yamlsecretlint.sources.yaml import YamlSource

    return YamlSource(text)

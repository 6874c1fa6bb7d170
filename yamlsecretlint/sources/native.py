"""The optional C walker (``sources/_walker.c``) and what it needs from Python.

Built by ``pip install`` where libyaml's headers and a C compiler are found,
as PyYAML builds its own; where it is not built, or ``YAMLSECRETLINT_WALKER``
is ``python``, the YAML source walks with its Python reference and the results
are the same, only slower. The C loop hands everything rare to the helpers
given here, which are the ones the reference calls, and raises PyYAML's own
exceptions, built here as PyYAML's CParser builds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any, Protocol

import yaml

from yamlsecretlint.model import Interest, Scalar
from yamlsecretlint.sources import compiled
from yamlsecretlint.sources.frames import tag_name
from yamlsecretlint.sources.keypaths import key_segment
from yamlsecretlint.sources.marks import has_word

#: The name libyaml's marks carry for a str source, as in PyYAML's CParser.
_STREAM = "<unicode string>"
# libyaml's yaml_error_type_t
_READER_ERROR, _SCANNER_ERROR = 2, 3


class Walk(Protocol):
    doc: int
    last_end: int
    parsed_to: int

    def __iter__(self) -> Iterator[Scalar]: ...


def _mark(at: tuple[int, int, int] | None) -> yaml.Mark | None:
    # No buffer, no pointer: as CParser makes its marks (so a message quotes no line of the file).
    return None if at is None else yaml.Mark(_STREAM, at[0], at[1], at[2], None, None)  # type: ignore[arg-type]


def parser_error(
    kind: int,
    problem: str | None,
    offset: int,
    value: int,
    context: str | None,
    context_mark: tuple[int, int, int] | None,
    problem_mark: tuple[int, int, int] | None,
) -> yaml.YAMLError:
    if kind == _READER_ERROR:
        return yaml.reader.ReaderError(_STREAM, offset, value, "?", problem)
    error = yaml.scanner.ScannerError if kind == _SCANNER_ERROR else yaml.parser.ParserError
    return error(context, _mark(context_mark), problem, _mark(problem_mark))


def alias_error(anchor: str, index: int, line: int, column: int) -> yaml.YAMLError:
    return yaml.composer.ComposerError(None, None, f"found undefined alias {anchor!r}", _mark((index, line, column)))


def _load() -> ModuleType | None:
    module = compiled.load("_walker")
    if module is not None:
        module.configure(Scalar, key_segment, tag_name, has_word, parser_error, alias_error)
    return module


#: The compiled module, or None: the YAML source then walks in Python.
WALKER: ModuleType | None = _load()


def walker(
    text: str,
    restore: Callable[[str, int, int], str] | None,
    gate: Interest,
    name_cache: dict[str, bool] | None,
    marks: list[int],
    bits: list[int] | None,
    hashes: list[int],
    inside: set[int],
    state: tuple[int, int, int],
) -> Walk:
    """The C walk over ``text``, starting from the source's (doc, last_end, parsed_to)."""
    if WALKER is None:  # pragma: no cover - callers check first
        raise RuntimeError("the C walker is not built")
    doc, last_end, parsed_to = state
    walk: Any = WALKER.Walker(
        text,
        restore,
        gate.everything,
        frozenset(gate.lengths),
        frozenset(gate.root_keys),
        tuple(gate.words),
        name_cache,
        marks,
        bits or [],
        -1 if bits is None else 0,
        hashes,
        inside,
        doc,
        last_end,
        parsed_to,
        ~gate.weak,
        gate.confirm,
    )
    return walk  # type: ignore[no-any-return]

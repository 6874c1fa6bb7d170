"""What ``migrate`` would do: for each plaintext finding, the secret to create and the text that replaces it.

A move is a whole scalar: the value a plaintext finding lies in (a password, a
DSN, a token) becomes one secret, and the scalar's written text — quotes
included — becomes the dialect's reference to it. Supported here:

- Mage (``io_config.yaml`` and files that call its functions):
  ``"{{ aws_secret_var('NAME') }}"``, read by Mage's renderer before YAML parsing.
- CloudFormation, in resource properties only (where CloudFormation resolves
  ``secretsmanager`` references, YSL208): ``'{{resolve:secretsmanager:NAME}}'``.

Every other finding is left where it is, with the reason and the dialect's own
fix hint (a parameter's ``Default``, a compose file, a Kubernetes Secret, a plain
application's YAML). A plan holds names, places and lengths, never a value; the
values are read again by :func:`values`, only for ``--apply``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from yamlsecretlint import redact, references
from yamlsecretlint.model import FileRef, Finding, Scalar
from yamlsecretlint.references.arns import name_problems
from yamlsecretlint.sources import open_source
from yamlsecretlint.sources.keypaths import last_key, segments
from yamlsecretlint.sources.positions import LineTable
from yamlsecretlint.sources.text import Unreadable, read_text

#: The naming template's default: the file's stem, then the key path (Secrets Manager's characters).
TEMPLATE = "{prefix}{stem}/{key}"
_UNSAFE = re.compile(r"[^A-Za-z0-9/_+=.@-]+")
_SUPPORTED = frozenset({"mage", "cloudformation"})


class Move(NamedTuple):
    path: str
    line: int
    key: str
    dialect: str
    #: The scalar's written region in the file's decoded text (quotes included), replaced whole.
    start: int
    end: int
    secret_name: str
    replacement: str
    #: Of the value, never the value.
    length: int


class Left(NamedTuple):
    path: str
    line: int
    rule: str
    why: str


class Plan(NamedTuple):
    moves: list[Move]
    left: list[Left]


def build(findings: Iterable[Finding], files: Mapping[str, FileRef], *, prefix: str = "") -> Plan:
    """The plan for the plaintext findings of ``files`` (display path -> the file linted)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.category == "plaintext" and not finding.suppressed and finding.path in files:
            by_file.setdefault(finding.path, []).append(finding)
    moves: list[Move] = []
    left: list[Left] = []
    names: dict[str, int] = {}
    for display, found in sorted(by_file.items()):
        ref = files[display]
        try:
            text = read_text(ref.path, 1 << 30)
        except Unreadable as exc:
            left.extend(Left(display, f.span.line, f.rule, f"cannot read it again: {exc}") for f in found)
            continue
        dialect = references.dialect_of(display, ref.kind, text)
        if dialect not in _SUPPORTED:
            hint = references.fix_hint(dialect, last_key(found[0].key) or "value")
            why = f"the {dialect} dialect has no Secrets Manager reference that migrate writes yet; {hint}"
            left.extend(Left(display, f.span.line, f.rule, why) for f in found)
            continue
        placed = scalars(text)
        table = LineTable(text)
        taken: set[int] = set()
        for finding in sorted(found, key=Finding.sort_key):
            offset = table.line_start(finding.span.line) + finding.span.column - 1
            scalar = next((s for s in placed if s.start <= offset < s.end), None)
            why = _unmovable(scalar, dialect)
            if why or scalar is None:
                left.append(Left(display, finding.span.line, finding.rule, why or "not inside a value"))
                continue
            if scalar.start in taken:
                continue  # another finding of the same value
            taken.add(scalar.start)
            name = _name(prefix, ref.path, scalar.key, names)
            replacement = (
                f"\"{{{{ aws_secret_var('{name}') }}}}\""
                if dialect == "mage"
                else f"'{{{{resolve:secretsmanager:{name}}}}}'"
            )
            moves.append(
                Move(
                    display,
                    finding.span.line,
                    scalar.key,
                    dialect,
                    scalar.start,
                    scalar.end,
                    name,
                    replacement,
                    len(scalar.value),
                )
            )
    return Plan(moves, left)


def scalars(text: str) -> list[Scalar]:
    return [s for s in open_source("yaml", text).scalars() if s.role not in ("key", "comment")]


def _unmovable(scalar: Scalar | None, dialect: str) -> str:
    if scalar is None:
        return "not inside a value (a comment, or text YAML does not read): delete it, and rotate it"
    if "\n" in scalar.value:
        return "a value of several lines (a key or a certificate): store it by hand, it is kept as written"
    if dialect == "cloudformation":
        parts = segments(scalar.key)
        if len(parts) < 4 or parts[0] != "Resources" or parts[2] != "Properties":
            return (
                "outside resource properties, where CloudFormation does not resolve secretsmanager references "
                "(a parameter's Default: make it a NoEcho parameter without one)"
            )
    return ""


def _name(prefix: str, file: Path, key: str, taken: dict[str, int]) -> str:
    stem = file.name.split(".", 1)[0] or "file"
    # CloudFormation's structure words say nothing about the secret: Db/MasterUserPassword, not Resources/…
    parts = [p for p in segments(key) if not p.isdigit() and p not in ("Resources", "Properties")]
    last = "/".join(parts) or "value"
    name = _UNSAFE.sub("-", TEMPLATE.format(prefix=prefix, stem=stem, key=last)).strip("/-")[:500]
    count = taken.get(name, 0)
    taken[name] = count + 1
    name = f"{name}-{count + 1}" if count else name
    if name_problems(name):
        raise ValueError(f"the naming template makes an invalid secret name: {redact.name(name)}")
    return name


def values(plan: Plan, files: Mapping[str, FileRef]) -> dict[tuple[str, int], str]:
    """The value of each move, read again from its file: for --apply only, dropped when it is done."""
    found: dict[tuple[str, int], str] = {}
    for display in {move.path for move in plan.moves}:
        text = read_text(files[display].path, 1 << 30)
        by_start = {s.start: s for s in scalars(text)}
        for move in plan.moves:
            if move.path == display and move.start in by_start:
                found[(display, move.start)] = by_start[move.start].value
    return found

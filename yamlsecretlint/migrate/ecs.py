"""migrate for ECS containers: a plaintext ``environment`` entry becomes a ``secrets`` entry.

``{name: X, value: V}`` under a container's ``environment`` (a task definition
in YAML, or CloudFormation's ``ContainerDefinitions`` with ``Environment``,
``Name``, ``Value``) moves to the container's ``secrets`` as ``{name: X,
valueFrom: ARN}``: ECS injects it when the task starts and the value never
stands in the task definition (a ``{{resolve:…}}`` in ``Environment`` would be
resolved into it — visible in the console). ``valueFrom`` is the secret's full
ARN, known once it exists: the plan shows ``<ARN of NAME>`` and ``--apply``
writes the real one. Only the plain block form is rewritten — each entry two
lines, ``- name:`` then ``value:`` (either order); anything else is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from yamlsecretlint.model import Finding, Scalar

#: Written where the ARN goes until the secret exists (apply fills it in).
ARN_MARK = "\x00arn:"
_ENTRY = re.compile(
    r"^(?P<container>(?:.*\.)?(?P<defs>containerDefinitions|ContainerDefinitions)\[\d+\])"
    r"\.(?P<env>environment|Environment)\[(?P<index>\d+)\]\.(?P<field>value|Value)$"
)


def arn_mark(name: str) -> str:
    return f"{ARN_MARK}{name}\x00"


class Entry(NamedTuple):
    """One environment entry to move: its lines, its value, and where its container's secrets go."""

    start: int
    end: int
    value: Scalar
    name: str
    #: The container's key path, and its name (for the secret's name).
    container_key: str
    container: str
    #: Key spelling of the file: ``name``/``valueFrom``/``secrets`` or CloudFormation's capitalised ones.
    upper: bool


def claim(text: str, scalars: list[Scalar], located: Iterable[tuple[Finding, int]]) -> dict[Finding, Entry]:
    """The environment entries of the findings (each at its offset) that can move: two block lines each."""
    by_key = {s.key: s for s in scalars if s.role == "value"}
    entries = {}
    for finding, offset in located:
        scalar = next((s for s in scalars if s.start <= offset < s.end), None)
        match = _ENTRY.match(scalar.key) if scalar is not None and scalar.role == "value" else None
        if scalar is None or match is None:
            continue
        upper = match.group("field") == "Value"
        base = scalar.key[: -len(match.group("field"))]
        name = by_key.get(base + ("Name" if upper else "name"))
        if name is None:
            continue
        first, second = sorted((name, scalar), key=lambda s: s.start)
        start = text.rfind("\n", 0, first.start) + 1
        end = text.find("\n", second.end)
        lines = text[start : len(text) if end < 0 else end].split("\n")
        dash = re.match(r"^( *)- ", lines[0])
        if len(lines) != 2 or dash is None or not re.match(rf"^ {{{len(dash.group(1)) + 2}}}\S", lines[1]):
            continue
        container = by_key.get(match.group("container") + (".Name" if upper else ".name"))
        stop = len(text) if end < 0 else end + 1
        entries[finding] = Entry(
            start, stop, scalar, name.value, match.group("container"), container.value if container else "", upper
        )
    return entries


def secrets_block(
    text: str, scalars: list[Scalar], container_key: str, items: list[tuple[str, str]], upper: bool
) -> tuple[int, str]:
    """Where and what to insert so that the container's secrets hold ``items`` (name, secret name)."""
    secrets_key = f"{container_key}.{'Secrets' if upper else 'secrets'}"
    env_key = f"{container_key}.{'Environment' if upper else 'environment'}"
    name_word, from_word = ("Name", "ValueFrom") if upper else ("name", "valueFrom")
    existing = [s for s in scalars if s.key.startswith(secrets_key + "[")]
    env_items = [s for s in scalars if s.key.startswith(env_key + "[")]
    anchor = min(existing or env_items, key=lambda s: s.start)
    line_start = text.rfind("\n", 0, anchor.start) + 1
    dash = text[line_start:].index("-")
    body = "".join(f"{' ' * dash}- {name_word}: {n}\n{' ' * dash}  {from_word}: {arn_mark(s)}\n" for n, s in items)
    if existing:
        last = max(existing, key=lambda s: s.end)
        end = text.find("\n", last.end)
        return (len(text) if end < 0 else end + 1), body
    env_line = next(s for s in scalars if s.role == "key" and s.key == env_key)
    key_start = text.rfind("\n", 0, env_line.start) + 1
    indent = env_line.start - key_start
    return key_start, f"{' ' * indent}{'Secrets' if upper else 'secrets'}:\n{body}"

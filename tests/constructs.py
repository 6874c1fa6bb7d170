"""Inputs that once made a pass over a file quadratic, grown to any size.

Shared by tests/test_linear.py (which requires linear growth) and
benchmarks/growth.py (which prints it).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from typing import NamedTuple

from yamlsecretlint.model import FileKind


class Construct(NamedTuple):
    name: str
    file: str
    kind: FileKind
    #: The text of about ``size`` characters.
    make: Callable[[int], str]


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


def _findings(size: int) -> str:
    rng = random.Random(1)
    lines: list[str] = []
    total = 0
    while total < size:
        value = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(14))
        lines.append(f"password_{len(lines)}: {value}Q7\n")
        total += len(lines[-1])
    return "".join(lines)


CONSTRUCTS = (
    Construct("unclosed {{", "a.yaml", "yaml", lambda n: _repeat("{{ a ", n, "k: ")),
    Construct("unclosed {%", "a.yaml", "yaml", lambda n: _repeat("{% a ", n, "k: ")),
    Construct("unclosed {#", "a.yaml", "yaml", lambda n: _repeat("{# a ", n, "k: ")),
    Construct("unclosed ${{", "a.yml", "yaml", lambda n: _repeat("${{ a ", n, "on: push\nk: ")),
    Construct("unclosed {{ lines", "a.yaml", "yaml", lambda n: _repeat("k: {{ a\n", n)),
    Construct("# a: and spaces", "a.yaml", "yaml", lambda n: _repeat(" ", n, "# a:", "x\n")),
    Construct("commented keys", "a.yaml", "yaml", lambda n: _repeat("# a:    \n", n)),
    Construct(
        "BEGIN without END",
        "a.yaml",
        "yaml",
        lambda n: _repeat("  -----BEGIN PRIVATE KEY-----\n", n, "key: |\n"),
    ),
    Construct(
        "${a in compose",
        "docker-compose.yml",
        "yaml",
        lambda n: _repeat("${a ", n, "services:\n  x:\n    image: ", "}\n"),
    ),
    Construct("${a in dotenv", ".env", "dotenv", lambda n: _repeat("${a ", n, "A=", "}\n")),
    Construct("broken line, trailing spaces", "a.yaml", "yaml", lambda n: _repeat(" ", n, "a: [b\n  c: d", "\n")),
    Construct("broken lines", "a.yaml", "yaml", lambda n: _repeat("a: [b   \n", n)),
    Construct("many findings", "a.yaml", "yaml", _findings),
    Construct("long line of keys", "a.yaml", "yaml", lambda n: _repeat("password=x; ", n, "k: ", "\n")),
    Construct("deep flow", "a.yaml", "yaml", lambda n: "k: " + "[" * (n // 2) + "]" * (n // 2) + "\n"),
    Construct("mage calls", "io_config.yaml", "yaml", lambda n: _repeat("{{ env_var('a' ", n, 'k: "', '"\n')),
    Construct("spice refs", "spicepod.yaml", "yaml", lambda n: _repeat("${ a:b ", n, "kind: Spicepod\nk: ", "\n")),
    Construct("password: {{ a", "a.yaml", "yaml", lambda n: _repeat("{{ a ", n, "password: x")),
    Construct("password: ${{ a", "a.yaml", "yaml", lambda n: _repeat("${{ a ", n, "password: x")),
    Construct("password: ${a", "a.yaml", "yaml", lambda n: _repeat("${a ", n, "password: x")),
    Construct("password: $(a", "a.yaml", "yaml", lambda n: _repeat("$(a #{a <% a ((a ", n, "password: x")),
    Construct("# password: spaces", "a.yaml", "yaml", lambda n: _repeat(" ", n, "a: [\n# password:", "x #\n")),
    Construct("line, spaces before #", "a.yaml", "yaml", lambda n: _repeat(" ", n, "a: [\npassword: x", "y\n")),
    Construct("arn soup", "a.yaml", "yaml", lambda n: _repeat("arn:aws:secretsmanager:", n, "k: ", "\n")),
)

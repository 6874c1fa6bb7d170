"""migrate for compose files: a plaintext environment value becomes ``${VAR}``, the value moves to ``.env``.

Compose interpolates ``${VAR}`` from the ``.env`` beside the file (or the
shell): the value leaves the tracked file for one git ignores. ``KEY: value``
becomes ``KEY: ${KEY}`` and ``- KEY=value`` becomes ``- KEY=${KEY}``; ``.env``
gets ``KEY='value'`` (single quotes: compose reads the text as written, no
interpolation), ``.env.example`` gets ``KEY=`` for the next person, and
``.gitignore`` beside them gets ``.env`` unless git ignores it already. A value
that holds a single quote or a line break is left (no quoting keeps it whole).
Nothing goes to AWS: compose does not read Secrets Manager.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from yamlsecretlint.model import Scalar

_MAPPING = re.compile(r"^services\.[^.]+\.environment\.(?P<key>[A-Za-z_][A-Za-z0-9_]*)$")
_LIST = re.compile(r"^services\.[^.]+\.environment\[\d+\]$")
_ITEM = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)=")
_LINE = re.compile(r"^(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>.*)$")


class Claim(NamedTuple):
    var: str
    replacement: str
    #: What the value is, once the ``KEY=`` of a list item is cut.
    prefix: str


def claim(scalar: Scalar) -> Claim | str:
    """How an environment value moves, or why it cannot."""
    mapping = _MAPPING.match(scalar.key)
    item = _ITEM.match(scalar.value) if _LIST.match(scalar.key) else None
    if mapping is None and item is None:
        return "not under a service's environment: move it to the environment, or by hand"
    value = scalar.value[item.end() :] if item else scalar.value
    if "'" in value or "\n" in value or not value:
        return "its value holds a quote or a line break, which .env cannot keep as written: move it by hand"
    var = mapping.group("key") if mapping else item.group("key")  # type: ignore[union-attr]
    return Claim(var, f"{var}=${{{var}}}" if item else f"${{{var}}}", f"{var}=" if item else "")


def files_beside(compose: Path) -> tuple[Path, Path, Path]:
    folder = compose.parent
    return folder / ".env", folder / ".env.example", folder / ".gitignore"


def held(env_file: Path) -> dict[str, str]:
    """The variables a .env already sets (quotes taken off): to add no second, different value."""
    try:
        lines = env_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    found = {}
    for line in lines:
        match = _LINE.match(line.strip())
        if match:
            value = match.group("value").strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            found[match.group("key")] = value
    return found


def additions(env_file: Path, values: Mapping[str, str]) -> tuple[str, str, list[str]]:
    """The .env text after adding ``values``, the .env.example lines to add, and the variables refused."""
    present = held(env_file)
    try:
        before = env_file.read_text(encoding="utf-8")
    except OSError:
        before = ""
    text = before if not before or before.endswith("\n") else before + "\n"
    refused = []
    for var, value in values.items():
        if var in present:
            if present[var] != value:
                refused.append(var)
            continue
        text += f"{var}='{value}'\n"
    example = [f"{var}=\n" for var in values]
    return text, "".join(example), refused


def write(env_file: Path, text: str, example_lines: str) -> None:
    """The .env (only its owner may read a new one), the example, and the ignore line."""
    from yamlsecretlint.fixes import replace_file

    if not env_file.exists():
        descriptor = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(descriptor)
    replace_file(env_file, text.encode("utf-8"))
    example, ignore = env_file.with_name(".env.example"), env_file.with_name(".gitignore")
    have = example.read_text(encoding="utf-8") if example.exists() else ""
    missing = [line for line in example_lines.splitlines(keepends=True) if line.split("=")[0] + "=" not in have]
    if missing:
        with example.open("a", encoding="utf-8") as out:
            out.write(("" if not have or have.endswith("\n") else "\n") + "".join(missing))
    if not _ignored(env_file):
        have = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
        with ignore.open("a", encoding="utf-8") as out:
            out.write(("" if not have or have.endswith("\n") else "\n") + ".env\n")


def _ignored(path: Path) -> bool:
    try:
        # git from PATH, fixed arguments: does the user's repository ignore this file already?
        done = subprocess.run(  # noqa: S603
            ["git", "check-ignore", "-q", "--", path.name],  # noqa: S607
            cwd=path.parent,
            capture_output=True,
            check=False,
        )
    except OSError:
        return False
    return done.returncode == 0

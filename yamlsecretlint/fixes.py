"""``--fix`` and ``--diff``: the certain fixes of findings, written back byte-exact.

A fix replaces one span of a file's decoded text (checked, when the finding was
made, to hold exactly the text it replaces). The file is read again, decoded as
the linter decoded it (its BOM and encoding), the spans are replaced from the
last to the first, and the text is encoded back the same way: every byte
outside the spans — comments, quoting, indentation, line endings, the BOM — is
the file's own. A file that changed since it was linted, or whose spans
overlap, is left alone and said so. The write is atomic (a temporary file in
the same folder, renamed over the original, its mode kept).
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from yamlsecretlint import redact
from yamlsecretlint.model import Finding
from yamlsecretlint.sources.text import Unreadable, decode, encoding_of


class Fixed(NamedTuple):
    #: Per file, the findings whose fix was applied (or, with --diff, would be).
    applied: dict[str, list[Finding]]
    #: Unified diffs (with --diff), one per changed file.
    diffs: list[str]
    #: Files left alone, and why.
    refused: list[tuple[str, str]]


def apply(findings: Iterable[Finding], paths: dict[str, Path], *, write: bool) -> Fixed:
    """Applies (``write``) or only diffs the fixes of ``findings``; ``paths`` maps display paths to files.

    ``findings`` are all of the run's, suppressed ones included: a diff line is shown with the
    text of every plaintext finding on it as a preview.
    """
    by_file: dict[str, list[Finding]] = {}
    plaintext: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.category == "plaintext":
            plaintext.setdefault(finding.path, []).append(finding)
        if finding.fix is not None and not finding.suppressed and finding.path in paths:
            by_file.setdefault(finding.path, []).append(finding)
    applied: dict[str, list[Finding]] = {}
    diffs: list[str] = []
    refused: list[tuple[str, str]] = []
    for display, found in sorted(by_file.items()):
        path = paths[display]
        try:
            before_bytes = path.read_bytes()
            before = decode(before_bytes)
        except (OSError, Unreadable) as exc:
            refused.append((display, f"cannot read it again: {exc}"))
            continue
        edits = sorted({finding.fix for finding in found if finding.fix is not None}, key=lambda f: f.start)
        if any(a.end > b.start for a, b in pairwise(edits)):
            refused.append((display, "its fixes overlap"))
            continue
        if any(before[edit.start : edit.end] != edit.old for edit in edits):
            refused.append((display, "it changed since it was linted"))
            continue
        after = before
        for edit in reversed(edits):
            after = after[: edit.start] + edit.text + after[edit.end :]
        bom, codec = encoding_of(before_bytes)
        after_bytes = bom + after.encode(codec)
        if write:
            replace_file(path, after_bytes)
        else:
            diffs.append(diff(display, before, after, _secrets(before, plaintext.get(display, []))))
        applied[display] = found
    return Fixed(applied, diffs, refused)


def _secrets(text: str, found: list[Finding]) -> redact.Scrubber:
    """The texts the file's plaintext findings matched, read back from their spans."""
    from yamlsecretlint.sources.positions import LineTable

    table = LineTable(text)
    texts = []
    for finding in found:
        span = finding.span
        start = table.line_start(span.line) + span.column - 1
        end = table.line_start(span.end_line) + span.end_column - 1
        texts.append(text[start:end])
    return redact.Scrubber(texts)


def replace_file(path: Path, data: bytes) -> None:
    """``data`` written over ``path`` atomically, its mode kept."""
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".fix")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def diff(display: str, before: str, after: str, scrub: redact.Scrubber) -> str:
    """A unified diff without context lines (only the changed lines are shown, each redacted)."""
    shown = redact.escape(display)
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), f"a/{shown}", f"b/{shown}", n=0, lineterm="")
    out = []
    for line in lines:
        if line.startswith(("---", "+++", "@@")):
            out.append(line)
        else:
            out.append(line[0] + redact.line(line[1:], scrub))
    return "".join(f"{line}\n" for line in out)

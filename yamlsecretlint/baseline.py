"""Baselines: accept today's findings, report only new ones.

An entry's identity rests on the rule, the path (relative to the baseline
file, so the baseline works from any directory), the key path and the 10-bit
tag of the value (fingerprint.py says why so few) — never the line number: inserting or deleting lines
keeps every finding matched, while a different secret at the same place is
new. Entries are a multiset: two identical findings need two entries.

The file is JSON, sorted and stable for review in a diff; it holds no value
and no unsalted hash of one. Nothing rewrites it but ``--write-baseline`` and
an explicit ``--prune-baseline``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from yamlsecretlint import __version__
from yamlsecretlint.errors import UsageError
from yamlsecretlint.fingerprint import identity
from yamlsecretlint.model import Finding

#: Version 2: fingerprints carry 10 bits of the value (version 1 carried 32, enough to confirm a guess).
VERSION = 2
#: A baseline of 25,000 findings is about 4 MB.
MAX_SIZE = 64 * 1024 * 1024


class Entry(NamedTuple):
    path: str
    key: str
    rule: str
    identity: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "key": self.key, "rule": self.rule, "identity": self.identity}


def _relative(path: str, baseline: Path) -> str:
    return os.path.relpath(os.path.abspath(path), baseline.resolve().parent).replace(os.sep, "/")


def entry(finding: Finding, baseline: Path) -> Entry:
    path = _relative(finding.path, baseline)
    return Entry(path, finding.key, finding.rule, identity(finding.rule, path, finding.key, finding.tag))


def write(baseline: Path, findings: Iterable[Finding], linted: Iterable[str] | None = None) -> int:
    """Record the findings; entries of files outside this run (``linted``: its files) are kept, not lost."""
    entries = [entry(f, baseline) for f in findings if not f.suppressed]
    if linted is not None and baseline.is_file():
        covered = {_relative(path, baseline) for path in linted}
        with contextlib.suppress(UsageError):  # not a baseline we can read: it is replaced, as asked
            entries += [e for e in load(baseline) if e.path not in covered]
    _dump(baseline, sorted(entries))
    return len(entries)


def _dump(baseline: Path, entries: Sequence[Entry]) -> None:
    document = {
        "version": VERSION,
        "generated-by": f"yamlsecretlint {__version__}",
        "findings": [e.as_dict() for e in sorted(entries)],
    }
    try:
        baseline.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--write-baseline {baseline}: {exc.strerror or exc}") from None


def load(baseline: Path) -> list[Entry]:
    """The entries of a baseline file, or UsageError in one line: a regular file under
    MAX_SIZE (a FIFO or /dev/zero never blocks or fills memory), JSON, and valid
    against schemas/baseline.schema.json (so pruning writes back only what it read)."""
    from yamlsecretlint.sources.text import Unreadable, read_text

    def fail(reason: object) -> UsageError:
        return UsageError(f"--baseline {baseline}: not a usable yamlsecretlint baseline ({reason})")

    try:
        text = read_text(baseline, MAX_SIZE)
    except Unreadable as exc:
        raise fail(str(exc).replace("--max-file-size", f"the baseline limit of {MAX_SIZE} bytes")) from None
    try:
        document: Any = json.loads(text)
    except ValueError as exc:
        raise fail(f"not JSON: {exc}") from None
    except RecursionError:
        raise fail("nested too deeply") from None
    if isinstance(document, dict) and document.get("version") == 1:
        raise fail("version 1, whose fingerprints can confirm a guessed password; write it again with --write-baseline")
    problem = _schema_problem(document)
    if problem:
        raise fail(problem)
    return [Entry(e["path"], e["key"], e["rule"], e["identity"]) for e in document["findings"]]


def _schema_problem(document: Any) -> str:
    import jsonschema

    schema = json.loads((Path(__file__).resolve().parent / "schemas" / "baseline.schema.json").read_text("utf-8"))
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(document))
    if error is None:
        return ""
    where = "/".join(str(p) for p in error.absolute_path) or "top level"
    return f"{where}: {error.message[:200]}"


def apply(
    findings: list[Finding], entries: Sequence[Entry], baseline: Path, linted: Iterable[str] | None = None
) -> tuple[list[Finding], list[Entry]]:
    """Findings with those in the baseline marked, and the entries nothing matched any more.

    An entry is stale only if its file was linted in this run (``linted``): pre-commit passes
    a few files, and the entries of the others are not evidence of anything.
    """
    covered = None if linted is None else {_relative(path, baseline) for path in linted}
    remaining = Counter(e.identity for e in entries)
    marked = []
    for finding in findings:
        if not finding.suppressed:
            key = entry(finding, baseline).identity
            if remaining[key] > 0:
                remaining[key] -= 1
                finding = finding._replace(suppressed="baseline")
        marked.append(finding)
    stale: list[Entry] = []
    for e in entries:
        if covered is not None and e.path not in covered:
            continue
        if remaining[e.identity] > 0:
            remaining[e.identity] -= 1
            stale.append(e)
    return marked, stale


def prune(baseline: Path, entries: Sequence[Entry], stale: Sequence[Entry]) -> None:
    left = Counter(stale)
    kept = []
    for e in entries:
        if left[e] > 0:
            left[e] -= 1
        else:
            kept.append(e)
    _dump(baseline, kept)

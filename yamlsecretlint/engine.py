"""One file in, its findings out; many files, in order, over processes if asked."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from yamlsecretlint import catalog, checks
from yamlsecretlint.checks.base import Context
from yamlsecretlint.checks.dialect import dialect_of
from yamlsecretlint.model import FileRef, FileResult, Finding, Hit, LocatedReference, Span
from yamlsecretlint.sources import open_source
from yamlsecretlint.sources.positions import LineTable, locate
from yamlsecretlint.sources.text import Unreadable, read_text

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
#: Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 50


class Settings(NamedTuple):
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def enabled(self, rule: str) -> bool:
        if self.select and not rule.startswith(self.select):
            return False
        return not (self.ignore and rule.startswith(self.ignore))


def new_finding(
    rule: catalog.Rule, path: str, span: Span, key: str, message: str, value: str, severity: str = ""
) -> Finding:
    """A finding of ``rule``; ``value`` feeds only the fingerprint's keyed hash."""
    from yamlsecretlint.fingerprint import fingerprint  # hashlib only once there is a finding

    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=severity or rule.severity,  # type: ignore[arg-type]
        path=path,
        span=span,
        key=key,
        message=message,
        fingerprint=fingerprint(rule.id, path, key, value),
    )


class Linter:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rules = catalog.load()
        self.checks = checks.build([r for r in self.rules.values() if settings.enabled(r.id)])

    def _finding(
        self, rule_id: str, ref: FileRef, span: Span, key: str, message: str, value: str, severity: str = ""
    ) -> Finding:
        return new_finding(self.rules[rule_id], ref.display, span, key, message, value, severity)

    def unreadable(self, display: str, reason: str) -> list[Finding]:
        if not self.settings.enabled("YSL903"):
            return []
        message = f"{self.rules['YSL903'].message}: {reason}"
        ref = FileRef(Path(display), display, "yaml")
        return [self._finding("YSL903", ref, Span(1, 1, 1, 1), "", message, reason)]

    def lint(self, ref: FileRef) -> FileResult:
        try:
            text = read_text(ref.path, self.settings.max_file_size)
        except Unreadable as exc:
            return FileResult(self.unreadable(ref.display, str(exc)), [])
        source = open_source(ref.kind, text)
        context = Context(ref.display, ref.kind, dialect_of(ref.display, ref.kind, text))
        for check in self.checks:
            check.begin(context)
        hits = [hit for scalar in source.scalars() for check in self.checks for hit in check.scalar(scalar)]
        for check in self.checks:
            hits.extend(check.finish())
        hits = checks.resolve_overlaps([h for h in hits if self.settings.enabled(h.rule)])
        found = [f for check in self.checks for f in check.found]
        errors = [e for e in source.errors if self.settings.enabled(e.rule)]
        if not hits and not errors and not found:
            return FileResult([], [])
        table = LineTable(text)
        references = [
            LocatedReference(f.reference, ref.display, locate(text, table, f.scalar, f.start, f.end), f.scalar.key)
            for f in found
        ]
        findings = []
        for error in errors:
            span = table.span(error.offset, min(error.offset + 1, len(text)))
            findings.append(self._finding(error.rule, ref, span, "", error.message, error.message))
        for hit in hits:
            findings.append(self._hit_finding(ref, text, table, hit))
        findings.sort(key=Finding.sort_key)
        return FileResult(findings, references)

    def _hit_finding(self, ref: FileRef, text: str, table: LineTable, hit: Hit) -> Finding:
        span = locate(text, table, hit.scalar, hit.start, hit.end)
        value = hit.scalar.value[hit.start : hit.end]
        return self._finding(hit.rule, ref, span, hit.scalar.key, hit.message, value, hit.severity)


def default_jobs(file_count: int) -> int:
    if file_count <= PARALLEL_THRESHOLD:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_worker: Linter | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = Linter(settings)


def _lint_in_worker(ref: FileRef) -> FileResult:
    if _worker is None:  # pragma: no cover - the pool's initializer always runs first
        raise RuntimeError("worker used before its initializer ran")
    return _worker.lint(ref)


def lint_files(files: Sequence[FileRef], settings: Settings, jobs: int | None = None) -> Iterator[FileResult]:
    """The result of each file, in the order of ``files`` whatever ``jobs`` is."""
    jobs = default_jobs(len(files)) if jobs is None else jobs
    if jobs <= 1 or len(files) < 2:
        linter = Linter(settings)
        for ref in files:
            yield linter.lint(ref)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(files) // (jobs * 8))
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(settings,)) as pool:
        yield from pool.map(_lint_in_worker, files, chunksize=chunk)

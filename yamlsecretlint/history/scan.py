"""Lint what a range of commits (or the index) records: each distinct blob once, as the file it was.

The same pipeline as a tree run — the walk's choice of files (by name and the
configuration's include/exclude), each file's configuration, its dialect, its
inline suppressions — over blobs read from one ``git cat-file --batch``. A
finding is identified as in a tree run (rule, path, key path, value tag: never
the line), so a secret that several commits carry is reported once, with the
first commit that recorded it; ``removed`` when the range's last version of the
file no longer holds it (or the file is gone).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Literal, NamedTuple

from yamlsecretlint import catalog, findings
from yamlsecretlint.engine import Linter, Settings, unreadable
from yamlsecretlint.files import display_path, json_head_is_configuration
from yamlsecretlint.history.git import GITLINK, SYMLINK, BlobReader, Change
from yamlsecretlint.model import FileKind, FileRef, Finding, LocatedReference
from yamlsecretlint.sources.text import Unreadable, decode

#: The first line of a Git LFS pointer: the content lives on the LFS server, not in git.
_LFS = b"version https://git-lfs.github.com/spec/v1"

Choose = Callable[[str, str], "FileKind | Literal['json'] | None"]


class Scanned(NamedTuple):
    findings: list[Finding]
    references: list[LocatedReference]
    #: (display path, why) of entries that are not files: symlinks, submodules.
    skipped: list[tuple[str, str]]
    commits: int
    #: Blobs the range records at linted paths (a blob as often as commits record it), and how
    #: many distinct (blob, path) pairs were linted: each once.
    blobs: int
    linted: int


class Scanner:
    def __init__(
        self,
        top: str,
        cwd: str,
        reader: BlobReader,
        choose: Choose,
        settings_of: Callable[[str], Settings],
        *,
        keep_references: bool = False,
    ) -> None:
        self.top, self.cwd, self.reader, self.choose = top, cwd, reader, choose
        self.settings_of = settings_of
        self.keep_references = keep_references
        self.rules: Mapping[str, catalog.Rule] = catalog.load()
        self._linters: dict[Settings, Linter] = {}

    def scan(self, changes: Iterable[Change]) -> Scanned:
        first: dict[str, Finding] = {}  # fingerprint -> the finding as first recorded
        last: dict[str, set[str]] = {}  # display path -> fingerprints of its latest version (empty: deleted)
        # (blob, display) -> the fingerprints of its findings: linted once; seen again, its findings are
        # already recorded with an earlier commit, and only the file's latest version needs them.
        done: dict[tuple[str, str], frozenset[str]] = {}
        references: list[LocatedReference] = []
        skipped: list[tuple[str, str]] = []
        commits: set[str] = set()
        seen = 0
        for change in changes:
            commits.add(change.commit)
            absolute = os.path.normpath(os.path.join(self.top, change.path))
            display = display_path(absolute, self.cwd)
            if change.status == "D" or not change.blob:
                if display in last:
                    last[display] = set()
                continue
            if change.mode in (SYMLINK, GITLINK):
                what = "a symlink" if change.mode == SYMLINK else "a submodule (scan it in its own repository)"
                skipped.append((display, f"{what}: not a file, not scanned"))
                continue
            kind = self.choose(absolute, change.path)
            if kind is None:
                continue
            seen += 1
            key = (change.blob, display)
            prints = done.get(key)
            if prints is None:
                found, refs = self._lint(change, absolute, display, kind)
                references.extend(refs)
                for finding in found:
                    first.setdefault(finding.fingerprint, finding._replace(commit=change.commit))
                prints = done[key] = frozenset(finding.fingerprint for finding in found)
            last[display] = set(prints)
        reported = [
            finding._replace(removed=finding.fingerprint not in last.get(finding.path, set()))
            if finding.commit
            else finding
            for finding in first.values()
        ]
        return Scanned(reported, references, skipped, len(commits - {""}), seen, len(done))

    def _lint(
        self, change: Change, absolute: str, display: str, kind: FileKind | Literal["json"]
    ) -> tuple[list[Finding], list[LocatedReference]]:
        settings = self.settings_of(os.path.dirname(absolute))
        blob = self.reader.read(change.blob, settings.max_file_size)
        if blob.data is None:
            reason = f"larger than --max-file-size ({blob.size} > {settings.max_file_size} bytes)"
            return [unreadable(self.rules, display, reason)], []
        if blob.data.startswith(_LFS):
            reason = "a Git LFS pointer: the file's content is not in git; lint the checked-out file"
            return [unreadable(self.rules, display, reason)], []
        if kind == "json":
            if not json_head_is_configuration(blob.data):
                return [], []
            kind = "yaml"
        try:
            text = decode(blob.data)
        except Unreadable as exc:
            return [unreadable(self.rules, display, str(exc))], []
        linter = self._linters.get(settings)
        if linter is None:
            linter = self._linters[settings] = Linter(settings)
        result = linter.lint_text(FileRef(Path(absolute), display, kind), text)
        settled = findings.settle(result.findings, {display: result.directives}, settings, self.rules)
        return settled, (result.references if self.keep_references else [])

"""The history run (--since REF, --history) and the index run (--staged): blobs instead of files.

Everything after the blobs are linted is the tree run's: the baseline, the
report, the exit status. What differs is said here: history has no working-tree
ignores (the configuration's ``exclude`` holds), a baseline entry is never
stale for not being seen in a range, and ``--online`` checks the index's
references only (a range's references are its commits', not the deploy's).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from yamlsecretlint import findings
from yamlsecretlint.commands import lint
from yamlsecretlint.config import Config
from yamlsecretlint.console import EXIT_CLEAN, say
from yamlsecretlint.errors import UsageError
from yamlsecretlint.files import Walker
from yamlsecretlint.history.git import BlobReader, Git
from yamlsecretlint.history.scan import Scanner
from yamlsecretlint.model import Finding
from yamlsecretlint.report import Result


def run(args: argparse.Namespace, conf: Config, settings_of: lint.SettingsOf, walker: Walker, cwd: Path) -> int:
    what = f"--since {args.since}" if args.since else ("--history" if args.history else "--staged")
    if args.prune_baseline:
        raise UsageError(f"--prune-baseline goes with a tree run, not {what}: a range does not show every finding")
    if args.online and not args.staged:
        raise UsageError(f"--online checks the references a deploy reads; run it on the tree or --staged, not {what}")
    if args.show_files or args.paths == ["-"]:
        raise UsageError(f"{what} reads git, not files: --show-files and '-' do not apply")
    git = Git(str(cwd))
    paths = _pathspecs(args.paths, cwd, git.top)
    if args.staged:
        changes = git.staged(paths)
    else:
        revisions = ["--all"] if args.history else [f"{git.commit_of(args.since)}..HEAD"]
        if args.since:
            git.complete(revisions[0].split("..")[0])
        changes = git.changes(revisions, paths)
    reader = BlobReader(git)
    try:
        scanner = Scanner(
            git.top, str(cwd), reader, walker.kind_in_history, settings_of.of_dir, keep_references=args.staged
        )
        scanned = scanner.scan(changes)
    finally:
        reader.close()
    for display, reason in scanned.skipped:
        say(f"skipped {display}: {reason}")
    if not args.staged:
        say(
            f"history: {scanned.commits} commit(s), {scanned.blobs} blob(s) of YAML/dotenv files, "
            f"{scanned.linted} distinct linted"
        )
    result = Result([_told(f, cwd) for f in scanned.findings], scanned.references, files=scanned.linted)
    exit_status = None
    if args.online:
        exit_status, problems = lint.online(args, conf, result)
        result = result._replace(problems=problems)
    if args.write_baseline:
        from yamlsecretlint import baseline

        count = baseline.write(Path(args.write_baseline), result.findings, [])
        say(f"wrote {count} finding(s) to {args.write_baseline}")
        return EXIT_CLEAN
    baseline_path = args.baseline or (str(conf.base / conf.baseline) if conf.baseline and conf.base else None)
    if baseline_path and not args.no_suppressions:
        # Nothing is stale for not being seen here: a range shows only what it changed.
        result.findings[:] = findings.apply_baseline(
            result.findings, Path(baseline_path), prune=False, say=say, linted=[]
        )
    return lint.report(args, result, exit_status)


def _told(finding: Finding, cwd: Path) -> Finding:
    """Every format says the commit in the message; a secret removed since still has to be rotated."""
    if not finding.commit:
        return finding
    said = f"recorded in commit {finding.commit[:12]}"
    if finding.removed:
        gone = "" if (cwd / finding.path).exists() else "; the file no longer exists"
        said += f"{gone}; removed since, but still in the repository's history: rotate the secret"
    return finding._replace(message=f"{finding.message} ({said})")


def _pathspecs(paths: list[str], cwd: Path, top: str) -> list[str]:
    """PATH arguments as git pathspecs from the repository's top (``:(top,literal)``: no glob magic)."""
    specs = []
    for path in paths or []:
        absolute = os.path.normpath(os.path.join(cwd, path))
        relative = os.path.relpath(absolute, top)
        if relative == ".." or relative.startswith(".." + os.sep):
            raise UsageError(f"{path}: outside the repository at {top}")
        specs.append(f":(top,literal){'' if relative == '.' else relative.replace(os.sep, '/')}")
    return specs

"""``--fix`` and ``--diff``: lint, apply the certain fixes (or print them as a diff), then lint again.

The first pass is offline (a fix never depends on AWS); after writing, the run
is repeated as asked — ``--online`` included — so the report shows what is
left and anything a fix changed, as ruff's ``--fix`` does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from yamlsecretlint import fixes, redact
from yamlsecretlint.commands import lint
from yamlsecretlint.console import EXIT_CLEAN, EXIT_FINDINGS, say
from yamlsecretlint.errors import UsageError


def run(args: argparse.Namespace) -> int:
    if args.since or args.history or args.staged or args.paths == ["-"]:
        raise UsageError(
            "--fix and --diff rewrite files of the working tree: not with --since, --history, --staged or '-'"
        )
    if args.write_baseline or args.show_files or args.show_config:
        raise UsageError("--fix and --diff do not go with --write-baseline, --show-files or --show-config")
    first = argparse.Namespace(**{**vars(args), "online": False, "fix": False, "diff": False})
    done = lint.collect(first)
    if isinstance(done, int):
        return done
    result, _, where = done
    paths = {display: Path(path) for display, path in where.items()}
    fixed = fixes.apply(result.findings, paths, write=not args.diff)
    for display, why in fixed.refused:
        say(f"not fixed {redact.escape(display)}: {why}")
    count = sum(len(found) for found in fixed.applied.values())
    if args.diff:
        sys.stdout.write("".join(fixed.diffs))
        say(f"{count} fix(es) in {len(fixed.applied)} file(s) would be applied (--fix)")
        return EXIT_FINDINGS if fixed.diffs else EXIT_CLEAN
    say(f"fixed {count} finding(s) in {len(fixed.applied)} file(s)")
    again = argparse.Namespace(**{**vars(args), "fix": False, "diff": False})
    return lint.run(again)

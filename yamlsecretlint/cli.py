"""The command line: ``main(argv) -> exit status``: parse the arguments, run one command (commands/).

Exit status: 0 no findings, 1 findings, 2 usage or configuration error,
3 the online check could not run (findings found so far are still reported).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from yamlsecretlint import __version__
from yamlsecretlint.console import EXIT_CLEAN, EXIT_FINDINGS, EXIT_ONLINE, EXIT_USAGE, say
from yamlsecretlint.errors import UsageError

__all__ = ["EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_ONLINE", "EXIT_USAGE", "build_parser", "main", "run"]


def _terminal_width() -> int:
    """shutil.get_terminal_size() without importing shutil (and with it bz2, lzma, zlib)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Formatter(argparse.HelpFormatter):
    # argparse makes a formatter for every add_argument, and the default one imports
    # shutil each time for the terminal's width: 3 ms of every run, for --help only.
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        width = width if width is not None else _terminal_width() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, not argparse's usage block: the message is what matters in a CI log.
        if message.startswith("unrecognized arguments:"):
            import difflib

            options = [o for action in self._actions for o in action.option_strings if o.startswith("--")]
            for word in message.split(":", 1)[1].split():
                close = difflib.get_close_matches(word.split("=", 1)[0], options, n=1)
                if word.startswith("--") and close:
                    raise UsageError(f"{message}; did you mean {close[0]}? (see --help)")
        raise UsageError(f"{message} (see --help)")


def _size(text: str) -> int:
    from yamlsecretlint.config import parse_size

    try:
        size = parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if size < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a file size of at least 1 byte (0 would skip every file)")
    return size


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds between 0 and 600")
    return value


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="yamlsecretlint",
        formatter_class=_Formatter,
        description="Find plaintext credentials and check secret references in YAML and dotenv files.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to lint (default: .)")
    parser.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        help="report format (default: github under GitHub Actions, else text)",
    )
    parser.add_argument(
        "--stdin-filename", metavar="NAME", help="with PATH '-': the name the standard input is read as"
    )
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--quiet", "-q", action="store_true", help="text: the findings only, no summary line")
    parser.add_argument("--statistics", action="store_true", help="text: also count the findings by rule")
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour the text report (default: auto)"
    )
    parser.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.add_argument("--sarif-output", metavar="FILE", help="also write a SARIF report to FILE")
    parser.add_argument(
        "--sarif-suppressed",
        action="store_true",
        help="SARIF: keep baselined and inline-suppressed findings, marked (code scanning ignores the mark)",
    )
    parser.add_argument("--config", metavar="FILE", type=Path, help="configuration file (default: discovered)")
    parser.add_argument("--select", metavar="IDS", help="only these rule ids or prefixes, comma-separated")
    parser.add_argument("--ignore", metavar="IDS", help="skip these rule ids or prefixes, comma-separated")
    parser.add_argument("--jobs", metavar="N", type=_jobs, help="processes (default: all CPUs for many files)")
    parser.add_argument("--max-file-size", metavar="SIZE", type=_size, help="skip larger files (default: 5M)")
    parser.add_argument("--no-gitignore", action="store_true", help="also lint files that git ignores")
    parser.add_argument("--strict", action="store_true", help="warnings and notes fail the run too (exit 1)")
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        help="choose named files as the walk does (by name or include, minus exclude): what the hook uses",
    )
    parser.add_argument(
        "--no-suppressions", action="store_true", help="report everything: ignore comments and baseline"
    )
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not in this baseline")
    parser.add_argument("--write-baseline", metavar="FILE", help="record the current findings as a baseline")
    parser.add_argument(
        "--prune-baseline", action="store_true", help="with --baseline: remove the entries that no longer match"
    )
    fixing = parser.add_mutually_exclusive_group()
    fixing.add_argument(
        "--fix", action="store_true", help="apply the certain fixes of reference findings, then lint again"
    )
    fixing.add_argument(
        "--diff", action="store_true", help="print the fixes --fix would apply as a diff, write nothing"
    )
    history = parser.add_argument_group("git history and the index (instead of the working tree)")
    scope = history.add_mutually_exclusive_group()
    scope.add_argument(
        "--since",
        metavar="REF",
        help="lint every YAML/dotenv blob the commits in REF..HEAD add or change (a pull request's)",
    )
    scope.add_argument("--history", action="store_true", help="lint every blob of all reachable history (an audit)")
    scope.add_argument("--staged", action="store_true", help="lint the index: what git commit is about to record")
    parser.add_argument("--show-config", action="store_true", help="print the effective configuration and exit")
    parser.add_argument(
        "--show-files",
        action="store_true",
        help="print the files a run would lint, those it skips and why, and exit",
    )
    parser.add_argument(
        "--list-references",
        action="store_true",
        help="also report every secret reference found (what --online checks)",
    )
    online = parser.add_argument_group("online verification (AWS Secrets Manager)")
    online.add_argument("--online", action="store_true", help="check every referenced secret with AWS")
    online.add_argument("--region", metavar="R", help="region for references that do not name one")
    online.add_argument("--profile", metavar="P", help="AWS profile (default: boto3's credential chain)")
    online.add_argument("--endpoint-url", metavar="URL", help="a Secrets Manager-compatible endpoint")
    online.add_argument(
        "--principal-arn",
        metavar="ARN",
        help="check what this principal may read (IAM simulator), not the caller; "
        "auto: the role each reference's files name (an ExternalSecret's store), else the caller",
    )
    online.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        help="deadline of the whole online check (default 60); what is not checked by then exits 3",
    )
    parser.add_argument("--verbose", action="store_true", help="say on stderr what is read and found (never a value)")
    parser.add_argument(
        "--list-rules",
        action="store_true",
        help="print the rule catalogue, marking what this configuration enables (--format json: as JSON), and exit",
    )
    parser.add_argument("--explain", metavar="ID", help="print one rule's documentation and exit")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def run() -> NoReturn:
    """The command: ``main()``, then exit without tearing the interpreter down.

    Freeing every module and object at exit costs a one-file run 15-20 ms, and a
    pre-commit hook runs on every commit. Nothing here needs the teardown: reports
    are written and closed, process pools and threads are shut down before main()
    returns, and the standard streams are flushed below.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # the reader went away, a stream was closed, the disk is full
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args: argparse.Namespace | None = None
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["migrate"]:  # a command of its own (`./migrate` names a folder called that)
            from yamlsecretlint.commands import migrate

            return migrate.run(argv[1:])
        args = parser.parse_args(argv)
        if args.list_rules:
            from yamlsecretlint.commands import list_rules

            return list_rules.run(args)
        if args.explain is not None:
            from yamlsecretlint.commands import explain

            return explain.run(args.explain)
        from yamlsecretlint.commands import lint

        return lint.run(args)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_CLEAN
    except UsageError as exc:
        say(f"error: {exc}")
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`| head`); say nothing more on a closed pipe. A listing's status is
        # clean; a lint that broke before its report was written cannot say it was (fail closed).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        listing = args is not None and (args.list_rules or args.explain is not None)
        return EXIT_CLEAN if listing else EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("YAMLSECRETLINT_DEBUG"):
            raise
        say(f"internal error ({type(exc).__name__}); set YAMLSECRETLINT_DEBUG=1 for the traceback and please report it")
        return EXIT_USAGE

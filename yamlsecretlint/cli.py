"""The command line: ``main(argv) -> exit status``.

Exit status: 0 no findings, 1 findings, 2 usage or configuration error,
3 the online check could not run (findings found so far are still reported).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from yamlsecretlint import __version__
from yamlsecretlint.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from yamlsecretlint.config import Config
    from yamlsecretlint.report import Result

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_ONLINE = 0, 1, 2, 3
_ONLINE_OPTIONS = ("region", "profile", "endpoint_url", "principal_arn")
_RULE_PREFIX = re.compile(r"YSL[0-9]{0,3}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, not argparse's usage block: the message is what matters in a CI log.
        raise UsageError(f"{message} (see --help)")


def _ids(option: str, text: str) -> tuple[str, ...]:
    ids = tuple(part.strip().upper() for part in text.split(",") if part.strip())
    for rule in ids:
        if not _RULE_PREFIX.fullmatch(rule):
            raise UsageError(f"{option}: {rule!r} is not a rule id or prefix (YSL1, YSL104)")
    return ids


def _size(text: str) -> int:
    from yamlsecretlint.config import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="yamlsecretlint",
        description="Find plaintext credentials and check secret references in YAML and dotenv files.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to lint (default: .)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    parser.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.add_argument("--config", metavar="FILE", type=Path, help="configuration file (default: discovered)")
    parser.add_argument("--select", metavar="IDS", help="only these rule ids or prefixes, comma-separated")
    parser.add_argument("--ignore", metavar="IDS", help="skip these rule ids or prefixes, comma-separated")
    parser.add_argument("--jobs", metavar="N", type=_jobs, help="processes (default: all CPUs for many files)")
    parser.add_argument("--max-file-size", metavar="SIZE", type=_size, help="skip larger files (default: 5M)")
    parser.add_argument("--no-gitignore", action="store_true", help="also lint files that git ignores")
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
        "--principal-arn", metavar="ARN", help="check what this principal may read (IAM simulator), not the caller"
    )
    parser.add_argument("--list-rules", action="store_true", help="print the rule catalogue and exit")
    parser.add_argument("--explain", metavar="ID", help="print one rule's documentation and exit")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _list_rules() -> int:
    from yamlsecretlint import catalog

    problems = catalog.validate()
    if problems:
        for problem in problems:
            print(f"yamlsecretlint: invalid rule file: {problem}", file=sys.stderr)
        return EXIT_USAGE
    for rule in catalog.load().values():
        print(f"{rule.id}  {rule.severity:<7}  {rule.category:<11}  {rule.name:<24}  {rule.summary}")
    return EXIT_CLEAN


def _explain(rule_id: str) -> int:
    from yamlsecretlint import catalog

    rule = catalog.load().get(rule_id.strip().upper())
    if rule is None:
        raise UsageError(f"--explain: unknown rule {rule_id!r} (see --list-rules)")
    out = [f"{rule.id} {rule.name} ({rule.category}, {rule.severity})", rule.summary, "", rule.description, ""]
    for label, kind in (("Reported", "must"), ("Not reported", "must-not")):
        for example in rule.examples.get(kind, []):
            note = f" ({example['note']})" if "note" in example else ""
            out.append(f"{label} — {example['file']}{note}:")
            out.extend(f"    {line}" for line in example["text"].splitlines())
            out.append("")
    print("\n".join(out).rstrip())
    return EXIT_CLEAN


def _color(stream: object) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _run(args: argparse.Namespace) -> int:
    from yamlsecretlint import catalog, config
    from yamlsecretlint.engine import DEFAULT_MAX_FILE_SIZE, Linter, Settings, lint_files
    from yamlsecretlint.files import Walker
    from yamlsecretlint.report import Result, render

    if not args.online:
        for name in _ONLINE_OPTIONS:
            if getattr(args, name):
                raise UsageError(f"--{name.replace('_', '-')} only applies with --online")
    cwd = Path.cwd()
    conf = config.load(args.config, cwd)
    select = _ids("--select", args.select) if args.select is not None else conf.select
    ignore = _ids("--ignore", args.ignore) if args.ignore is not None else conf.ignore
    known = catalog.load()
    for option, ids in (("--select", select), ("--ignore", ignore)):
        for rule in ids:
            if len(rule) == 6 and rule not in known:
                raise UsageError(f"{option}: unknown rule {rule} (see --list-rules)")
    settings = Settings(
        max_file_size=args.max_file_size or conf.max_file_size or DEFAULT_MAX_FILE_SIZE,
        select=select,
        ignore=ignore,
    )
    walker = Walker(
        gitignore=conf.gitignore and not args.no_gitignore,
        exclude=conf.exclude,
        exclude_base=str(conf.base) if conf.base else None,
        cwd=str(cwd),
    )
    discovery = walker.collect(args.paths or ["."])
    result = Result([], [], files=len(discovery.files) + len(discovery.unreadable))
    linter = Linter(settings)
    for display, reason in discovery.unreadable:
        result.findings.extend(linter.unreadable(display, reason))
    for file_result in lint_files(discovery.files, settings, args.jobs):
        result.findings.extend(file_result.findings)
        result.references.extend(file_result.references)
    exit_status = _online(args, conf, result, settings.enabled) if args.online else None
    result.findings.sort(key=lambda f: f.sort_key())

    if not args.list_references:
        result = result._replace(references=[])
    result.references.sort(key=lambda r: (r.path, r.span.line, r.span.column))
    if args.output:
        report = render(args.format, result)
        try:
            Path(args.output).write_text(report, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(render(args.format, result, color=args.format == "text" and _color(sys.stdout)))
        sys.stdout.flush()
    if exit_status is not None:
        return exit_status
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def _online(args: argparse.Namespace, conf: Config, result: Result, enabled: Callable[[str], bool]) -> int | None:
    """Adds the online findings; EXIT_ONLINE when any secret could not be checked."""
    from yamlsecretlint import catalog
    from yamlsecretlint.online.aws import Options
    from yamlsecretlint.online.run import run

    options = Options(
        region=args.region or conf.region,
        profile=args.profile or conf.profile,
        endpoint_url=args.endpoint_url or conf.endpoint_url,
        principal_arn=args.principal_arn or conf.principal_arn,
    )
    outcome = run(result.references, options, catalog.load())
    result.findings.extend(f for f in outcome.findings if enabled(f.rule))
    for note in outcome.notes:
        print(f"yamlsecretlint: {note}", file=sys.stderr)
    for problem in outcome.problems:
        print(f"yamlsecretlint: online check incomplete: {problem}", file=sys.stderr)
    return EXIT_ONLINE if outcome.problems else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.list_rules:
            return _list_rules()
        if args.explain:
            return _explain(args.explain)
        return _run(args)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_CLEAN
    except UsageError as exc:
        print(f"yamlsecretlint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`| head`); say nothing more on a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130

"""The command line: ``main(argv) -> exit status``.

Exit status: 0 no findings, 1 findings, 2 usage or configuration error,
3 the online check could not run (findings found so far are still reported).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from yamlsecretlint import __version__, lazyre
from yamlsecretlint.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from yamlsecretlint.config import Config
    from yamlsecretlint.engine import Settings
    from yamlsecretlint.report import Result

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_ONLINE = 0, 1, 2, 3
_ONLINE_OPTIONS = ("region", "profile", "endpoint_url", "principal_arn", "timeout")
_RULE_PREFIX = lazyre.compile(r"YSL[0-9]{0,3}")


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
        "--format", choices=("text", "json", "sarif", "github"), default="text", help="report format (default: text)"
    )
    parser.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.add_argument("--sarif-output", metavar="FILE", help="also write a SARIF report to FILE")
    parser.add_argument("--config", metavar="FILE", type=Path, help="configuration file (default: discovered)")
    parser.add_argument("--select", metavar="IDS", help="only these rule ids or prefixes, comma-separated")
    parser.add_argument("--ignore", metavar="IDS", help="skip these rule ids or prefixes, comma-separated")
    parser.add_argument("--jobs", metavar="N", type=_jobs, help="processes (default: all CPUs for many files)")
    parser.add_argument("--max-file-size", metavar="SIZE", type=_size, help="skip larger files (default: 5M)")
    parser.add_argument("--no-gitignore", action="store_true", help="also lint files that git ignores")
    parser.add_argument(
        "--no-suppressions", action="store_true", help="report everything: ignore comments and baseline"
    )
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not in this baseline")
    parser.add_argument("--write-baseline", metavar="FILE", help="record the current findings as a baseline")
    parser.add_argument(
        "--prune-baseline", action="store_true", help="with --baseline: remove the entries that no longer match"
    )
    parser.add_argument("--show-config", action="store_true", help="print the effective configuration and exit")
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
    online.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        help="deadline of the whole online check (default 60); what is not checked by then exits 3",
    )
    parser.add_argument("--verbose", action="store_true", help="say on stderr what is read and found (never a value)")
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


def use_color(stream: object) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _settings(args: argparse.Namespace, conf: Config) -> Settings:
    from yamlsecretlint import catalog
    from yamlsecretlint.engine import DEFAULT_MAX_FILE_SIZE, Settings

    select = _ids("--select", args.select) if args.select is not None else conf.select
    ignore = _ids("--ignore", args.ignore) if args.ignore is not None else conf.ignore
    known = catalog.load()
    for option, ids in (("--select", select), ("--ignore", ignore)):
        for rule in ids:
            if len(rule) == 6 and rule not in known:
                raise UsageError(f"{option}: unknown rule {rule} (see --list-rules)")
    return Settings(
        max_file_size=next(
            (size for size in (args.max_file_size, conf.max_file_size) if size is not None), DEFAULT_MAX_FILE_SIZE
        ),
        select=select,
        ignore=ignore,
        per_file_ignores=conf.per_file_ignores,
        severities=conf.severities,
        base=str(conf.base) if conf.base else "",
        no_suppressions=args.no_suppressions,
        secret_keys=conf.secret_keys,
        allowed_values=conf.allowed_values,
    )


def _run(args: argparse.Namespace) -> int:
    from yamlsecretlint import catalog, config, findings
    from yamlsecretlint.engine import lint_files, unreadable
    from yamlsecretlint.files import Walker
    from yamlsecretlint.model import Directive
    from yamlsecretlint.report import Result

    if not args.online:
        for name in _ONLINE_OPTIONS:
            if getattr(args, name):
                raise UsageError(f"--{name.replace('_', '-')} only applies with --online")
    if args.prune_baseline and not args.baseline:
        raise UsageError("--prune-baseline goes with --baseline FILE")
    cwd = Path.cwd()
    conf = config.load(args.config, cwd)
    settings = _settings(args, conf)
    if args.show_config:
        return _show_config(args, conf, settings)
    walker = Walker(
        gitignore=conf.gitignore and not args.no_gitignore,
        include=conf.include,
        exclude=conf.exclude,
        exclude_base=str(conf.base) if conf.base else None,
        cwd=str(cwd),
    )
    discovery = walker.collect(args.paths or ["."])
    result = Result([], [], files=len(discovery.files) + len(discovery.unreadable))
    rules = catalog.load()
    result.findings.extend(unreadable(rules, display, reason) for display, reason in discovery.unreadable)
    directives: dict[str, tuple[Directive, ...]] = {}
    for ref, file_result in zip(discovery.files, lint_files(discovery.files, settings, args.jobs), strict=True):
        result.findings.extend(file_result.findings)
        result.references.extend(file_result.references)
        if file_result.directives:
            directives[ref.display] = file_result.directives
        if args.verbose:
            found = f"{len(file_result.findings)} finding(s), {len(file_result.references)} reference(s)"
            _say(f"{ref.display} ({ref.kind}): {found}")
    exit_status = None
    if args.online:
        exit_status, problems = _online(args, conf, result)
        result = result._replace(problems=problems)
    # The one place policy is applied, to the files' and the online findings alike.
    result.findings[:] = findings.settle(result.findings, directives, settings, rules)
    if args.write_baseline:
        from yamlsecretlint import baseline

        count = baseline.write(Path(args.write_baseline), result.findings)
        _say(f"wrote {count} finding(s) to {args.write_baseline}")
        return EXIT_CLEAN
    if args.baseline and not args.no_suppressions:
        result.findings[:] = findings.apply_baseline(
            result.findings, Path(args.baseline), prune=args.prune_baseline, say=_say
        )
    return _report(args, result, exit_status)


def _report(args: argparse.Namespace, result: Result, exit_status: int | None) -> int:
    from yamlsecretlint.report import render

    if not args.list_references:
        result = result._replace(references=[])
    result.references.sort(key=lambda r: (r.path, r.span.line, r.span.column))
    if args.sarif_output:
        _write(args.sarif_output, "--sarif-output", render("sarif", result))
    if args.output:
        _write(args.output, "--output", render(args.format, result))
    elif sys.stdout is not None:  # None: started with standard output closed (`>&-`); the status still speaks
        try:
            sys.stdout.write(render(args.format, result, color=args.format == "text" and use_color(sys.stdout)))
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:  # a full disk, an I/O error
            raise UsageError(f"cannot write the report to standard output: {exc.strerror or exc}") from None
    if exit_status is not None:
        return exit_status
    return EXIT_FINDINGS if any(not f.suppressed for f in result.findings) else EXIT_CLEAN


def _write(path: str, option: str, report: str) -> None:
    try:
        Path(path).write_text(report, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{option} {path}: {exc.strerror or exc}") from None


def _show_config(args: argparse.Namespace, conf: Config, settings: Settings) -> int:
    """Every effective setting and where it came from."""
    source = str(conf.source) if conf.source else "default"

    def origin(option: str | None, key: str) -> str:
        if option is not None and getattr(args, option, None) not in (None, False):
            return "command line"
        return source if key in conf.keys else "default"

    rows = [
        ("config file", str(conf.source) if conf.source else "(none found)", "discovery"),
        ("include", list(conf.include), origin(None, "include")),
        ("exclude", list(conf.exclude), origin(None, "exclude")),
        ("select", list(settings.select), origin("select", "select")),
        ("ignore", list(settings.ignore), origin("ignore", "ignore")),
        ("per-file-ignores", {g: list(r) for g, r in settings.per_file_ignores}, origin(None, "per-file-ignores")),
        ("severity", dict(settings.severities), origin(None, "severity")),
        ("secret-keys", list(settings.secret_keys), origin(None, "secret-keys")),
        ("allowed-values", list(settings.allowed_values), origin(None, "allowed-values")),
        ("max-file-size", settings.max_file_size, origin("max_file_size", "max-file-size")),
        ("gitignore", conf.gitignore and not args.no_gitignore, origin("no_gitignore", "gitignore")),
        ("region", args.region or conf.region, origin("region", "region")),
        ("profile", args.profile or conf.profile, origin("profile", "profile")),
        ("endpoint-url", args.endpoint_url or conf.endpoint_url, origin("endpoint_url", "endpoint-url")),
        ("principal-arn", args.principal_arn or conf.principal_arn, origin("principal_arn", "principal-arn")),
    ]
    for name, value, where in rows:
        print(f"{name:<17} {json.dumps(value)}  ({where})")
    return EXIT_CLEAN


def _online(args: argparse.Namespace, conf: Config, result: Result) -> tuple[int | None, tuple[str, ...]]:
    """Adds the online findings; EXIT_ONLINE and the reasons when any secret could not be checked."""
    from yamlsecretlint import catalog
    from yamlsecretlint.online.aws import Options
    from yamlsecretlint.online.run import run

    options = Options(
        region=args.region or conf.region,
        profile=args.profile or conf.profile,
        endpoint_url=args.endpoint_url or conf.endpoint_url,
        principal_arn=args.principal_arn or conf.principal_arn,
    )
    if args.timeout:
        options = options._replace(deadline=args.timeout)
    outcome = run(result.references, options, catalog.load())
    result.findings.extend(outcome.findings)
    for note in outcome.notes:
        _say(note)
    for problem in outcome.problems:
        _say(f"online check incomplete: {problem}")
    return (EXIT_ONLINE if outcome.problems else None), tuple(outcome.problems)


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
    try:
        args = parser.parse_args(argv)
        if args.list_rules:
            return _list_rules()
        if args.explain is not None:
            return _explain(args.explain)
        return _run(args)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_CLEAN
    except UsageError as exc:
        _say(f"error: {exc}")
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`| head`); say nothing more on a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("YAMLSECRETLINT_DEBUG"):
            raise
        _say(
            f"internal error ({type(exc).__name__}); set YAMLSECRETLINT_DEBUG=1 for the traceback and please report it"
        )
        return EXIT_USAGE


def _say(message: str) -> None:
    """One line on standard error, control characters escaped (file names can hold any)."""
    if sys.stderr is None:  # started with standard error closed
        return
    from yamlsecretlint.redact import escape

    with suppress(OSError, ValueError):
        print(f"yamlsecretlint: {escape(message)}", file=sys.stderr)

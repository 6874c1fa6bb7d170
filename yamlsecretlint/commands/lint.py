"""The lint run: files -> findings -> (online) -> the findings stage -> the report.

The modules every lint run needs are imported here, at the top; only boto3 (online/),
sarif-om (the SARIF report) and jsonschema (a configuration file) stay lazy.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from yamlsecretlint import catalog, config, findings, lazyre, project, redact
from yamlsecretlint.commands import show_config
from yamlsecretlint.config import Config
from yamlsecretlint.console import EXIT_CLEAN, EXIT_FINDINGS, EXIT_ONLINE, say, use_color
from yamlsecretlint.engine import DEFAULT_MAX_FILE_SIZE, Settings, lint_files, unreadable
from yamlsecretlint.errors import UsageError
from yamlsecretlint.files import Discovery, Scope, Walker, kind_of
from yamlsecretlint.model import Declared, Directive, FileRef, FileResult, StrPath
from yamlsecretlint.report import Result, render

_ONLINE_OPTIONS = ("region", "profile", "endpoint_url", "principal_arn", "timeout")
_RULE_PREFIX = lazyre.compile(r"YSL[0-9]{0,3}")


def _ids(option: str, text: str) -> tuple[str, ...]:
    ids = tuple(part.strip().upper() for part in text.split(",") if part.strip())
    for rule in ids:
        if not _RULE_PREFIX.fullmatch(rule):
            raise UsageError(f"{option}: {rule!r} is not a rule id or prefix (YSL1, YSL104)")
    return ids


def settings_of(args: argparse.Namespace, conf: Config) -> Settings:
    """What a configuration and the command line (which wins) say the checks and the findings stage do."""
    return _settings(args, conf)


def _settings(args: argparse.Namespace, conf: Config) -> Settings:
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


def run(args: argparse.Namespace) -> int:
    if args.fix or args.diff:
        from yamlsecretlint.commands import fix

        return fix.run(args)
    done = collect(args)
    if isinstance(done, int):
        return done
    result, exit_status, _ = done
    return report(args, result, exit_status)


def collect(args: argparse.Namespace) -> int | tuple[Result, int | None, dict[str, StrPath]]:
    """The run up to its report: the result, the online exit status, and each linted file by display path;
    or the exit status of a run that ends earlier (--show-config, --show-files, history, a baseline written)."""
    if not args.online:
        for name in _ONLINE_OPTIONS:
            if getattr(args, name):
                raise UsageError(f"--{name.replace('_', '-')} only applies with --online")
    if args.prune_baseline and not args.baseline:
        raise UsageError("--prune-baseline goes with --baseline FILE")
    if args.format is None:
        # As yamllint: under GitHub Actions the findings become annotations by default.
        args.format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if args.stdin_filename and args.paths != ["-"]:
        raise UsageError("--stdin-filename goes with the path '-' (standard input)")
    cwd = Path.cwd()
    conf = config.load(args.config, cwd)
    settings = _settings(args, conf)
    if args.show_config:
        return show_config.run(args, conf, settings)
    # Each file is linted with its nearest configuration (a monorepo's folders have their own).
    configs = config.Configs(conf, explicit=args.config is not None)
    settings_of = SettingsOf(args, configs, conf, settings)
    if args.paths == ["-"]:
        where = Path(args.stdin_filename).resolve().parent if args.stdin_filename else cwd
        return _stdin(args, settings_of.of_dir(str(where)))
    walker = Walker(
        gitignore=conf.gitignore and not args.no_gitignore,
        cwd=str(cwd),
        force_exclude=args.force_exclude,
        scope=settings_of.scope,
        listed=configs.listed,
    )
    if args.since or args.history or args.staged:
        from yamlsecretlint.commands import history

        return history.run(args, conf, settings_of, walker, cwd)
    discovery = walker.collect(args.paths or ["."])
    if args.show_files:
        return _show_files(discovery)
    result = Result([], [], files=len(discovery.files) + len(discovery.unreadable), skipped=len(discovery.skipped))
    rules = catalog.load()
    result.findings.extend(unreadable(rules, display, reason) for display, reason in discovery.unreadable)
    directives: dict[str, tuple[Directive, ...]] = {}
    #: What files declare that other files' references read through (stores, service accounts).
    declaring: list[Declared] = []
    # A walk's paths are absolute and normalised already: their folder is a string operation.
    per_file = [settings_of.of_dir(os.path.dirname(ref.path)) for ref in discovery.files]
    for ref, file_result in zip(discovery.files, lint_files(discovery.files, per_file, args.jobs), strict=True):
        result.findings.extend(file_result.findings)
        result.references.extend(file_result.references)
        if file_result.directives:
            directives[ref.display] = file_result.directives
        if file_result.declares is not None:
            declaring.append(file_result.declares)
        if args.verbose:
            found = f"{len(file_result.findings)} finding(s), {len(file_result.references)} reference(s)"
            say(f"{ref.display} ({ref.kind}): {found}")
    # An ExternalSecret's store may be declared in another of the files linted.
    resolved, across = project.settle(result.references, declaring, rules)
    result.references[:] = resolved
    result.findings.extend(across)
    exit_status = None
    if args.online:
        exit_status, problems = online(args, conf, result)
        result = result._replace(problems=problems)
    # The one place policy is applied, to the files' and the online findings alike, each
    # finding by its file's configuration.
    by_display = {ref.display: own for ref, own in zip(discovery.files, per_file, strict=True)}
    result.findings[:] = findings.settle_each(
        result.findings, directives, lambda path: by_display.get(path, settings), rules
    )
    linted = [ref.display for ref in discovery.files]
    if args.write_baseline:
        from yamlsecretlint import baseline

        count = baseline.write(Path(args.write_baseline), result.findings, linted)
        say(f"wrote {count} finding(s) to {args.write_baseline}")
        return EXIT_CLEAN
    baseline_path = args.baseline or (str(conf.base / conf.baseline) if conf.baseline and conf.base else None)
    if baseline_path and not args.no_suppressions:
        result.findings[:] = findings.apply_baseline(
            result.findings, Path(baseline_path), prune=args.prune_baseline, say=say, linted=linted
        )
    return result, exit_status, {ref.display: ref.path for ref in discovery.files}


class SettingsOf:
    """Each folder's Settings and walk scope, from its configuration (command-line options winning)."""

    def __init__(self, args: argparse.Namespace, configs: config.Configs, run: Config, settings: Settings) -> None:
        self.args = args
        self.configs = configs
        self._built: dict[Path | None, Settings] = {run.source: settings}

    def of_dir(self, directory: str) -> Settings:
        conf = self.configs.of(directory)
        built = self._built.get(conf.source)
        if built is None:
            built = self._built[conf.source] = _settings(self.args, conf)
        return built

    def scope(self, directory: str) -> Scope:
        conf = self.configs.of(directory)
        return Scope(conf.include, conf.exclude, str(conf.base) if conf.base else "")


def _show_files(discovery: Discovery) -> int:
    """What a run would lint, and what it would skip and why (ruff's --show-files), then exit."""
    lines = [f"lint  {redact.escape(ref.display)} ({ref.kind})" for ref in discovery.files]
    lines += [f"skip  {redact.escape(display)}: {reason}" for display, reason in discovery.skipped]
    lines += [f"error {redact.escape(display)}: {redact.escape(reason)}" for display, reason in discovery.unreadable]
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    return EXIT_CLEAN


def _stdin(args: argparse.Namespace, settings: Settings) -> int:
    """`git show :app.yaml | yamlsecretlint --stdin-filename app.yaml -`: one text, read as that name."""
    from yamlsecretlint.engine import Linter
    from yamlsecretlint.sources.text import Unreadable, decode

    name = args.stdin_filename or "-"
    data = sys.stdin.buffer.read(settings.max_file_size + 1) if sys.stdin is not None else b""
    ref = FileRef(Path(name), name, kind_of(Path(name).name) or "yaml")
    rules = catalog.load()
    if len(data) > settings.max_file_size:
        file_result = FileResult([unreadable(rules, name, "standard input is larger than --max-file-size")], [])
    else:
        try:
            file_result = Linter(settings).lint_text(ref, decode(data))
        except Unreadable as exc:
            file_result = FileResult([unreadable(rules, name, str(exc))], [])
    result = Result(file_result.findings, file_result.references, files=1)
    result.findings[:] = findings.settle(result.findings, {name: file_result.directives}, settings, rules)
    return report(args, result, None)


def report(args: argparse.Namespace, result: Result, exit_status: int | None) -> int:
    if not args.list_references:
        result = result._replace(references=[])
    result.references.sort(key=lambda r: (r.path, r.span.line, r.span.column))
    if args.sarif_output:
        _write(args.sarif_output, "--sarif-output", render("sarif", result, suppressed=args.sarif_suppressed))
    if args.output:
        _write(args.output, "--output", render(args.format, result, suppressed=args.sarif_suppressed))
    elif sys.stdout is not None:  # None: started with standard output closed (`>&-`); the status still speaks
        try:
            color = args.format == "text" and use_color(sys.stdout, args.color)
            report = render(args.format, result, color=color, suppressed=args.sarif_suppressed)
            if args.format == "text":
                report = _text_extras(args, result, report)
            sys.stdout.write(report)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (`| head`): the rest of the report goes nowhere, and the
            # status is the run's, as if it had been read to the end.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError as exc:  # a full disk, an I/O error
            raise UsageError(f"cannot write the report to standard output: {exc.strerror or exc}") from None
    if exit_status is not None:
        return exit_status
    # As yamllint: errors fail the run; warnings and notes are printed and fail it only with --strict.
    failing = [f for f in result.findings if not f.suppressed and (f.severity == "error" or args.strict)]
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN


def _text_extras(args: argparse.Namespace, result: Result, report: str) -> str:
    """--quiet drops the summary line; --statistics adds a count by rule, as ruff prints it."""
    lines = report.splitlines()
    if args.quiet and lines:
        lines = lines[:-1]
    if args.statistics:
        rules = catalog.load()
        counts: dict[str, int] = {}
        for finding in result.findings:
            if not finding.suppressed:
                counts[finding.rule] = counts.get(finding.rule, 0) + 1
        for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            name = rules[rule].name if rule in rules else ""
            lines.append(f"{count:5d}  {rule}  {name}")
    return "".join(f"{line}\n" for line in lines)


def _write(path: str, option: str, report: str) -> None:
    try:
        Path(path).write_text(report, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{option} {path}: {exc.strerror or exc}") from None


def online(args: argparse.Namespace, conf: Config, result: Result) -> tuple[int | None, tuple[str, ...]]:
    """Adds the online findings; EXIT_ONLINE and the reasons when any secret could not be checked."""
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
        say(note)
    for problem in outcome.problems:
        say(f"online check incomplete: {problem}")
    return (EXIT_ONLINE if outcome.problems else None), tuple(outcome.problems)

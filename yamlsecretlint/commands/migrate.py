"""``yamlsecretlint migrate [PATH …]``: move plaintext secrets into AWS Secrets Manager and reference them.

Without ``--apply`` it prints the plan — a diff of the replaced values (each a
preview, never the value) and the table of secrets it would create, by name and
length — and changes nothing. With ``--apply`` (AWS credentials as for
``--online``) it creates the secrets, verifies them, and rewrites the files
(migrate/apply.py).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from yamlsecretlint import redact
from yamlsecretlint.commands import lint
from yamlsecretlint.console import EXIT_CLEAN, EXIT_FINDINGS, EXIT_ONLINE, say
from yamlsecretlint.errors import UsageError
from yamlsecretlint.files import kind_of
from yamlsecretlint.migrate import plan as planning
from yamlsecretlint.migrate.ecs import ARN_MARK
from yamlsecretlint.model import FileRef
from yamlsecretlint.references.arns import name_problems


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="yamlsecretlint migrate",
        description="Move plaintext secrets into AWS Secrets Manager and reference them in the file's dialect.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default .)")
    parser.add_argument("--apply", action="store_true", help="create the secrets, verify them, rewrite the files")
    parser.add_argument("--prefix", default="", help="prepended to every secret name (e.g. prod/)")
    parser.add_argument(
        "--name-template",
        default=planning.TEMPLATE,
        metavar="T",
        help="secret names from {prefix}, {stem} (the file's name) and {key} (its key path); default %(default)s",
    )
    parser.add_argument(
        "--group", action="store_true", help="Mage: one JSON secret per file, read with json_value (default: one each)"
    )
    parser.add_argument("--region", metavar="R", help="where the secrets are created (default: the SDK's chain)")
    parser.add_argument("--profile", metavar="P", help="AWS profile")
    parser.add_argument("--endpoint-url", metavar="URL", help="a Secrets Manager-compatible endpoint")
    parser.add_argument("--kms-key-id", metavar="KEY", default="", help="the KMS key of the new secrets")
    parser.add_argument("--overwrite", action="store_true", help="replace a secret that exists with another value")
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: discovered)")
    parser.add_argument("--no-gitignore", action="store_true", help="also migrate files git ignores")
    parser.add_argument(
        "--rotate-hint",
        action="store_true",
        help="for each credential whose vendor is known, the page where it is revoked and reissued",
    )
    return parser


def run(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    if args.prefix and name_problems(args.prefix.rstrip("/") or "x"):
        raise UsageError(f"--prefix {redact.name(args.prefix)}: not characters a secret name may hold")
    try:
        args.name_template.format(prefix="", stem="s", key="k")
    except (KeyError, IndexError, ValueError):
        raise UsageError(
            f"--name-template {redact.name(args.name_template)}: only {{prefix}}, {{stem}} and {{key}} may be named"
        ) from None
    from yamlsecretlint.cli import build_parser

    argv_lint = [
        *(["--config", args.config] if args.config else []),
        *(["--no-gitignore"] if args.no_gitignore else []),
    ]
    done = lint.collect(build_parser().parse_args([*argv_lint, "--", *args.paths]))
    if isinstance(done, int):
        return done
    result, _, paths = done
    files = {
        display: FileRef(path, display, kind_of(os.path.basename(path)) or "yaml") for display, path in paths.items()
    }
    plan = planning.build(result.findings, files, prefix=args.prefix, group=args.group, template=args.name_template)
    values = planning.values(plan, files)
    try:
        sys.stdout.write(render(plan, files, values))
        if args.rotate_hint:
            sys.stdout.write(rotations(plan))
    except BaseException:
        values.clear()
        raise
    if not args.apply:
        values.clear()
        return EXIT_FINDINGS if plan.moves else EXIT_CLEAN
    from yamlsecretlint.migrate.apply import apply
    from yamlsecretlint.online.aws import OnlineError, Options

    options = Options(region=args.region, profile=args.profile, endpoint_url=args.endpoint_url)
    try:
        applied = apply(plan, values, files, options, kms_key_id=args.kms_key_id, overwrite=args.overwrite)
    except OnlineError as exc:
        say(f"migrate: nothing was changed: {exc}")
        return EXIT_ONLINE
    finally:
        values.clear()
    # CreateSecret with the token of an identical earlier request is that request again: it creates nothing new.
    say(
        f"created {len(applied.created)} secret(s) (a repeated request counts once), "
        f"{len(applied.existing)} already there with the same value"
    )
    for name, why in applied.failed:
        say(f"not migrated {redact.name(name)}: {why}")
    moved = sum(1 for m in plan.moves if m.env_file and m.path in applied.rewritten)
    if moved:
        say(f"moved {moved} value(s) to .env files git ignores")
    say(f"rewrote {len(applied.rewritten)} file(s); left {len(applied.untouched)} untouched")
    say("migrating does not un-leak a secret that was committed: rotate it")
    return EXIT_ONLINE if applied.failed else EXIT_CLEAN


def _env_files(plan: planning.Plan, values: dict[tuple[str, int], str]) -> list[str]:
    """compose: what each .env and .env.example would gain (the values as previews)."""

    from yamlsecretlint.fixes import diff
    from yamlsecretlint.migrate import compose

    lines: list[str] = []
    for env_file in sorted({m.env_file for m in plan.moves if m.env_file}):
        moved = [m for m in plan.moves if m.env_file == env_file]
        found = {m.secret_name: values.get((m.path, m.start), "") for m in moved}
        path = Path(env_file)
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        after, example, _ = compose.additions(path, found)
        shown = str(Path(moved[0].path).parent / path.name)
        lines += diff(shown, before, after, redact.Scrubber(found.values())).splitlines()
        lines += [
            f"+++ {redact.escape(str(Path(shown).with_name('.env.example')))}: {line}" for line in example.splitlines()
        ]
    return lines


def rotations(plan: planning.Plan) -> str:
    """Moving a committed secret does not un-leak it: where each known vendor's credential is rotated."""
    places = [(m.path, m.line, m.rotate) for m in plan.moves] + [(i.path, i.line, i.rotate) for i in plan.left]
    lines = [f"  {redact.escape(path)}:{line}: {url}" for path, line, url in sorted(places) if url]
    if not lines:
        return ""
    return "\nRotate (a secret that was committed stays in history):\n" + "".join(f"{line}\n" for line in lines)


def render(plan: planning.Plan, files: dict[str, FileRef], values: dict[tuple[str, int], str]) -> str:
    """The plan as a diff (each value a preview) and a table of the secrets to create, names and lengths."""
    from yamlsecretlint.fixes import diff
    from yamlsecretlint.sources.text import read_text

    lines = []
    for display in sorted({move.path for move in plan.moves}):
        before = read_text(files[display].path, 1 << 30)
        edits = [(m.start, m.end, m.replacement) for m in plan.moves if m.path == display]
        edits += [(i.offset, i.offset, i.text) for i in plan.inserts if i.path == display]
        after = before
        for start, end, new in sorted(edits, reverse=True):
            after = after[:start] + new + after[end:]
        secrets = [value for (path, _), value in values.items() if path == display]
        shown = re.sub(f"{re.escape(ARN_MARK)}([^\x00]*)\x00", r"<ARN of \1>", after)
        lines += diff(display, before, shown, redact.Scrubber(secrets)).splitlines()
    lines += _env_files(plan, values)
    for left in plan.left:
        lines.append(f"{redact.escape(left.path)}:{left.line}: {left.rule} left as is: {redact.escape(left.why)}")
    to_aws = [m for m in plan.moves if not m.env_file]
    if to_aws:
        lines += ["", "Secrets to create:"]
        for m in to_aws:
            into = f" key {redact.name(m.json_key)}" if m.json_key else ""
            lines.append(
                f"  {redact.name(m.secret_name)}{into}  ({m.length} chars, from {redact.escape(m.path)}:{m.line})"
            )
    to_env = [m for m in plan.moves if m.env_file]
    if to_env:
        lines += ["", "Values to move to .env (git-ignored):"]
        lines += [f"  ${{{m.secret_name}}}  ({m.length} chars, from {redact.escape(m.path)}:{m.line})" for m in to_env]
    return "".join(f"{line}\n" for line in lines)

"""The findings stage: every finding passes here once, after online verification.

Files and online checks produce findings; this stage alone applies the
configuration's policy to them, in one order:

1. rules switched off (``select`` / ``ignore``, and ``per-file-ignores`` for
   the finding's path);
2. ``severity`` overrides;
3. inline suppressions, with the directives the engine found in each file, and
   YSL801 for a directive that covered nothing;
4. the baseline.

So an online finding (YSL401–405) obeys ``severity:``, ``per-file-ignores``
and ``# yamlsecretlint: ignore[YSL401]`` exactly as a file's own findings do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from yamlsecretlint import catalog, suppress
from yamlsecretlint.engine import PerFileIgnores, Settings, new_finding
from yamlsecretlint.model import Directive, Finding, Span

#: Unused suppressions reported one by one per file; past it, one finding counts the rest.
MAX_UNUSED_REPORTED = 1000


def settle(
    findings: Sequence[Finding],
    directives: Mapping[str, Sequence[Directive]],
    settings: Settings,
    rules: Mapping[str, catalog.Rule] | None = None,
) -> list[Finding]:
    """Findings with the configuration applied (steps 1–3), sorted; suppressed ones marked, not dropped."""
    rules = rules if rules is not None else catalog.load()
    ignored = PerFileIgnores(settings)
    kept: list[Finding] = []
    for finding in findings:
        if not settings.enabled(finding.rule) or finding.rule.startswith(ignored(finding.path)):
            continue
        severity = settings.severity(finding.rule)
        kept.append(finding._replace(severity=severity) if severity else finding)  # type: ignore[arg-type]
    if not settings.no_suppressions and directives:
        kept = _suppressed(kept, directives, settings, rules, ignored)
    kept.sort(key=Finding.sort_key)
    return kept


def settle_each(
    findings: Sequence[Finding],
    directives: Mapping[str, Sequence[Directive]],
    settings_of: Callable[[str], Settings],
    rules: Mapping[str, catalog.Rule] | None = None,
) -> list[Finding]:
    """:func:`settle`, each finding by the settings of its file's configuration."""
    groups: dict[Settings, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(settings_of(finding.path), []).append(finding)
    paths: dict[Settings, dict[str, Sequence[Directive]]] = {}
    for path, found in directives.items():
        paths.setdefault(settings_of(path), {})[path] = found
    settled: list[Finding] = []
    for own in {*groups, *paths}:
        settled.extend(settle(groups.get(own, []), paths.get(own, {}), own, rules))
    settled.sort(key=Finding.sort_key)
    return settled


def _suppressed(
    findings: list[Finding],
    directives: Mapping[str, Sequence[Directive]],
    settings: Settings,
    rules: Mapping[str, catalog.Rule],
    ignored: PerFileIgnores,
) -> list[Finding]:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    out: list[Finding] = []
    for path in {*by_path, *directives}:
        here = by_path.get(path, [])
        found = list(directives.get(path, ()))
        if not found:
            out.extend(here)
            continue
        switched_off = ignored(path)

        def enabled(rule: str, off: tuple[str, ...] = switched_off) -> bool:
            return settings.enabled(rule) and not rule.startswith(off)

        marked, unused = suppress.apply(here, found, enabled)
        out.extend(marked)
        if unused and enabled(suppress.UNUSED_RULE):
            out.extend(_unused(path, unused, settings, rules[suppress.UNUSED_RULE]))
    return out


def _unused(path: str, unused: list[Directive], settings: Settings, rule: catalog.Rule) -> list[Finding]:
    severity = settings.severity(rule.id)
    reported = []
    for directive in unused[:MAX_UNUSED_REPORTED]:
        span = Span(directive.line, directive.column, directive.line, directive.end_column)
        reported.append(new_finding(rule, path, span, "", rule.message, f"{directive.line}", severity))
    if len(unused) > MAX_UNUSED_REPORTED:
        last = unused[MAX_UNUSED_REPORTED]
        more = f"{rule.message}; and {len(unused) - MAX_UNUSED_REPORTED - 1} more after this one in this file"
        span = Span(last.line, last.column, last.line, last.end_column)
        reported.append(new_finding(rule, path, span, "", more, f"{last.line}", severity))
    return reported


def apply_baseline(
    findings: list[Finding],
    path: Path,
    *,
    prune: bool,
    say: Callable[[str], None],
    linted: Iterable[str] | None = None,
) -> list[Finding]:
    """Step 4: findings the baseline holds marked; stale entries (of the files linted) counted, or pruned."""
    from yamlsecretlint import baseline as baseline_file

    entries = baseline_file.load(path)
    marked, stale = baseline_file.apply(findings, entries, path, linted)
    if stale and prune:
        baseline_file.prune(path, entries, stale)
        for entry in stale:
            say(f"pruned {entry.rule} {entry.path} [{entry.key}] from {path}")
    elif stale:
        plural = "y" if len(stale) == 1 else "ies"
        say(f"{len(stale)} entr{plural} of {path} no longer match; run with --prune-baseline to remove them")
    return marked

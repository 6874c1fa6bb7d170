"""One file in, its findings out; many files, in order, over processes if asked."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from yamlsecretlint import catalog, checks, lazyre, redact, registry
from yamlsecretlint.check import Context
from yamlsecretlint.model import (
    ROLES,
    Directive,
    FileRef,
    FileResult,
    Finding,
    Fix,
    Hit,
    Interest,
    LocatedReference,
    Scalar,
    Span,
)
from yamlsecretlint.policy import Policy
from yamlsecretlint.references import dialect_of, kubernetes
from yamlsecretlint.sources import open_source
from yamlsecretlint.sources.facts import holds
from yamlsecretlint.sources.marks import Marker
from yamlsecretlint.sources.positions import LineTable, Locator
from yamlsecretlint.sources.text import Unreadable, read_text

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
#: Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 50


class Settings(NamedTuple):
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: (glob over the path relative to the configuration, rule ids or prefixes)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: (rule id or prefix, severity), the longest prefix winning
    severities: tuple[tuple[str, str], ...] = ()
    #: Where per-file-ignore globs are relative to; empty: the current directory.
    base: str = ""
    no_suppressions: bool = False
    #: Extra regexes of secret-named keys, and of values that are never credentials.
    secret_keys: tuple[str, ...] = ()
    allowed_values: tuple[str, ...] = ()

    def enabled(self, rule: str) -> bool:
        if self.select and not rule.startswith(self.select):
            return False
        return not (self.ignore and rule.startswith(self.ignore))

    def severity(self, rule: str) -> str:
        matches = [(len(prefix), severity) for prefix, severity in self.severities if rule.startswith(prefix)]
        return max(matches)[1] if matches else ""


def new_finding(
    rule: catalog.Rule, path: str, span: Span, key: str, message: str, value: str, severity: str = ""
) -> Finding:
    """A finding of ``rule``; ``value`` feeds only the fingerprint's keyed hash.

    ``message`` is built from typed pieces (redact.preview, redact.name); here it is
    only escaped, and the key path goes through redact.name.
    """
    from yamlsecretlint.fingerprint import identity, value_tag  # hashlib only once there is a finding

    tag = value_tag(value)
    # The choke point every finding passes: key segments that read as tokens become previews.
    key = redact.name(key)
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=severity or rule.severity,  # type: ignore[arg-type]
        path=path,
        span=span,
        key=key,
        message=redact.escape(message),
        fingerprint=identity(rule.id, path, key, tag),
        tag=tag,
    )


def unreadable(rules: Mapping[str, catalog.Rule], display: str, reason: str) -> Finding:
    """YSL903 for a file that could not be read: the walk's, or one that could not be opened."""
    rule = rules["YSL903"]
    return new_finding(rule, display, Span(1, 1, 1, 1), "", f"{rule.message}: {reason}", reason)


class PerFileIgnores:
    """``path -> rule prefixes`` that per-file-ignores switch off there (cached per path)."""

    def __init__(self, settings: Settings) -> None:
        from yamlsecretlint.files import glob_regex

        self.settings = settings
        self.matchers = [(glob_regex(glob), rules) for glob, rules in settings.per_file_ignores]
        self.cache: dict[str, tuple[str, ...]] = {}

    def __call__(self, path: str) -> tuple[str, ...]:
        if not self.matchers:
            return ()
        found = self.cache.get(path)
        if found is None:
            base = self.settings.base or os.getcwd()
            rel = os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
            found = tuple(rule for regex, rules in self.matchers if regex.fullmatch(rel) for rule in rules)
            self.cache[path] = found
        return found


#: What the base class's sees_everything is asked with: its answer is the check's own, whatever the file.
_NO_CONTEXT = Context("", "yaml", "yaml")


#: A check's scan of one scalar, and a gated check as the engine holds it (its trigger pattern, bits, scan).
_Scan = Callable[[Scalar], Iterable[Hit]]
_Gated = tuple[re.Pattern[str], int, _Scan]


class Linter:
    """Lints files with the checks ``settings`` enable.

    ``whole=True`` shows every check every scalar (no Interest gate, no trigger
    bits): slower, and the reference the gated walk is tested against.
    """

    def __init__(self, settings: Settings, *, whole: bool = False) -> None:
        self.settings = settings
        self.rules = catalog.load()
        self.policy = Policy.of(settings.secret_keys, settings.allowed_values)
        self._generality = {rule.id: rule.generality for rule in self.rules.values()}
        self.checks = registry.build([r for r in self.rules.values() if settings.enabled(r.id)])
        # A YAML scalar comes with the bits of the triggers its text holds (sources.marks);
        # other scalars are searched: one search for any trigger, then one per gated check.
        triggers = sorted({t for check in self.checks for t in check.triggers or ()})
        self._trigger = _alternation(tuple(triggers))
        self.interest = _interest(self.checks, self.policy)
        self._everything = self.interest._replace(everything=True)
        if whole:
            self.interest = self._everything = Interest(everything=True)
        marker = self.interest.marker
        self._gated = [
            (_alternation(check.triggers), marker.bits(check.triggers) if marker else -1, check)
            for check in self.checks
            if check.triggers is not None
        ]
        self._ignored = PerFileIgnores(settings)
        #: The checks without triggers, shown every scalar of their roles in the files they apply to.
        self._always = [check for check in self.checks if check.triggers is None]
        #: Those with a finish() of their own: the base class's has nothing to give.
        self._finishing = [check for check in self.checks if type(check).finish is not checks.Check.finish]
        self._always_by_applying: dict[tuple[bool, ...], dict[str, list[_Scan]]] = {}
        self._gated_by_applying: dict[tuple[bool, ...], tuple[list[_Gated], dict[int, list[_Scan]]]] = {}
        #: Those whose class can ask for every scalar (the base class's answer is fixed: no triggers and no hints).
        self._may_see_everything = [
            check
            for check in self.checks
            if type(check).sees_everything is not checks.Check.sees_everything or check.sees_everything(_NO_CONTEXT)
        ]

    def _always_for(self, applying: tuple[bool, ...]) -> dict[str, list[_Scan]]:
        """role -> the scans of the applying checks without triggers: a run's files share a few combinations."""
        always = self._always_by_applying.get(applying)
        if always is None:
            always = {role: [] for role in ROLES}
            for check, applies in zip(self._always, applying, strict=True):
                if applies:
                    for role in ROLES:
                        if check.roles is None or role in check.roles:
                            always[role].append(check.scalar)
            self._always_by_applying[applying] = always
        return always

    def _gated_for(self, applying: tuple[bool, ...]) -> tuple[list[_Gated], dict[int, list[_Scan]]]:
        """The applying gated checks (trigger pattern, bits, scan), and trigger bits -> the scans they call:
        both shared by the files where the same checks apply, as the bits' combinations recur across files."""
        cached = self._gated_by_applying.get(applying)
        if cached is None:
            # The patterns stay lazy: only a scalar without trigger bits needs them compiled.
            gated: list[_Gated] = [
                (gate, bits, check.scalar)
                for (gate, bits, check), applies in zip(self._gated, applying, strict=True)
                if applies
            ]
            cached = (gated, {})
            self._gated_by_applying[applying] = cached
        return cached

    def _finding(
        self, rule_id: str, ref: FileRef, span: Span, key: str, message: str, value: str, severity: str = ""
    ) -> Finding:
        return new_finding(self.rules[rule_id], ref.display, span, key, message, value, severity)

    def _directives(self, text: str) -> tuple[Directive, ...]:
        """The file's inline suppressions, for the findings stage (which applies them to online findings too)."""
        if self.settings.no_suppressions or (not holds(text, "yamlsecretlint:") and not holds(text, "allowlist")):
            return ()
        from yamlsecretlint import suppress

        return tuple(suppress.directives(text))

    def lint(self, ref: FileRef) -> FileResult:
        try:
            text = read_text(ref.path, self.settings.max_file_size)
        except Unreadable as exc:
            return FileResult([unreadable(self.rules, ref.display, str(exc))], [])
        return self.lint_text(ref, text)

    def lint_text(self, ref: FileRef, text: str) -> FileResult:
        """The findings and references of ``text``, read as ``ref`` says (fuzzers call this)."""
        source = open_source(ref.kind, text)
        context = Context(ref.display, ref.kind, dialect_of(ref.display, ref.kind, text), text, self.policy)
        interest = self.interest
        for check in self.checks:
            check.begin(context)
        if any(check.sees_everything(context) for check in self._may_see_everything):
            interest = self._everything
        always = self._always_for(tuple([check.applies(context) for check in self._always]))
        hits: list[Hit] = []
        gated, by_bits = self._gated_for(tuple([check.applies(context) for _, _, check in self._gated]))
        trigger = self._trigger
        for scalar in source.scalars(interest):
            for scan in always[scalar.role]:
                found_here = scan(scalar)
                if found_here:
                    hits.extend(found_here)
            held = scalar.marks
            if held == 0:
                continue
            if held > 0:
                # Few combinations of triggers recur in a run: the checks each one calls, looked up once.
                scans = by_bits.get(held)
                if scans is None:
                    scans = [scan for _, bits, scan in gated if held & bits]
                    if len(by_bits) < 4096:
                        by_bits[held] = scans
                for scan in scans:
                    found_here = scan(scalar)
                    if found_here:
                        hits.extend(found_here)
                continue
            value = scalar.value
            if trigger.search(value) is None:
                continue
            for gate, _, scan in gated:
                if gate.search(value) is not None:
                    found_here = scan(scalar)
                    if found_here:
                        hits.extend(found_here)
        for check in self._finishing:
            hits.extend(check.finish())
        # Per-file-ignores act before overlaps are resolved, like a rule switched off: an
        # ignored rule never hides another rule's finding on the same text.
        ignored = self._ignored(ref.display)
        enabled = self.settings.enabled
        hits = checks.resolve_overlaps(
            [h for h in hits if enabled(h.rule) and not h.rule.startswith(ignored)], self._generality
        )
        found = [f for check in self.checks for f in check.found]
        errors = [e for e in source.errors if self.settings.enabled(e.rule)]
        declares = kubernetes.declared(text)
        if not hits and not errors and not found:
            return FileResult([], [], self._directives(text), declares)
        table = LineTable(text)
        locate = Locator(text, table)
        scrub = _Scrubbers(hits)
        references = [
            LocatedReference(f.reference, ref.display, locate(f.scalar, f.start, f.end), scrub.key(f.scalar.key))
            for f in found
        ]
        findings = []
        for error in errors:
            span = table.span(error.offset, min(error.offset + 1, len(text)))
            findings.append(self._finding(error.rule, ref, span, "", error.message, error.message))
        seen: set[tuple[str, Span]] = set()
        for hit in hits:
            finding = self._hit_finding(ref, locate, hit, scrub)
            # A broken file's raw lines may repeat a line already parsed.
            if (finding.rule, finding.span) not in seen:
                seen.add((finding.rule, finding.span))
                findings.append(finding)
        findings.sort(key=Finding.sort_key)
        return FileResult(findings, references, self._directives(text), declares)

    def _hit_finding(self, ref: FileRef, locate: Locator, hit: Hit, scrub: _Scrubbers) -> Finding:
        span = locate(hit.scalar, hit.start, hit.end)
        value = hit.scalar.value[hit.start : hit.end]
        # A key path is public structure but for keys that are credentials themselves; a
        # message may also quote the value (a password equal to a key's name is still kept out).
        message = scrub.for_scalar(hit.scalar)(hit.message)
        finding = self._finding(hit.rule, ref, span, scrub.key(hit.scalar.key), message, value, hit.severity)
        return finding._replace(fix=source_fix(locate.text, hit)) if hit.fix is not None else finding


def source_fix(text: str, hit: Hit) -> Fix | None:
    """A hit's fix as offsets into the file's text — only where the replaced text is written as it reads.

    In a plain scalar the value is the written text; in a quoted or block one, the replaced
    text must be written verbatim (no escape or fold inside it) and as often as it occurs in
    the value, so that its occurrence is known. Otherwise no fix: a wrong byte is worse than none.
    """
    fix, scalar = hit.fix, hit.scalar
    if fix is None:
        return None
    old = scalar.value[fix.start : fix.end]
    raw = text[scalar.start : scalar.end]
    if not old or "\n" in old:
        return None
    if raw == scalar.value:
        at = scalar.start + fix.start
    else:
        in_value, in_raw = _starts(scalar.value, old), _starts(raw, old)
        if len(in_value) != len(in_raw) or fix.start not in in_value:
            return None
        at = scalar.start + in_raw[in_value.index(fix.start)]
    return Fix(at, at + len(old), fix.text, old) if text[at : at + len(old)] == old else None


def _starts(haystack: str, needle: str) -> list[int]:
    found, at = [], haystack.find(needle)
    while at >= 0:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


class _Scrubbers:
    """The redaction net of one file: what its plaintext hits matched never reaches a message or a key path.

    A finding's message can quote its own scalar and the keys above it, so each
    finding is scrubbed with its scalar's secrets and the secret keys on its
    key path (found by the path's prefixes: linear in the number of findings).
    """

    def __init__(self, hits: Sequence[Hit]) -> None:
        self._values: dict[tuple[int, str], list[str]] = {}
        #: key path of a mapping key that is itself a credential -> that key
        self._keys: dict[str, str] = {}
        for hit in hits:
            if not hit.rule.startswith("YSL1"):
                continue
            scalar = hit.scalar
            self._values.setdefault((scalar.start, scalar.role), []).append(scalar.value[hit.start : hit.end])
            if scalar.role == "key":
                self._keys[scalar.key] = scalar.value

    def _on_path(self, key: str) -> list[str]:
        if not self._keys or not key:
            return []
        found = [self._keys[key]] if key in self._keys else []
        for at, char in enumerate(key):
            if (char == "." or char == "[") and key[:at] in self._keys:
                found.append(self._keys[key[:at]])
        return found

    def key(self, key: str) -> str:
        on_path = self._on_path(key)
        return redact.Scrubber(on_path)(key) if on_path else key

    def for_scalar(self, scalar: Scalar) -> Callable[[str], str]:
        secrets = self._values.get((scalar.start, scalar.role), []) + self._on_path(scalar.key)
        return redact.Scrubber(secrets) if secrets else _same


def _same(text: str) -> str:
    return text


def _interest(enabled: Sequence[checks.Check], policy: Policy) -> Interest:
    """Everything any check looks at, for the YAML walker's gate."""
    name_tests = [check.names for check in enabled if check.names is not None]

    @lru_cache(maxsize=4096)
    def names(name: str) -> bool:
        return any(test(name, policy) for test in name_tests)

    triggers = {t for check in enabled for t in (check.triggers or ()) + (check.hints or ())}
    words = {w for check in enabled for w in check.words}
    marker = Marker(sorted(triggers)) if triggers else None
    weak, confirm = _weak(enabled, marker, policy) if marker else (0, None)
    return Interest(
        marker=marker,
        words=tuple(sorted(words)),
        lengths=frozenset(n for check in enabled for n in check.lengths),
        names=names if name_tests else None,
        root_keys=frozenset(k for check in enabled for k in check.root_keys),
        weak=weak,
        confirm=confirm,
    )


def _weak(
    enabled: Sequence[checks.Check], marker: Marker, policy: Policy
) -> tuple[int, Callable[[str, int], bool] | None]:
    """The trigger bits every check that names them confirms (``Check.confirms``), and the test
    that wants a value whose marks are all weak: any test of a bit it holds.

    A bit is shared by needles that hold one another, so it is weak only when no
    check names any of its needles without a test.
    """
    strong = weak = 0
    tests: list[tuple[int, Callable[[str, Policy], bool]]] = []
    for check in enabled:
        for trigger in (check.triggers or ()) + (check.hints or ()):
            bit = marker.bits([trigger])
            test = check.confirms.get(trigger)
            if test is None:
                strong |= bit
            else:
                weak |= bit
                tests.append((bit, test))
    weak &= ~strong
    if not weak:
        return 0, None
    by_bit: dict[int, list[Callable[[str, Policy], bool]]] = {}
    for bit, test in tests:
        if bit & weak:
            by_bit.setdefault(bit, []).append(test)
    #: held bits -> the tests of its weak bits: a file's values hold few combinations.
    chosen: dict[int, tuple[Callable[[str, Policy], bool], ...]] = {}

    def confirm(value: str, held: int) -> bool:
        tests = chosen.get(held)
        if tests is None:
            tests = tuple(dict.fromkeys(test for bit, bit_tests in by_bit.items() if held & bit for test in bit_tests))
            if len(chosen) < 1024:
                chosen[held] = tests
        for test in tests:  # noqa: SIM110 - a plain loop: any() would build a generator per value
            if test(value, policy):
                return True
        return False

    return weak, confirm


def _alternation(triggers: tuple[str, ...]) -> re.Pattern[str]:
    # Compiled at first use: a YAML scalar comes with trigger bits and needs none of these.
    return lazyre.compile("|".join(re.escape(t) for t in triggers) or "(?!)")


def default_jobs(file_count: int) -> int:
    if file_count <= PARALLEL_THRESHOLD:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


#: A worker's Linters, one per distinct Settings of the run (one per configuration file).
_workers: list[Linter] = []


def _init_worker(distinct: Sequence[Settings]) -> None:
    global _workers
    _workers = [Linter(s) for s in distinct]


#: A forked worker's files and each one's Linter index, inherited: a job is then only its index.
_jobs: list[tuple[FileRef, int]] = []
_NOTHING = FileResult([], [], (), None)


def _lint_in_worker(job: tuple[FileRef, int] | int) -> FileResult | None:
    """A file's result, or None for a file with nothing in it (most files: nothing to send back)."""
    ref, which = _jobs[job] if isinstance(job, int) else job
    if not _workers:  # pragma: no cover - the pool's initializer always runs first
        raise RuntimeError("worker used before its initializer ran")
    result = _workers[which].lint(ref)
    return None if result == _NOTHING else result


def _size(ref: FileRef) -> int:
    try:
        return os.stat(ref.path).st_size
    except OSError:
        return 0


def lint_files(
    files: Sequence[FileRef], settings: Settings | Sequence[Settings], jobs: int | None = None
) -> Iterator[FileResult]:
    """The result of each file, in the order of ``files`` whatever ``jobs`` is.

    ``settings``: the run's, or each file's (a monorepo's folders may have configurations of their own).
    """
    jobs = default_jobs(len(files)) if jobs is None else jobs
    per_file = [settings] * len(files) if isinstance(settings, Settings) else list(settings)
    distinct = list(dict.fromkeys(per_file))
    which = {s: index for index, s in enumerate(distinct)}
    if jobs <= 1 or len(files) < 2:
        linters: dict[int, Linter] = {}
        for ref, own in zip(files, per_file, strict=True):
            index = which[own]
            linter = linters.get(index) or linters.setdefault(index, Linter(own))
            yield linter.lint(ref)
        return
    from yamlsecretlint import workers  # only a parallel run forks

    global _workers, _jobs
    # Small chunks, as sizes vary a hundredfold; largest files first, so that no worker is left
    # with a big file while the other idles.
    chunk = max(1, min(16, len(files) // (jobs * 32)))
    jobs_of_files = [(ref, which[own]) for ref, own in zip(files, per_file, strict=True)]

    def largest_first() -> list[int]:
        return sorted(range(len(files)), key=lambda i: -_size(files[i]))

    results: list[FileResult | None]
    if workers.available():
        # Built once, here: forked workers inherit them rather than each compiling the rules again.
        _workers, _jobs = [Linter(s) for s in distinct], jobs_of_files
        try:
            results = workers.forked_map(_lint_in_worker, len(files), jobs, chunk, largest_first)
        finally:
            _workers, _jobs = [], []
    else:
        from concurrent.futures import ProcessPoolExecutor

        order = largest_first()
        results = [None] * len(files)
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(distinct,)) as pool:
            done = pool.map(_lint_in_worker, [jobs_of_files[i] for i in order], chunksize=chunk)
            for index, result in zip(order, done, strict=True):
                results[index] = result
    for done_result in results:
        # None: nothing in the file (what the workers send back for most files).
        yield FileResult([], []) if done_result is None else done_result

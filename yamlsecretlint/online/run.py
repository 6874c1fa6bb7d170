"""The online pass: plan, verify, and turn what was learned into findings."""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple, TextIO

from yamlsecretlint import redact, references
from yamlsecretlint.catalog import Rule
from yamlsecretlint.engine import new_finding
from yamlsecretlint.model import Finding, LocatedReference, Reference
from yamlsecretlint.online import BACKENDS, parameters
from yamlsecretlint.online import plan as planning
from yamlsecretlint.online.aws import Clients, OnlineError, Options, bounded_credential_process
from yamlsecretlint.online.principal import BLIND_SPOTS, PrincipalVerifier, resolve_principal
from yamlsecretlint.online.verify import NO_ANSWER, RegionResult, RegionVerifier, Status, Verifier, verify_all

PROGRESS_THRESHOLD = 50
#: ``--principal-arn auto``: each reference as the principal its files name (an ExternalSecret's store role).
AUTO = "auto"
_ROLE_ARN = re.compile(r"^arn:[a-z-]+:iam::[0-9]{12}:role/.+$")


class Outcome(NamedTuple):
    findings: list[Finding]
    #: Why some or all of the check could not run; non-empty means exit 3.
    problems: list[str]
    notes: list[str]
    checked: int


def _progress(stream: TextIO, message: str) -> None:
    if getattr(stream, "isatty", lambda: False)():
        stream.write(f"\r{message}\033[K")
        stream.flush()


def run(
    references: Sequence[LocatedReference],
    options: Options,
    rules: Mapping[str, Rule],
    *,
    env: Mapping[str, str] | None = None,
    clients: Clients | None = None,
    stderr: TextIO = sys.stderr,
) -> Outcome:
    env = os.environ if env is None else env
    unserved = _unserved(references)
    if not any(found.reference.provider in BACKENDS for found in references):
        # Nothing to ask AWS: no call, no credentials needed (a pre-push hook of a developer
        # without AWS access must not be blocked by a file with no references).
        return Outcome([], [], ["online: 0 references to check", *unserved], 0)
    try:
        clients = clients or Clients(options)
        with bounded_credential_process(clients.remaining()):
            checked = _run(references, options, rules, env, clients, stderr)
    except OnlineError as exc:
        return Outcome([], [str(exc)], unserved, 0)
    return checked._replace(notes=[*checked.notes, *unserved])


def _unserved(references: Sequence[LocatedReference]) -> list[str]:
    """References no backend serves, counted by where they point: said, never dropped in silence."""
    counts: dict[str, int] = {}
    for found in references:
        if found.reference.provider not in BACKENDS:
            counts[found.reference.provider] = counts.get(found.reference.provider, 0) + 1
    if not counts:
        return []
    listed = ", ".join(f"{provider} {count}" for provider, count in sorted(counts.items()))
    return [f"online: not checked (no backend reads them): {sum(counts.values())} reference(s): {listed}"]


def _run(
    references: Sequence[LocatedReference],
    options: Options,
    rules: Mapping[str, Rule],
    env: Mapping[str, str],
    clients: Clients,
    stderr: TextIO,
) -> Outcome:
    clients.check_credentials()
    sdk_region = env.get("AWS_REGION") or clients.default_region
    secrets = _secrets(references, options, rules, env, clients, stderr, sdk_region)
    held = _parameters(references, options, rules, env, clients, sdk_region)
    pairs = ((secrets, "secret(s) in Secrets Manager"), (held, "parameter(s) in Parameter Store"))
    counts = [f"{outcome.checked} {name}" for outcome, name in pairs if outcome.checked] or ["0 references"]
    return Outcome(
        secrets.findings + held.findings,
        secrets.problems + held.problems,
        [*secrets.notes, *held.notes, f"online: checked {' and '.join(counts)}"],
        secrets.checked + held.checked,
    )


def _parameters(
    references: Sequence[LocatedReference],
    options: Options,
    rules: Mapping[str, Rule],
    env: Mapping[str, str],
    clients: Clients,
    sdk_region: str | None,
) -> Outcome:
    auto = options.principal_arn == AUTO
    plan = planning.plan(references, options.region, env, sdk_region, provider=parameters.PROVIDER, principals=auto)
    targets = plan.targets()
    if not targets and not plan.unplaced and not plan.computed:
        return Outcome([], [], [], 0)
    principal = _principal(clients, options)

    def verifier(region: str, found: Sequence[planning.Target], describe: set[str]) -> RegionResult:
        return parameters.ParameterVerifier(clients, region, principal).run(found, describe)

    def named(region: str, role: str) -> RegionVerifier:
        return parameters.ParameterVerifier(clients, region, role)

    results = {r.region: r for r in verify_all(targets, {}, _per_principal(verifier, named), clients.remaining())}
    findings, problems = _settle(plan, results, "parameter", _parameter_findings, rules)
    unseen = sum(1 for result in results.values() for status in result.statuses.values() if status.unseen)
    notes = []
    if unseen:
        notes.append(
            f"note: Parameter Store: {unseen} SecureString parameter(s) under a customer-managed key were found, "
            "but whether the caller may kms:Decrypt them was not seen (no value is decrypted, and the IAM "
            "simulator could not be asked for the caller; --principal-arn simulates a named role)"
        )
    secure_keys = sum(
        1
        for found, target in plan.checks
        if found.reference.json_key
        and target.region in results
        and results[target.region].statuses.get(target, NO_ANSWER).detail == "SecureString"
    )
    if secure_keys:
        notes.append(
            f"note: Parameter Store: {secure_keys} JSON key(s) read from SecureString parameters were not checked "
            "(their values are not decrypted)"
        )
    return Outcome(findings, problems, notes, sum(len(found) for found in targets.values()))


def _per_principal(base: Verifier, named: Callable[[str, str], RegionVerifier]) -> Verifier:
    """A region's targets read as their own principal (``auto``) by that principal's verifier, the rest by ``base``."""

    def verify(region: str, found: Sequence[planning.Target], describe: set[str]) -> RegionResult:
        groups: dict[str, list[planning.Target]] = {}
        for target in found:
            groups.setdefault(target.principal, []).append(target)
        results: dict[str, RegionResult] = {}
        for principal, targets in groups.items():
            if not principal:
                results[principal] = base(region, targets, describe)
            elif _ROLE_ARN.match(principal):
                results[principal] = named(region, principal).run(targets, describe)
            else:
                why = f"the role its store assumes, {redact.name(principal)}, is not an IAM role ARN"
                results[principal] = RegionResult(region, "", "", {t: Status("unchecked", why) for t in targets})
        statuses = {t: s for result in results.values() for t, s in result.statuses.items()}
        first = next(iter(results.values()))
        return RegionResult(
            region,
            next((r.account for r in results.values() if r.account), ""),
            results[""].caller if "" in results else first.caller,
            statuses,
            next((r.failure for r in results.values() if r.failure), ""),
        )

    return verify


FindingsOf = Callable[[LocatedReference, planning.Target, RegionResult, Status, Mapping[str, Rule]], list[Finding]]


def _settle(
    plan: planning.Plan,
    results: Mapping[str, RegionResult],
    what: str,
    findings_of: FindingsOf,
    rules: Mapping[str, Rule],
) -> tuple[list[Finding], list[str]]:
    """One backend's findings and what it could not check (never reported clean)."""
    targets = plan.targets()
    problems = _plan_problems(plan, what)
    for result in results.values():
        unchecked = [t for t in targets[result.region] if result.statuses.get(t, NO_ANSWER).state == "unchecked"]
        if unchecked:
            reason = result.failure or next(result.statuses[t].detail for t in unchecked)
            problems.append(f"region {result.region}: {len(unchecked)} {what}(s) not checked: {reason}")
    findings = [_crossed(found, client, source, rules) for found, client, source in plan.crossed]
    for found, target in plan.checks:
        result = results[target.region]
        findings.extend(findings_of(found, target, result, result.statuses.get(target, NO_ANSWER), rules))
    return findings, problems


def _principal(clients: Clients, options: Options) -> str | None:
    """The one principal to simulate (an assumed-role session resolved to its role), or None."""
    if not options.principal_arn or options.principal_arn == AUTO:
        return None
    first_region = options.region or clients.default_region or "us-east-1"
    return resolve_principal(clients.client("iam", first_region), options.principal_arn)


def _secrets(
    references: Sequence[LocatedReference],
    options: Options,
    rules: Mapping[str, Rule],
    env: Mapping[str, str],
    clients: Clients,
    stderr: TextIO,
    sdk_region: str | None,
) -> Outcome:
    auto = options.principal_arn == AUTO
    plan = planning.plan(references, options.region, env, sdk_region, principals=auto)
    targets = plan.targets()
    describe: dict[str, set[str]] = {}
    for found, target in plan.checks:
        if found.reference.needs_describe:
            describe.setdefault(target.region, set()).add(target.secret_id)
    total = sum(len(found) for found in targets.values())
    if total > PROGRESS_THRESHOLD:
        _progress(stderr, f"yamlsecretlint: checking {total} secrets in {len(targets)} regions…")
    verifier = _per_principal(
        _verifier(clients, options), lambda region, role: PrincipalVerifier(clients, region, role)
    )
    results = {r.region: r for r in verify_all(targets, describe, verifier, clients.remaining())}
    if total > PROGRESS_THRESHOLD:
        _progress(stderr, "")
    findings, problems = _settle(plan, results, "secret", _findings, rules)
    notes = [f"note: {BLIND_SPOTS}"] if options.principal_arn else []
    if auto:
        notes.append(_auto_note(references))
    return Outcome(findings, problems, notes, total)


def _auto_note(references: Sequence[LocatedReference]) -> str:
    """What ``auto`` simulated, and what it read as the caller because no file names a principal."""
    served = [found.reference for found in references if found.reference.provider in BACKENDS]
    named = sum(1 for ref in served if ref.principal.startswith("arn:"))
    pending = sum(1 for ref in served if ref.principal and not ref.principal.startswith("arn:"))
    said = f"online: --principal-arn auto: {named} reference(s) simulated as the role their store assumes, "
    said += f"{len(served) - named} checked as the caller"
    if pending:
        said += f" ({pending} through a service account not among the linted files)"
    return said


def _plan_problems(plan: planning.Plan, what: str) -> list[str]:
    """What a plan could not place: no region, or a name known only at deploy time."""
    problems = []
    if plan.unplaced:
        first = plan.unplaced[0]
        problems.append(
            f"no region for {len(plan.unplaced)} {what} reference(s), first at {first.path}:{first.span.line}; "
            "give --region or set AWS_REGION"
        )
    if plan.computed:
        first = plan.computed[0]
        problems.append(
            f"{len(plan.computed)} {what} reference(s) not checked: their name is filled in at deploy time "
            f"(a parameter, a resource, a name the template computes), first at {first.path}:{first.span.line}"
        )
    return problems


def _verifier(clients: Clients, options: Options) -> Verifier:
    principal = _principal(clients, options)
    if principal is None:
        return lambda region, found, describe: RegionVerifier(clients, region).run(found, describe)
    return lambda region, found, describe: PrincipalVerifier(clients, region, principal).run(found, describe)


def _crossed(found: LocatedReference, client: str, source: str, rules: Mapping[str, Rule]) -> Finding:
    """An ARN its reader asks for in another region: Secrets Manager there has no such secret."""
    ref = found.reference
    own = planning.arn_region(ref.secret_id)
    who = references.get(ref.dialect).reader
    message = (
        f"{who} asks Secrets Manager in {redact.name(client)} (from {source}), which cannot read this "
        f"{redact.name(own)} secret: Secrets Manager answers in the client's region whatever the ARN says; "
        f"replicate the secret to {redact.name(client)} or read it in {redact.name(own)}"
    )
    value = f"{client}/{ref.secret_id}/{ref.json_key}"
    return new_finding(rules["YSL406"], found.path, found.span, found.key, message, value)


#: What breaks a value pasted into YAML, by how the tag is quoted there, and what it does.
_BREAKS = {
    "double": ({"double-quote", "backslash", "newline"}, 'inside "…" it ends the string or is read as an escape'),
    "single": ({"single-quote", "newline"}, "inside '…' it ends the string"),
    "plain-start": (
        {"json-object", "indicator", "comment", "colon-space", "newline", "edge-blank"},
        "unquoted, YAML reads it as a mapping, a comment or another kind of value",
    ),
    "plain": ({"comment", "colon-space", "newline", "edge-blank"}, "unquoted, YAML cuts or reshapes it"),
}
_HAZARD_WORDS = {
    "json-object": "is a JSON object",
    "double-quote": 'holds "',
    "backslash": "holds \\",
    "single-quote": "holds '",
    "comment": "holds ' #'",
    "colon-space": "holds ': '",
    "newline": "spans lines",
    "indicator": "starts with a YAML indicator",
    "edge-blank": "starts or ends with a blank",
}


def _pasted(ref: Reference, status: Status) -> str:
    """Why the value Mage pastes into the YAML changes the file; empty when it does not."""
    if not ref.pasted_into or ref.pasted_into not in _BREAKS:
        return ""
    breaking, effect = _BREAKS[ref.pasted_into]
    found = [name for name in _HAZARD_WORDS if name in status.hazards and name in breaking]
    if not found:
        return ""
    if "json-object" in status.hazards and "json-object" not in found:
        found.insert(0, "json-object")  # what the characters come from
    what = ", ".join(_HAZARD_WORDS[name] for name in found)
    fix = (
        f"read one key with json_value(aws_secret_var('{redact.name(ref.secret_id)}'), 'key')"
        if "json-object" in status.hazards
        else "quote the tag so that the value survives, or store a value YAML keeps as written"
    )
    return f"{what}: Mage pastes it into the YAML before parsing, and {effect}; {fix}"


def _who(target: planning.Target, result: RegionResult) -> str:
    return redact.name(target.principal) if target.principal else (result.caller or "the caller")


def _where(target: planning.Target, result: RegionResult) -> str:
    account = f", account {result.account}" if result.account else ""
    return f"({redact.name(target.region)}{account})"


def _findings(
    found: LocatedReference, target: planning.Target, result: RegionResult, status: Status, rules: Mapping[str, Rule]
) -> list[Finding]:
    ref = found.reference
    where = _where(target, result)
    shown_id = redact.name(ref.secret_id)
    secret = f"'{shown_id}'"
    who = _who(target, result)
    hits: list[tuple[str, str]] = []
    if status.state == "missing":
        hits.append(("YSL401", f"secret {secret} not found {where}"))
    elif status.state == "version":
        version = f"version stage '{redact.name(ref.version_stage)}'" if ref.version_stage else ""
        version = version or f"version id '{redact.name(ref.version_id)}'"
        hits.append(("YSL401", f"secret {secret} has no {version} {where}"))
    elif status.state == "deleted":
        on = f" on {status.detail}" if status.detail else ""
        hits.append(("YSL402", f"secret {secret} is scheduled for deletion{on} {where}; restore it with "
                               f"aws secretsmanager restore-secret --secret-id {shown_id}"))  # fmt: skip
    elif status.state == "denied":
        hits.append(("YSL403", f"{who} may not secretsmanager:GetSecretValue on {secret} {where}"))
    elif status.state == "kms":
        hits.append(("YSL404", f"{who} may not kms:Decrypt the key of secret {secret} {where}"))
    elif status.state == "ok":
        if status.describe_denied:
            message = (
                f"{who} may not secretsmanager:DescribeSecret on {secret} {where}, which Mage's "
                "aws-secretsmanager-caching client calls before reading it"
            )
            hits.append(("YSL403", message))
        dialect = references.get(ref.dialect)
        names = dialect.key_names(status.keys or frozenset(), ref.json_key)
        readable = status.string_keys if dialect.string_keys_only and status.keys is not None else status.keys
        if ref.json_key and readable is not None and not any(n in readable for n in names):
            close = difflib.get_close_matches(ref.json_key, sorted(readable), n=1)
            hint = f"; did you mean '{redact.name(close[0])}'?" if close else ""
            looked = " or ".join(f"'{redact.name(n)}'" for n in names)
            if status.keys is not None and any(n in status.keys for n in names):
                hits.append(("YSL405", f"secret {secret} holds {looked} but not as a top-level string, the only "
                                       f"values {dialect.reader} reads {where}"))  # fmt: skip
            else:
                hits.append(("YSL405", f"secret {secret} has no key {looked} {where}{hint}"))
        elif ref.json_key and status.keys is None and status.detail != "simulated":
            hits.append(
                (
                    "YSL405",
                    f"secret {secret} is not a JSON object, so key '{redact.name(ref.json_key)}' "
                    f"cannot be read {where}",
                )
            )
        pasted = _pasted(ref, status)
        if pasted:
            hits.append(("YSL407", f"secret {secret} {pasted} {where}"))
    value = f"{target.region}/{ref.secret_id}/{ref.json_key}"
    return [new_finding(rules[rule], found.path, found.span, found.key, message, value) for rule, message in hits]


#: What a reference's own form expects the parameter's type to be (CloudFormation's two services).
_EXPECTED = {"String": ("String", "StringList"), "SecureString": ("SecureString",)}


def _parameter_findings(
    found: LocatedReference, target: planning.Target, result: RegionResult, status: Status, rules: Mapping[str, Rule]
) -> list[Finding]:
    ref = found.reference
    account = f", account {result.account}" if result.account else ""
    where = f"({redact.name(target.region)}{account})"
    shown = f"'{redact.name(ref.secret_id)}'"
    who = _who(target, result)
    hits: list[tuple[str, str]] = []
    if status.state == "missing":
        hits.append(("YSL401", f"parameter {shown} not found {where}"))
    elif status.state == "version":
        hits.append(("YSL401", f"parameter {shown} has no version {redact.name(ref.version_id)} {where}"))
    elif status.state == "denied":
        hits.append(("YSL403", f"{who} may not ssm:GetParameters on parameter {shown} {where}"))
    elif status.state == "kms":
        hits.append(("YSL404", f"{who} may not kms:Decrypt the key of parameter {shown} {where}"))
    elif status.state == "ok" and ref.parameter_type and status.detail not in _EXPECTED[ref.parameter_type]:
        service = "ssm-secure" if status.detail == "SecureString" else "ssm"
        reads = "{{resolve:ssm:…}} reads String and StringList only"
        if service == "ssm":
            reads = "{{resolve:ssm-secure:…}} reads SecureString only"
        message = (
            f"parameter {shown} is a {redact.name(status.detail)} {where}; {reads}: "
            f"write {{{{resolve:{service}:{redact.name(ref.secret_id)}}}}}"
        )
        hits.append(("YSL408", message))
    elif status.state == "ok" and ref.json_key and status.detail != "SecureString":
        looked = f"'{redact.name(ref.json_key)}'"
        if status.keys is None:
            hits.append(("YSL405", f"parameter {shown} is not a JSON object, so key {looked} cannot be read {where}"))
        elif ref.json_key not in status.keys:
            close = difflib.get_close_matches(ref.json_key, sorted(status.keys), n=1)
            hint = f"; did you mean '{redact.name(close[0])}'?" if close else ""
            hits.append(("YSL405", f"parameter {shown} has no key {looked} {where}{hint}"))
    value = f"{target.region}/{ref.secret_id}"
    return [new_finding(rules[rule], found.path, found.span, found.key, message, value) for rule, message in hits]

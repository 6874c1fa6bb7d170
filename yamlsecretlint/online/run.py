"""The online pass: plan, verify, and turn what was learned into findings."""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple, TextIO

from yamlsecretlint import redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.engine import new_finding
from yamlsecretlint.model import Finding, LocatedReference
from yamlsecretlint.online import plan as planning
from yamlsecretlint.online.aws import Clients, OnlineError, Options
from yamlsecretlint.online.principal import BLIND_SPOTS, PrincipalVerifier, resolve_principal
from yamlsecretlint.online.secret_keys import has_key
from yamlsecretlint.online.verify import RegionResult, RegionVerifier, Status, verify_all

PROGRESS_THRESHOLD = 50


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
    try:
        clients = clients or Clients(options)
        clients.check_credentials()
        sdk_region = env.get("AWS_REGION") or clients.default_region
        plan = planning.plan(references, options.region, env, sdk_region)
        targets = plan.targets()
        describe: dict[str, set[str]] = {}
        for found, target in plan.checks:
            if found.reference.needs_describe:
                describe.setdefault(target.region, set()).add(target.secret_id)
        total = sum(len(ids) for ids in targets.values())
        if total > PROGRESS_THRESHOLD:
            _progress(stderr, f"yamlsecretlint: checking {total} secrets in {len(targets)} regions…")
        verifier = _verifier(clients, options)
        results = {r.region: r for r in verify_all(targets, describe, verifier)}
        if total > PROGRESS_THRESHOLD:
            _progress(stderr, "")
    except OnlineError as exc:
        return Outcome([], [str(exc)], [], 0)
    problems = []
    if plan.unplaced:
        first = plan.unplaced[0]
        problems.append(
            f"no region for {len(plan.unplaced)} reference(s), first at {first.path}:{first.span.line}; "
            "give --region or set AWS_REGION"
        )
    for result in results.values():
        if result.failure:
            unchecked = sum(1 for s in result.statuses.values() if s.state == "unchecked") or len(
                targets[result.region]
            )
            problems.append(f"region {result.region}: {unchecked} secret(s) not checked: {result.failure}")
    findings = []
    for found, target in plan.checks:
        result = results[target.region]
        status = result.statuses.get(target.secret_id, Status("unchecked"))
        findings.extend(_findings(found, target, result, status, rules))
    notes = [f"note: {BLIND_SPOTS}"] if options.principal_arn else []
    return Outcome(findings, problems, notes, total)


def _verifier(clients: Clients, options: Options) -> Callable[[str, Sequence[str], set[str]], RegionResult]:
    if not options.principal_arn:
        return lambda region, ids, describe: RegionVerifier(clients, region).run(ids, describe)
    first_region = options.region or clients.default_region or "us-east-1"
    principal = resolve_principal(clients.client("iam", first_region), options.principal_arn)
    return lambda region, ids, describe: PrincipalVerifier(clients, region, principal).run(ids, describe)


def _where(target: planning.Target, result: RegionResult) -> str:
    account = f", account {result.account}" if result.account else ""
    return f"({target.region}{account})"


def _findings(
    found: LocatedReference, target: planning.Target, result: RegionResult, status: Status, rules: Mapping[str, Rule]
) -> list[Finding]:
    ref = found.reference
    where = _where(target, result)
    shown_id = redact.name(ref.secret_id)
    secret = f"'{shown_id}'"
    who = result.caller or "the caller"
    hits: list[tuple[str, str]] = []
    if status.state == "missing":
        hits.append(("YSL401", f"secret {secret} not found {where}"))
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
        if ref.json_key and status.keys is not None and not has_key(status.keys, ref.dialect, ref.json_key):
            close = difflib.get_close_matches(ref.json_key, sorted(status.keys), n=1)
            hint = f"; did you mean '{redact.name(close[0])}'?" if close else ""
            key = redact.name(ref.json_key)
            looked = f"'spice_{key}' or '{key}'" if ref.dialect == "spice" else f"'{key}'"
            hits.append(("YSL405", f"secret {secret} has no key {looked} {where}{hint}"))
        elif ref.json_key and status.keys is None and status.detail != "simulated":
            hits.append(
                (
                    "YSL405",
                    f"secret {secret} is not a JSON object, so key '{redact.name(ref.json_key)}' "
                    f"cannot be read {where}",
                )
            )
    value = f"{target.region}/{ref.secret_id}/{ref.json_key}"
    return [new_finding(rules[rule], found.path, found.span, found.key, message, value) for rule, message in hits]

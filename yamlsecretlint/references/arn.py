"""A Secrets Manager ARN as a value of its own, in any file; YSL301–YSL306 wherever one stands (grammar: arns.py)."""

from __future__ import annotations

from collections.abc import Iterator

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, TriggeredCheck
from yamlsecretlint.model import Fix, Hit, Reference, RefHit, Scalar
from yamlsecretlint.references.arns import SERVICE, candidates, check, means_secret, parse
from yamlsecretlint.references.dialect import Dialect, file_name
from yamlsecretlint.sources.keypaths import last_key

#: A bare ARN's reader is unknown: it is checked where it says it lives.
DIALECT = Dialect("arn", routes_by_arn=True)
#: Keys whose value holds an IAM resource pattern, where ``*`` and ``?`` are wildcards.
_POLICY_KEYS = frozenset({"Resource", "NotResource", "Resources", "resource", "resources"})


#: The six characters Secrets Manager appends to a secret's name in its ARN.
_SUFFIX = lazyre.compile(r"-[A-Za-z0-9]{6}$")


def _without_suffix(text: str) -> str:
    """Why a policy's secret ARN matches no secret (no suffix, no wildcard), or ''."""
    arn = parse(text)
    if arn is None or arn.service != SERVICE or not arn.resource.startswith("secret:") or arn.extra:
        return ""
    name = arn.name
    if not name or "*" in name or "?" in name or _SUFFIX.search(name):
        return ""
    return (
        f"secret:{redact.name(name)} matches no secret: a secret's ARN ends in -AbCdEf; "
        f"write secret:{redact.name(name)}-?????? or the full ARN"
    )


class ArnCheck(TriggeredCheck):
    """Every Secrets Manager ARN wherever it stands, validated once (YSL301–YSL306).

    A whole value that is a secret's ARN is also recorded as a reference; ARNs
    inside a dialect's own reference (Mage, CloudFormation, ECS, Spice) are
    recorded by that dialect's check, and ARNs in IAM policies are permissions,
    not references.
    """

    triggers = ("arn:",)

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role in ("key", "comment") or "arn:" not in scalar.value:
            return
        name = scalar.name or last_key(scalar.key)
        policy = name in _POLICY_KEYS or ".Statement" in scalar.key or "Statement[" in scalar.key
        for start, end in candidates(scalar.value):
            text = scalar.value[start:end]
            if not means_secret(text):
                continue
            problems = check(text, wildcards=policy)
            for problem in problems:
                fix = Fix(start + problem.fix.start, start + problem.fix.end, problem.fix.text) if problem.fix else None
                yield Hit(problem.rule, scalar, start, end, problem.message, problem.severity, fix)
            if policy and not problems:
                unmatched = _without_suffix(text)
                if unmatched:
                    yield Hit("YSL307", scalar, start, end, unmatched)
            whole = scalar.value.strip().strip("\"'") == text
            if whole and self.context.dialect == "mage" and file_name(self.context.path).startswith("io_config."):
                continue  # Mage passes it on as text (references/mage.py says so): not a reference it reads
            if whole and not policy and name not in ("valueFrom", "ValueFrom"):
                # An ARN CloudFormation fills in (``!Sub …${AWS::Region}…``) is still a reference:
                # online mode resolves the pseudo-parameters or says it could not.
                arn = parse(text)
                if arn is not None and arn.service == SERVICE:
                    ref = Reference("arn", "aws-secretsmanager", text, region=arn.fixed_region)
                    self.found.append(RefHit(ref, scalar, start, end))


def make(rules: list[Rule]) -> list[Check]:
    return [ArnCheck()] if any(r.id.startswith("YSL30") for r in rules) else []

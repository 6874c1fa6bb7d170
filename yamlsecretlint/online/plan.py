"""Which secrets to check, in which region.

The region is the one the real reader's client asks: what the reference or its
file fixes (Serverless's ``${ssm(REGION):…}`` or ``provider.region``, a Spice
store's ``region``); else ``--region`` (or the config's); else the dialect's
default (Mage reads ``AWS_REGION_NAME``, then ``AWS_DEFAULT_REGION``, else
``us-west-2``); else the SDK's default chain. Secrets Manager answers in the
client's region whatever region an ARN names, so an ARN of another region is
unreadable there (``crossed``) — but for readers that route by the ARN (the ECS
agent) or are unknown (a bare ARN), which are checked in the ARN's region.
Secrets are unique per (region, id, version).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from yamlsecretlint import references
from yamlsecretlint.model import LocatedReference
from yamlsecretlint.references import arns

PROVIDER = "aws-secretsmanager"


class Target(NamedTuple):
    """One thing to read: a secret, at the version its reference names (none: the current one)."""

    region: str
    secret_id: str
    version_stage: str = ""
    version_id: str = ""
    #: Who reads it, when not the caller (``--principal-arn auto``: the role its files name).
    principal: str = ""


class Plan(NamedTuple):
    #: Every located reference that is checked, with its target.
    checks: list[tuple[LocatedReference, Target]]
    #: References no region could be found for.
    unplaced: list[LocatedReference]
    #: References whose name is filled in at deploy time from something other than
    #: CloudFormation's pseudo-parameters (``${DbSecretName}``): not checked.
    computed: list[LocatedReference]
    #: ARNs of another region than the one their reader asks: (reference, that region, where it comes from).
    crossed: list[tuple[LocatedReference, str, str]]

    def targets(self) -> dict[str, list[Target]]:
        """Unique targets per region, in first-seen order."""
        by_region: dict[str, dict[Target, None]] = {}
        for _, target in self.checks:
            by_region.setdefault(target.region, {})[target] = None
        return {region: list(found) for region, found in by_region.items()}


def client_region(
    found: LocatedReference, region: str | None, env: Mapping[str, str], sdk_region: str | None
) -> tuple[str, str]:
    """The region the reader's client asks, and where that comes from ("" when nothing says)."""
    ref = found.reference
    dialect = references.get(ref.dialect)
    fixed = dialect.fixed_region(ref.region, env)
    if fixed:
        return fixed, "the reference or its file"
    if region:
        return region, "--region"
    default = dialect.default_region(ref.region, env)
    if default:
        return default, dialect.default_rule or f"{ref.dialect}'s default"
    return (sdk_region, "the SDK's chain (AWS_REGION, the AWS config)") if sdk_region else ("", "")


def region_for(found: LocatedReference, region: str | None, env: Mapping[str, str], sdk_region: str | None) -> str:
    """The region to check ``found`` in: its ARN's for a reader that routes by it, else its client's."""
    ref = found.reference
    parsed = arns.parse(ref.secret_id) if ref.secret_id.startswith("arn:") else None
    if parsed is not None and parsed.fixed_region and references.get(ref.dialect).routes_by_arn:
        return parsed.fixed_region
    client, _ = client_region(found, region, env, sdk_region)
    return client or (parsed.fixed_region if parsed is not None else "")


def plan(
    references: Sequence[LocatedReference],
    region: str | None,
    env: Mapping[str, str],
    sdk_region: str | None,
    provider: str = PROVIDER,
    principals: bool = False,
) -> Plan:
    """``principals``: each target carries the principal its reference names (``--principal-arn auto``)."""
    checks: list[tuple[LocatedReference, Target]] = []
    unplaced: list[LocatedReference] = []
    computed: list[LocatedReference] = []
    crossed: list[tuple[LocatedReference, str, str]] = []
    for found in references:
        if found.reference.provider != provider:
            continue
        where = region_for(found, region, env, sdk_region)
        own = arn_region(found.reference.secret_id)
        if own and where and own != where:
            crossed.append((found, where, client_region(found, region, env, sdk_region)[1]))
            continue
        if not where:
            unplaced.append(found)
            continue
        ref = found.reference
        secret_id = fill_pseudo_parameters(ref.secret_id, where)
        if secret_id is None:
            computed.append(found)
            continue
        principal = ref.principal if principals and ref.principal.startswith("arn:") else ""
        checks.append((found, Target(where, secret_id, ref.version_stage, ref.version_id, principal)))
    return Plan(checks, unplaced, computed, crossed)


def arn_region(secret_id: str) -> str:
    parsed = arns.parse(secret_id) if secret_id.startswith("arn:") else None
    return parsed.fixed_region if parsed is not None else ""


#: Filled in by the verifier, once it knows the account it checks.
ACCOUNT_ID = "${AWS::AccountId}"


def fill_pseudo_parameters(secret_id: str, region: str) -> str | None:
    """``${AWS::Region}`` and ``${AWS::Partition}`` as a deploy in ``region`` fills them.

    ``${AWS::AccountId}`` is left for the verifier; any other ``${…}`` is a stack
    parameter or resource the linter cannot know: None.
    """
    if "${" not in secret_id:
        return secret_id
    filled = secret_id.replace("${AWS::Region}", region).replace("${AWS::Partition}", arns.partition_of(region))
    rest = filled.replace(ACCOUNT_ID, "")
    return None if "${" in rest else filled

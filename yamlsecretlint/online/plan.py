"""Which secrets to check, in which region.

Region per reference: the ARN's own, or what the dialect says the reference
fixes (Serverless's ``${ssm(REGION):…}``); else ``--region`` (or the config's);
else the dialect's default (references/: Mage reads ``AWS_REGION_NAME``, then
``AWS_DEFAULT_REGION``, else ``us-west-2``; Spice its store's region param);
else the SDK's default chain. Secrets are unique per (region, id, version).
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


class Plan(NamedTuple):
    #: Every located reference that is checked, with its target.
    checks: list[tuple[LocatedReference, Target]]
    #: References no region could be found for.
    unplaced: list[LocatedReference]
    #: References whose name is filled in at deploy time from something other than
    #: CloudFormation's pseudo-parameters (``${DbSecretName}``): not checked.
    computed: list[LocatedReference]

    def targets(self) -> dict[str, list[Target]]:
        """Unique targets per region, in first-seen order."""
        by_region: dict[str, dict[Target, None]] = {}
        for _, target in self.checks:
            by_region.setdefault(target.region, {})[target] = None
        return {region: list(found) for region, found in by_region.items()}


def region_for(found: LocatedReference, region: str | None, env: Mapping[str, str], sdk_region: str | None) -> str:
    ref = found.reference
    if ref.secret_id.startswith("arn:"):
        parsed = arns.parse(ref.secret_id)
        if parsed is not None and parsed.fixed_region:
            return parsed.fixed_region
    dialect = references.get(ref.dialect)
    fixed = dialect.fixed_region(ref.region, env)
    if fixed:
        return fixed
    if region:
        return region
    return dialect.default_region(ref.region, env) or sdk_region or ""


def plan(
    references: Sequence[LocatedReference], region: str | None, env: Mapping[str, str], sdk_region: str | None
) -> Plan:
    checks: list[tuple[LocatedReference, Target]] = []
    unplaced: list[LocatedReference] = []
    computed: list[LocatedReference] = []
    for found in references:
        if found.reference.provider != PROVIDER:
            continue
        where = region_for(found, region, env, sdk_region)
        if not where:
            unplaced.append(found)
            continue
        ref = found.reference
        secret_id = fill_pseudo_parameters(ref.secret_id, where)
        if secret_id is None:
            computed.append(found)
            continue
        checks.append((found, Target(where, secret_id, ref.version_stage, ref.version_id)))
    return Plan(checks, unplaced, computed)


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

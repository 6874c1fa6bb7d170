"""Which secrets to check, in which region.

Region per reference: the ARN's own; else ``--region`` (or the config's);
else the dialect's own rule — Mage reads ``AWS_REGION_NAME``, then
``AWS_DEFAULT_REGION``, else uses ``us-west-2``; Spice uses its store's
``aws_region`` param; Serverless its ``${ssm(REGION):…}`` — else the SDK's
default chain. Secrets are unique per (region, id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from yamlsecretlint.model import LocatedReference
from yamlsecretlint.references import arn

PROVIDER = "aws-secretsmanager"
MAGE_DEFAULT_REGION = "us-west-2"


class Target(NamedTuple):
    region: str
    secret_id: str


class Plan(NamedTuple):
    #: Every located reference that is checked, with its target.
    checks: list[tuple[LocatedReference, Target]]
    #: References no region could be found for.
    unplaced: list[LocatedReference]

    def targets(self) -> dict[str, list[str]]:
        """Unique secret ids per region, in first-seen order."""
        by_region: dict[str, dict[str, None]] = {}
        for _, target in self.checks:
            by_region.setdefault(target.region, {})[target.secret_id] = None
        return {region: list(ids) for region, ids in by_region.items()}


def region_for(found: LocatedReference, region: str | None, env: Mapping[str, str], sdk_region: str | None) -> str:
    ref = found.reference
    if ref.secret_id.startswith("arn:"):
        parsed = arn.parse(ref.secret_id)
        if parsed is not None and parsed.region:
            return parsed.region
    if ref.dialect == "serverless" and ref.region:
        return ref.region
    if region:
        return region
    if ref.dialect == "mage":
        return env.get("AWS_REGION_NAME") or env.get("AWS_DEFAULT_REGION") or MAGE_DEFAULT_REGION
    if ref.region:
        return ref.region
    return sdk_region or ""


def plan(
    references: Sequence[LocatedReference], region: str | None, env: Mapping[str, str], sdk_region: str | None
) -> Plan:
    checks: list[tuple[LocatedReference, Target]] = []
    unplaced: list[LocatedReference] = []
    for found in references:
        if found.reference.provider != PROVIDER:
            continue
        where = region_for(found, region, env, sdk_region)
        if where:
            checks.append((found, Target(where, found.reference.secret_id)))
        else:
            unplaced.append(found)
    return Plan(checks, unplaced)

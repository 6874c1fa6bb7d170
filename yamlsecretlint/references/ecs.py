"""ECS task definitions: ``valueFrom`` with a secret's ARN (YSL206).

``valueFrom: arn:…:secret:NAME-AbCdEf[:json-key:version-stage:version-id]``: the
extended form needs all its colons; stage and id not both. A parameter's ARN or
name is Parameter Store's, not checked here. The ARN's own region is the one read.
"""

from __future__ import annotations

from collections.abc import Iterator

from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, TriggeredCheck
from yamlsecretlint.model import Hit, Reference, RefHit, Scalar
from yamlsecretlint.references import arns
from yamlsecretlint.references.dialect import Dialect
from yamlsecretlint.sources.keypaths import last_key

#: The ECS agent reads each secret in the region its ARN names (amazon-ecs-agent: agent/api/task/task.go
#: groups a task's secrets by region, taskresource/asmsecret/asmsecret.go makes a client per region).
DIALECT = Dialect("ecs", routes_by_arn=True)


class ValueFromCheck(TriggeredCheck):
    triggers = ("arn:",)

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role not in ("value", "line") or not scalar.value.startswith("arn:"):
            return
        if (scalar.name or last_key(scalar.key)) in ("valueFrom", "ValueFrom"):
            yield from self._value_from(scalar)

    def _value_from(self, scalar: Scalar) -> Iterator[Hit]:
        value = scalar.value.strip()
        fields = value.split(":")
        if len(fields) < 3 or fields[2] != "secretsmanager":
            return  # an SSM parameter: nothing to check here
        form = "arn:…:secret:NAME-AbCdEf:json-key:version-stage:version-id"
        end = len(scalar.value)
        if len(fields) > 7 and len(fields) != 10:
            message = f"the extended valueFrom form needs all its colons ({len(fields) - 1} found, 9 needed): {form}"
            yield Hit("YSL206", scalar, 0, end, message)
            return
        extra = fields[7:] + [""] * (10 - max(len(fields), 7))
        json_key, stage, version = extra[:3]
        if stage and version:
            yield Hit("YSL206", scalar, 0, end, "give version-stage or version-id, not both")
            return
        secret_arn = ":".join(fields[:7])
        parsed = arns.parse(secret_arn)
        ref = Reference(
            "ecs", "aws-secretsmanager", secret_arn, json_key, stage, version, parsed.fixed_region if parsed else ""
        )
        self.found.append(RefHit(ref, scalar, 0, end))


def make(rules: list[Rule]) -> list[Check]:
    return [ValueFromCheck()] if any(r.id in ("YSL206", "YSL202") for r in rules) else []

"""ECS task definitions: ``valueFrom`` with a secret's ARN (YSL206).

``valueFrom: arn:…:secret:NAME-AbCdEf[:json-key:version-stage:version-id]``: the
extended form needs all its colons; stage and id not both. A parameter's ARN or
name is Parameter Store's, not checked here. The ARN's own region is the one read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check
from yamlsecretlint.model import Hit, Reference, RefHit, Scalar
from yamlsecretlint.policy import Policy
from yamlsecretlint.references import arns
from yamlsecretlint.references.dialect import Dialect
from yamlsecretlint.sources.keypaths import last_key

#: The ECS agent reads each secret in the region its ARN names (amazon-ecs-agent: agent/api/task/task.go
#: groups a task's secrets by region, taskresource/asmsecret/asmsecret.go makes a client per region).
DIALECT = Dialect("ecs", routes_by_arn=True)


_VALUE_FROM = frozenset({"valueFrom", "ValueFrom"})


def _value_from_name(name: str, policy: Policy) -> bool:
    return name in _VALUE_FROM


class ValueFromCheck(Check):
    # Every valueFrom value, ARN or parameter name: the walker yields values filed under these names.
    hints: tuple[str, ...] = ()
    names = staticmethod(_value_from_name)
    roles = frozenset({"value", "line"})

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        if (scalar.name or last_key(scalar.key)) not in _VALUE_FROM or scalar.role not in ("value", "line"):
            return ()
        if scalar.value.startswith("arn:"):
            return list(self._value_from(scalar))
        name = scalar.value.strip()
        if name and "${" not in name and not scalar.tag:
            # Not an ARN: a parameter of the task's own region, by name (ECS's "name of the parameter").
            self.found.append(RefHit(Reference("ecs", "ssm", name), scalar, 0, len(scalar.value)))
        return ()

    def _value_from(self, scalar: Scalar) -> Iterator[Hit]:
        value = scalar.value.strip()
        fields = value.split(":")
        if len(fields) < 3 or fields[2] != "secretsmanager":
            if len(fields) >= 6 and fields[2] == "ssm" and fields[5].startswith("parameter/"):
                # A parameter's ARN: the agent reads it in the ARN's region, by its ARN.
                ref = Reference("ecs", "ssm", value, region=fields[3])
                self.found.append(RefHit(ref, scalar, 0, len(scalar.value)))
            return
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

"""AWS Copilot manifests: ``secrets:`` (YSL206, YSL202).

As Copilot reads them (aws/copilot-cli, internal/pkg/manifest/workload_ecs.go
``Secret.UnmarshalYAML``, and internal/pkg/template/workload.go), each entry of
a ``secrets:`` map (at the top, per environment, per sidecar, and logging's
``secretOptions``) is one of:

- ``{secretsmanager: NAME[:json-key:version-stage:version-id]}``: a Secrets
  Manager secret by name. Copilot writes it into the task definition as
  ``arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:NAME…``,
  so the ECS agent reads it in the environment's region, and the extended form
  follows ECS's rule: all three colons, stage and id not both;
- a plain string: an SSM parameter name, or an ARN (a secret's ARN is the arn
  dialect's, checked where it says it lives);
- ``{from_cfn: EXPORT}``: a CloudFormation export, filled in at deploy time.

A manifest's ``${VAR}`` is filled from the deploying shell's environment
(internal/pkg/manifest interpolation): a name holding one is computed, listed
and reported online as not checked, never judged as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from yamlsecretlint import lazyre
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context
from yamlsecretlint.model import Hit, Reference, RefHit, Scalar
from yamlsecretlint.references.dialect import Dialect, file_name
from yamlsecretlint.references.secret_names import name_hit
from yamlsecretlint.sources.facts import holds
from yamlsecretlint.sources.keypaths import segments

#: internal/pkg/manifest: the workload and environment types a manifest declares.
_TYPE = lazyre.compile(
    r"^type:[ \t]*['\"]?(?:Load Balanced Web Service|Backend Service|Worker Service|Request-Driven Web Service|"
    r"Scheduled Job|Static Site|Environment)['\"]?[ \t]*$",
    re.M,
)
_SECRET_MAPS = frozenset({"secrets", "secretOptions"})


def _detect(path: str, text: str) -> bool:
    if not file_name(path).endswith(("manifest.yml", "manifest.yaml")):
        return False
    return "copilot/" in path or (holds(text, "type:") and _TYPE.search(text) is not None)


DIALECT = Dialect(
    "copilot",
    detect=_detect,
    hint=lambda name: f"store it in AWS Secrets Manager and list it under secrets: as {{secretsmanager: '{name}'}}",
    # The ARN Copilot writes names ${AWS::Region}: the environment's region, --region or the SDK's chain.
    default_region=lambda region, env: "",
    reader="Copilot's ECS task",
)


class CopilotSecretsCheck(Check):
    hints: tuple[str, ...] = ()  # nothing to search for: the place is what counts
    roles = frozenset({"value"})
    root_keys = frozenset({"secrets", "environments", "sidecars", "logging"})

    def applies(self, context: Context) -> bool:
        return context.dialect == "copilot"

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        if "secret" not in scalar.key:
            return ()
        return list(self._scan(scalar))

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        parts = segments(scalar.key)
        if len(parts) >= 3 and parts[-3] in _SECRET_MAPS and parts[-1] == "secretsmanager":
            yield from self._secrets_manager(scalar)
        elif len(parts) >= 2 and parts[-2] in _SECRET_MAPS and not scalar.value.startswith("arn:"):
            name = scalar.value.strip()
            if name:
                self.found.append(RefHit(Reference("copilot", "ssm", name), scalar, 0, len(scalar.value)))

    def _secrets_manager(self, scalar: Scalar) -> Iterator[Hit]:
        value = scalar.value.strip()
        end = len(scalar.value)
        name, *extra = value.split(":")
        form = "NAME:json-key:version-stage:version-id"
        if extra and len(extra) != 3:
            message = f"the extended secretsmanager form needs all its colons ({len(extra)} found, 3 needed): {form}"
            yield Hit("YSL206", scalar, 0, end, message)
            return
        json_key, stage, version = [*extra, "", "", ""][:3]
        if stage and version:
            yield Hit("YSL206", scalar, 0, end, "give version-stage or version-id, not both")
            return
        # Copilot fills `${VAR}` from the deploying shell's environment: the name is known only then.
        invalid = name_hit(scalar, 0, end, name) if "${" not in name else None
        if invalid is not None:
            yield invalid
            return
        ref = Reference("copilot", "aws-secretsmanager", name, json_key, stage, version)
        self.found.append(RefHit(ref, scalar, 0, end))


def make(rules: list[Rule]) -> list[Check]:
    return [CopilotSecretsCheck()] if any(r.id in ("YSL206", "YSL202") for r in rules) else []

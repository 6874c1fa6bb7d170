"""CloudFormation dynamic references, ECS ``valueFrom`` and Serverless SSM paths (YSL206).

- ``{{resolve:secretsmanager:SECRET-ID:SecretString:json-key:version-stage:version-id}}``:
  SECRET-ID a name or a full ARN (with its own colons); ``SecretString`` the
  only secret-string value; stage and id not both; no ``:`` in the optional
  parts; no blanks anywhere. Also inside ``!Sub`` / ``Fn::Sub`` strings.
- ``{{resolve:ssm:NAME[:VERSION]}}`` and ``{{resolve:ssm-secure:NAME[:VERSION]}}``.
- ECS ``valueFrom: arn:…:secret:NAME-AbCdEf[:json-key:version-stage:version-id]``:
  the extended form needs all its colons; stage and id not both.
- Serverless ``${ssm:/aws/reference/secretsmanager/NAME}`` and ``${ssm(REGION):…}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.checks.base import Check
from yamlsecretlint.model import Hit, Reference, RefHit, Scalar
from yamlsecretlint.references import arns
from yamlsecretlint.references.secret_names import name_hit, secret_id_hit
from yamlsecretlint.sources.keypaths import last_key

_DYNAMIC = lazyre.compile(r"\{\{(?P<body>[^{}]*?(?:resolve|ssm|secretsmanager)[^{}]*?)\}\}")
_SERVICES = ("secretsmanager", "ssm", "ssm-secure")
_SSM_NAME = lazyre.compile(r"^(?:arn:[^:]+:ssm:[^:]*:[0-9]*:parameter)?/?[a-zA-Z0-9_.\-/]+$")
_VERSION = lazyre.compile(r"^[0-9]+$")
_SERVERLESS = lazyre.compile(r"\$\{ssm(?:\((?P<region>[^)]*)\))?:(?P<path>/aws/reference/secretsmanager/[^}]*)\}")
_SERVERLESS_PREFIX = "/aws/reference/secretsmanager/"


def _secret_id_and_rest(rest: str) -> tuple[str, list[str]]:
    """Split after ``secretsmanager:``; an ARN secret id keeps its own seven fields."""
    fields = rest.split(":")
    if fields[0] == "arn":
        return ":".join(fields[:7]), fields[7:]
    return fields[0], fields[1:]


class CloudFormationCheck(Check):
    triggers = ("{{", "${ssm", "arn:")

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        # A plain function in front of the generator: most scalars stop at this gate.
        value = scalar.value
        if not ("{{" in value or "${ssm" in value or scalar.name in ("valueFrom", "ValueFrom")):
            return ()
        return list(self._scan(scalar))

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role not in ("value", "line"):
            return
        value = scalar.value
        if "{{" in value and ("resolve" in value or "ssm" in value or "secretsmanager" in value):
            for match in _DYNAMIC.finditer(value):
                yield from self._dynamic(scalar, match)
        if "${ssm" in value:
            for match in _SERVERLESS.finditer(value):
                yield from self._serverless(scalar, match)
        name = scalar.name or last_key(scalar.key)
        if name in ("valueFrom", "ValueFrom") and value.startswith("arn:"):
            yield from self._value_from(scalar)

    def _dynamic(self, scalar: Scalar, match: re.Match[str]) -> Iterator[Hit]:
        import difflib  # close-match suggestions only: most runs never make one

        start, end = match.span()
        body = match.group("body")
        text = match.group()
        if any(quote in body for quote in "'\"`"):
            return  # a reference being built from pieces (!Join, a template's raw string), not one
        if body != body.strip():
            yield Hit(
                "YSL206",
                scalar,
                start,
                end,
                f"no blanks inside a dynamic reference: write {{{{{_without_blanks(body)}}}}}",
            )
            return
        head, _, rest = body.partition(":")
        if head != "resolve":
            if head in _SERVICES or head == "":
                yield Hit(
                    "YSL206", scalar, start, end, f"'{redact.name(text)}' lacks 'resolve': write {{{{resolve:…}}}}"
                )
            return
        service, _, rest = rest.partition(":")
        if service not in _SERVICES:
            close = difflib.get_close_matches(service, _SERVICES, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else " (secretsmanager, ssm or ssm-secure)"
            yield Hit("YSL206", scalar, start, end, f"unknown dynamic reference service '{redact.name(service)}'{hint}")
            return
        if service == "secretsmanager":
            yield from self._secretsmanager(scalar, start, end, rest)
        else:
            yield from self._ssm(scalar, start, end, service, rest)

    def _secretsmanager(self, scalar: Scalar, start: int, end: int, rest: str) -> Iterator[Hit]:
        form = "{{resolve:secretsmanager:SECRET-ID:SecretString:json-key:version-stage:version-id}}"
        secret_id, fields = _secret_id_and_rest(rest)
        if not secret_id:
            yield Hit("YSL206", scalar, start, end, f"the secret id is empty; write {form}")
            return
        if len(fields) > 4:
            yield Hit("YSL206", scalar, start, end, f"too many ':' fields (no ':' inside the optional parts); {form}")
            return
        fields += [""] * (4 - len(fields))
        secret_string, json_key, stage, version = fields
        if secret_string not in ("", "SecretString"):
            yield Hit(
                "YSL206", scalar, start, end, f"'{redact.name(secret_string)}' must be SecretString (or empty); {form}"
            )
            return
        if stage and version:
            yield Hit("YSL206", scalar, start, end, "give version-stage or version-id, not both")
            return
        region, invalid = secret_id_hit(scalar, start, end, secret_id)
        if invalid is not None:
            yield invalid
            return
        ref = Reference("cloudformation", "aws-secretsmanager", secret_id, json_key, stage, version, region)
        self.found.append(RefHit(ref, scalar, start, end))

    def _ssm(self, scalar: Scalar, start: int, end: int, service: str, rest: str) -> Iterator[Hit]:
        form = f"{{{{resolve:{service}:PARAMETER-NAME[:VERSION]}}}}"
        if rest.startswith("arn:"):
            fields = rest.split(":")
            name, version = ":".join(fields[:6]), ":".join(fields[6:])
        else:
            name, _, version = rest.partition(":")
        if not name or not _SSM_NAME.match(name):
            yield Hit("YSL206", scalar, start, end, f"invalid parameter name '{redact.name(name)}'; write {form}")
        elif version and not _VERSION.match(version):
            yield Hit(
                "YSL206", scalar, start, end, f"version '{redact.name(version)}' must be a whole number; write {form}"
            )
        else:
            self.found.append(RefHit(Reference("cloudformation", "ssm", name, version_id=version), scalar, start, end))

    def _serverless(self, scalar: Scalar, match: re.Match[str]) -> Iterator[Hit]:
        start, end = match.span()
        name = match.group("path")[len(_SERVERLESS_PREFIX) :].removesuffix("~true")
        region = (match.group("region") or "").strip()
        if region in ("raw", "noDecrypt"):
            region = ""
        if not name:
            yield Hit("YSL206", scalar, start, end, f"the secret name is empty: ${{ssm:{_SERVERLESS_PREFIX}NAME}}")
            return
        invalid = name_hit(scalar, start, end, name)
        if invalid is not None:
            yield invalid
            return
        self.found.append(
            RefHit(Reference("serverless", "aws-secretsmanager", name, region=region), scalar, start, end)
        )

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


def _without_blanks(body: str) -> str:
    return ":".join(redact.name(part.strip()) for part in body.split(":"))


def make(rules: list[Rule]) -> list[Check]:
    return [CloudFormationCheck()] if any(r.id in ("YSL206", "YSL202") for r in rules) else []

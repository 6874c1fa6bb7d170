"""CloudFormation: templates, and their dynamic references (YSL206).

- ``{{resolve:secretsmanager:SECRET-ID:SecretString:json-key:version-stage:version-id}}``:
  SECRET-ID a name or a full ARN (with its own colons); ``SecretString`` the
  only secret-string value; stage and id not both; no ``:`` in the optional
  parts; no blanks anywhere. Also inside ``!Sub`` / ``Fn::Sub`` strings.
- ``{{resolve:ssm:NAME[:VERSION]}}`` and ``{{resolve:ssm-secure:NAME[:VERSION]}}``: a
  parameter name, never a parameter ARN (YSL206).

Where CloudFormation resolves them (YSL208), as cfn-lint's E1051/E1052/E1027
(src/cfnlint/rules/functions/DynamicReference*.py) and AWS's dynamic-reference
guides say: ``secretsmanager`` and ``ssm-secure`` only in resource properties
(``secretsmanager`` also in a parameter's Default), never in resource
Metadata such as ``AWS::CloudFormation::Init``, Outputs or a custom resource;
``ssm`` in resource properties and metadata, parameter Defaults and
AllowedValues (with a version there) and output Values.

ECS ``valueFrom`` (references/ecs.py) and Serverless (references/serverless.py)
live beside templates but are dialects of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context, TriggeredCheck
from yamlsecretlint.model import Fix, Hit, Reference, RefHit, Scalar
from yamlsecretlint.policy import Policy
from yamlsecretlint.references.dialect import Dialect, file_name
from yamlsecretlint.references.secret_names import secret_id_hit
from yamlsecretlint.references.spelling import only_candidate
from yamlsecretlint.sources import template
from yamlsecretlint.sources.facts import holds
from yamlsecretlint.sources.keypaths import segments

#: What makes ``{{ … }}`` a dynamic reference at all: AWS's pattern ``{{resolve:service-name:reference-key}}``
#: (cfn-lint: src/cfnlint/helpers.py REGEX_DYN_REF, rules/functions/DynamicReference.py), also when it
#: is written with blanks or without ``resolve`` (reported). Ansible's ``{{ x_resolved.name }}``,
#: Helm's ``{{ .Values.ssm.path }}`` and GitHub's ``${{ steps.resolve.outputs.x }}`` are not.
_HEAD = lazyre.compile(r"^\s*:?(?:resolve|ssm|ssm-secure|secretsmanager)\s*:")
_SERVICES = ("secretsmanager", "ssm", "ssm-secure")
_SSM_NAME = lazyre.compile(r"^/?[a-zA-Z0-9_.\-/]+$")
_VERSION = lazyre.compile(r"^[0-9]+$")


def _detect(path: str, text: str) -> bool:
    return holds(text, "AWSTemplateFormatVersion") or (holds(text, "Resources:") and resources_line(text))


def resources_line(text: str) -> bool:
    """Whether a line is ``Resources:`` and blanks (``re.search(r"^Resources:\\s*$", text, re.M)``).

    Found with str.find, each hit's line tested: the regex tries ``^`` at every
    offset of the text, ~70 us a call on the CloudFormation files of the corpus.
    """
    at = text.find("Resources:")
    while at >= 0:
        if at == 0 or text[at - 1] == "\n":
            end = text.find("\n", at)
            rest = text[at + len("Resources:") : end if end >= 0 else len(text)]
            if not rest or rest.isspace():
                return True
        at = text.find("Resources:", at + 1)
    return False


_PARAMETER_DEFAULT = lazyre.compile(r"^Parameters\.[^.]+\.Default$")
_ECS_ENVIRONMENT = lazyre.compile(r"(?:^|\.)Environment\[[0-9]+\]\.Value$")


def _hint_at(key: str, name: str) -> str:
    """Where a dynamic reference is not what AWS resolves: a parameter's Default, a container's Environment."""
    if _PARAMETER_DEFAULT.match(key):
        # Dynamic references are resolved in resource properties only (AWS's dynamic-references guide).
        return (
            "remove the Default and pass the value when the stack is deployed (NoEcho: true), or reference "
            f'the secret where the value is used: "{{{{resolve:secretsmanager:{name}:SecretString}}}}"'
        )
    if _ECS_ENVIRONMENT.search(key):
        return "move it from Environment to Secrets, with ValueFrom: the secret's ARN (ECS injects it at start)"
    return ""


DIALECT = Dialect(
    "cloudformation",
    detect=_detect,
    # Quoted: unquoted, YAML reads `{{…}}` as a mapping, which CloudFormation never resolves.
    hint=lambda name: f'write "{{{{resolve:secretsmanager:{name}:SecretString}}}}"',
    hint_at=_hint_at,
    # A stack resolves its references in its own region: --region, else the SDK's chain.
    default_region=lambda region, env: "",
    reader="the stack",
)


def _secret_id_and_rest(rest: str) -> tuple[str, list[str]]:
    """Split after ``secretsmanager:``; an ARN secret id keeps its own seven fields."""
    fields = rest.split(":")
    if fields[0] == "arn":
        return ":".join(fields[:7]), fields[7:]
    return fields[0], fields[1:]


#: A template's top-level sections; SAM's Globals are copied into its resources' properties.
_SECTIONS = frozenset(
    "AWSTemplateFormatVersion Description Metadata Parameters Rules Mappings Conditions Transform Resources Outputs "
    "Globals".split()
)
_CUSTOM = ("Custom::", "AWS::CloudFormation::CustomResource")


def _in_template(key: str, serverless: bool) -> list[str] | None:
    """The key path inside the template (``Resources``, id, ``Properties``, …); None when not laid out as one.

    A Serverless file holds its template under ``resources:``.
    """
    parts = segments(key)
    if serverless:
        if len(parts) < 2 or parts[0] != "resources":
            return None
        parts = parts[1:]
    return parts if parts and parts[0] in _SECTIONS else None


def _misplaced(service: str, parts: list[str], version: str) -> str:
    """Why CloudFormation does not resolve a ``service`` reference at ``parts``; empty when it does."""
    section, place = parts[0], parts[2] if len(parts) > 2 else ""
    if section == "Globals" or (section == "Resources" and place == "Properties"):
        return ""
    if service == "ssm":
        if section == "Parameters" and place in ("Default", "AllowedValues"):
            # AWS, dynamic-references-ssm: "you must include a version number" in Parameters.
            return "" if version else "an ssm reference in Parameters needs a version: {{resolve:ssm:NAME:VERSION}}"
        if (section == "Resources" and place == "Metadata") or (section == "Outputs" and place == "Value"):
            return ""
        return (
            "CloudFormation resolves ssm references only in resource properties and metadata, "
            "parameter defaults and allowed values, and output values"
        )
    if service == "secretsmanager" and section == "Parameters" and place == "Default":
        return ""
    where = "resource Metadata (AWS::CloudFormation::Init gets the text as written)" if place == "Metadata" else section
    return f"CloudFormation resolves {service} references only in resource properties, not in {where}"


def _may_resolve(value: str, policy: Policy) -> bool:
    """What a value whose only trigger is ``{{`` holds for ``_scan`` to read a dynamic reference in it."""
    return "resolve" in value or "ssm" in value or "secretsmanager" in value


class CloudFormationCheck(TriggeredCheck):
    # The custom resources' types: what CloudFormation passes them is not resolved.
    triggers = ("{{", *_CUSTOM)
    confirms = MappingProxyType({"{{": _may_resolve})

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._serverless = file_name(context.path).startswith("serverless.")
        self._placed = self._serverless or context.dialect == "cloudformation"
        #: (doc, resource path) of custom resources, and hits that stand only if theirs is one.
        self._custom: set[tuple[int, str]] = set()
        self._in_resource: list[tuple[tuple[int, str], Hit]] = []

    def finish(self) -> Iterator[Hit]:
        for resource, hit in self._in_resource:
            if resource in self._custom:
                yield hit
        self._in_resource = []

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role not in ("value", "line"):
            return
        value = scalar.value
        if self._placed and scalar.role == "value" and value.startswith(_CUSTOM) and scalar.key.endswith(".Type"):
            self._custom.add((scalar.doc, scalar.key[: -len(".Type")]))
        if _may_resolve(value, self.context.policy):
            for expression in template.expressions(value):
                body = value[expression.start + 2 : expression.end - 2]
                # Braces inside: a reference built from pieces (`!Sub` variables), not one.
                if "{" not in body and "}" not in body and _HEAD.match(body):
                    yield from self._dynamic(scalar, expression.start, expression.end, body)

    def _dynamic(self, scalar: Scalar, start: int, end: int, body: str) -> Iterator[Hit]:
        import difflib  # close-match suggestions only: most runs never make one

        text = scalar.value[start:end]
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
            message = f"unknown dynamic reference service '{redact.name(service)}'{hint}"
            at = scalar.value.find(f"resolve:{service}:", start, end) + len("resolve:")
            only = only_candidate(service, _SERVICES)
            fix = Fix(at, at + len(service), only) if only and at >= len("resolve:") else None
            yield Hit("YSL206", scalar, start, end, message, fix=fix)
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
        yield from self._placement(scalar, start, end, "secretsmanager", version)

    def _placement(self, scalar: Scalar, start: int, end: int, service: str, version: str) -> Iterator[Hit]:
        parts = _in_template(scalar.key, self._serverless) if self._placed and scalar.role == "value" else None
        if parts is None:
            return
        problem = _misplaced(service, parts, version)
        if problem:
            yield Hit("YSL208", scalar, start, end, problem)
        elif service != "ssm" and parts[0] == "Resources" and len(parts) > 2:
            # AWS's general considerations: secure values are not resolved for custom resources.
            message = f"CloudFormation does not resolve {service} references in a custom resource's properties"
            prefix = scalar.key[: scalar.key.find(".Properties")] if ".Properties" in scalar.key else ""
            self._in_resource.append(((scalar.doc, prefix), Hit("YSL208", scalar, start, end, message)))

    def _ssm(self, scalar: Scalar, start: int, end: int, service: str, rest: str) -> Iterator[Hit]:
        form = f"{{{{resolve:{service}:PARAMETER-NAME[:VERSION]}}}}"
        if rest.startswith("arn:"):
            # Shared parameters (read by ARN) reach a template only through a parameter of type
            # AWS::SSM::Parameter::Value<String>; cfn-lint's E1050 allows NAME[:VERSION] alone.
            yield Hit(
                "YSL206",
                scalar,
                start,
                end,
                "CloudFormation does not resolve a parameter ARN here: write the parameter's name, or read a "
                "shared parameter through a template parameter of type AWS::SSM::Parameter::Value<String>",
            )
            return
        name, _, version = rest.partition(":")
        if not name or not _SSM_NAME.match(name):
            yield Hit("YSL206", scalar, start, end, f"invalid parameter name '{redact.name(name)}'; write {form}")
        elif version and not _VERSION.match(version):
            yield Hit(
                "YSL206", scalar, start, end, f"version '{redact.name(version)}' must be a whole number; write {form}"
            )
        else:
            expects = "SecureString" if service == "ssm-secure" else "String"
            ref = Reference("cloudformation", "ssm", name, version_id=version, parameter_type=expects)
            self.found.append(RefHit(ref, scalar, start, end))
            yield from self._placement(scalar, start, end, service, version)


def _without_blanks(body: str) -> str:
    return ":".join(redact.name(part.strip()) for part in body.split(":"))


def make(rules: list[Rule]) -> list[Check]:
    return [CloudFormationCheck()] if any(r.id in ("YSL206", "YSL202", "YSL208") for r in rules) else []

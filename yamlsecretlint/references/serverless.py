"""Serverless Framework: ``${ssm:/aws/reference/secretsmanager/NAME}`` and ``${secretsmanager:NAME}`` (YSL206, YSL202).

Read as Serverless's own variable parser reads them (serverless/serverless,
lib/configuration/variables/parse.js): ``${source(params):address, fallback, …}``
with variables nested in the address (``…/secretsmanager/${self:provider.stage}/db``),
fallback sources after top-level commas (``, 'default'``, ``, null``, ``, ${env:X}``)
and quoted strings. The ``ssm`` source's parameters are flags (``raw``,
``noDecrypt``, ``json``) and then a region
(sources/instance-dependent/get-ssm.js); ``secretsmanager``'s are ``raw``,
``versionId=…``, ``versionStage=…`` and a region (get-secretsmanager.js).
Serverless v4's resolver-qualified form ``${awsAccount1:ssm:…}`` names the same
sources. A name with a nested variable is computed when Serverless resolves
it: recorded as such, never checked as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from yamlsecretlint import lazyre
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context, TriggeredCheck
from yamlsecretlint.model import Hit, Reference, RefHit, Scalar
from yamlsecretlint.references.dialect import Dialect, file_name
from yamlsecretlint.references.secret_names import name_hit
from yamlsecretlint.sources.facts import holds

_SSM_PREFIX = "/aws/reference/secretsmanager/"
#: `ssm(…)` / `secretsmanager(…)`, optionally after a v4 resolver's name: the source and its parameters.
_SOURCE = lazyre.compile(
    r"\s*(?:(?P<resolver>[a-z][A-Za-z0-9]*)\s*:\s*)?(?P<type>ssm|secretsmanager)\s*(?:\((?P<params>[^()]*)\))?\s*:"
)
_FLAGS = {"ssm": frozenset({"raw", "noDecrypt", "json"}), "secretsmanager": frozenset({"raw"})}
_NESTED = lazyre.compile(r"\$\{[^{}]*\}")


def _own(region: str, env: Mapping[str, str]) -> str:
    return region


#: `${ssm(REGION):…}`, else the file's `provider.region` (the reference carries either); without
#: them, --region, else the Framework's own default (lib/plugins/aws/provider.js: us-east-1).
DIALECT = Dialect(
    "serverless",
    fixed_region=_own,
    default_region=lambda region, env: "us-east-1",
    reader="Serverless",
    default_rule="the Framework's default, us-east-1",
)


def provider_region(text: str) -> str:
    """The literal ``provider.region`` of a service file; empty when absent or computed (``${opt:region}``)."""
    if "region" not in text:
        return ""
    from yamlsecretlint.sources.yaml import YamlSource  # only files with a reference without a region

    for scalar in YamlSource(text).scalars():
        if scalar.role == "value" and scalar.key == "provider.region":
            return "" if "${" in scalar.value else scalar.value.strip()
    return ""


class Variable(NamedTuple):
    """One top-level ``${…}``: its span and the text between the braces."""

    start: int
    end: int
    inside: str


def variables(text: str) -> Iterator[Variable]:
    """Each top-level ``${…}``, its braces matched through nested variables and quoted strings."""
    at = text.find("${")
    while at >= 0:
        depth, index, quote = 0, at, ""
        while index < len(text):
            char = text[index]
            if quote:
                if char == quote:
                    quote = ""
            elif char in "'\"" and depth:
                quote = char
            elif text.startswith("${", index):
                depth += 1
                index += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        if depth:
            return  # unclosed: YSL207's, not a reference
        yield Variable(at, index + 1, text[at + 2 : index])
        at = text.find("${", index + 1)


def _split_top(text: str) -> list[str]:
    """Split on commas that are neither inside a nested ``${…}`` nor inside quotes (the fallbacks)."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif text.startswith("${", index):
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif char == "," and not depth:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


class ServerlessCheck(TriggeredCheck):
    # Not "secretsmanager:" (every secret's ARN holds it) nor "${…" (a needle holding "${" would share
    # its mark, so every variable would call the check). A v4 resolver is read before ssm only.
    triggers = ("ssm:", "ssm(", "{secretsmanager")

    def begin(self, context: Context) -> None:
        super().begin(context)
        # `${ssm:/aws/reference/secretsmanager/…}` says what it is anywhere; `${secretsmanager:…}` and a
        # v4 resolver's `${name:ssm:…}` are read only in a Serverless service file.
        name = file_name(context.path)
        self._service = name.startswith("serverless") or holds(context.text, "\nprovider:")

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role not in ("value", "line") or "${" not in scalar.value:
            return
        for variable in variables(scalar.value):
            yield from self._variable(scalar, variable)

    def finish(self) -> Iterator[Hit]:
        # A reference without `ssm(REGION)` is read in the service's region.
        if self._service and any(not found.reference.region for found in self.found):
            region = provider_region(self.context.text)
            if region:
                self.found = [
                    found._replace(reference=found.reference._replace(region=found.reference.region or region))
                    for found in self.found
                ]
        return iter(())

    def _variable(self, scalar: Scalar, variable: Variable) -> Iterator[Hit]:
        source = _SOURCE.match(variable.inside)
        if source is None:
            return
        kind = source.group("type")
        if (kind == "secretsmanager" or source.group("resolver")) and not self._service:
            return
        address = _split_top(variable.inside[source.end() :])[0].strip()
        if len(address) >= 2 and address[0] == address[-1] and address[0] in "'\"":
            address = address[1:-1]  # a quoted address is the string it quotes
        if kind == "ssm":
            if not address.startswith(_SSM_PREFIX):
                yield from self._parameter(scalar, variable, address.removesuffix("~true"), params_of(source))
                return
            name = address[len(_SSM_PREFIX) :].removesuffix("~true")
        else:
            name = address
        params = [p.strip().strip("'\"") for p in (source.group("params") or "").split(",") if p.strip()]
        version_id = version_stage = ""
        for param in list(params):
            key, equals, value = param.replace(" ", "").partition("=")
            if equals and kind == "secretsmanager" and key in ("versionId", "versionStage"):
                version_id, version_stage = (value, version_stage) if key == "versionId" else (version_id, value)
                params.remove(param)
        region = next((p for p in params if p not in _FLAGS[kind]), "")
        if "${" in region:
            region = ""  # computed: the dialect's default region decides
        start, end = variable.start, variable.end
        if not name:
            yield Hit("YSL206", scalar, start, end, f"the secret name is empty: ${{{kind}:…}}")
            return
        # A nested variable is filled in when Serverless resolves it; the literal rest must still be valid.
        literal = _NESTED.sub("x", name) if "${" in name else name
        invalid = name_hit(scalar, start, end, literal) if "${" not in literal else None
        if invalid is not None:
            yield invalid
            return
        ref = Reference(
            "serverless", "aws-secretsmanager", name, region=region, version_id=version_id, version_stage=version_stage
        )
        self.found.append(RefHit(ref, scalar, start, end))

    def _parameter(self, scalar: Scalar, variable: Variable, name: str, params: list[str]) -> Iterator[Hit]:
        """``${ssm:/path}``: a Parameter Store parameter (get-ssm.js), in ``ssm(REGION)``'s region if given."""
        region = next((p for p in params if p not in _FLAGS["ssm"]), "")
        if name and "${" not in region:
            self.found.append(
                RefHit(Reference("serverless", "ssm", name, region=region), scalar, variable.start, variable.end)
            )
        return iter(())


def params_of(source: re.Match[str]) -> list[str]:
    return [p.strip().strip("'\"") for p in (source.group("params") or "").split(",") if p.strip()]


def make(rules: list[Rule]) -> list[Check]:
    return [ServerlessCheck()] if any(r.id in ("YSL206", "YSL202") for r in rules) else []

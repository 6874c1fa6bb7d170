"""Ansible's amazon.aws lookups with literal arguments: Secrets Manager and Parameter Store references.

``lookup('amazon.aws.secretsmanager_secret', 'NAME', region='…')`` (formerly
``aws_secret``) and ``lookup('amazon.aws.ssm_parameter', '/path')`` (formerly
``aws_ssm``), also through ``query(…)`` and without the collection prefix, as
the collection's lookup plugins read their terms (plugins/lookup/
secretsmanager_secret.py, ssm_parameter.py): each literal term is one secret or
parameter; ``nested=true`` reads ``NAME.key.path``; ``version_id`` /
``version_stage`` name a version; ``bypath=true`` lists a path (not one
reference); a term that is an expression is computed by the play, not read.
The client's region is the lookup's ``region`` (or ``aws_region``), else the
SDK's chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yamlsecretlint import lazyre
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, TriggeredCheck
from yamlsecretlint.model import Hit, Reference, RefHit, Scalar
from yamlsecretlint.references.dialect import Dialect
from yamlsecretlint.references.secret_names import secret_id_hit

DIALECT = Dialect(
    "ansible",
    fixed_region=lambda region, env: region,
    default_region=lambda region, env: "",
    reader="the Ansible lookup",
)
_PLUGINS = {
    "secretsmanager_secret": "aws-secretsmanager",
    "aws_secret": "aws-secretsmanager",
    "ssm_parameter": "ssm",
    "aws_ssm": "ssm",
}
_LOOKUP = lazyre.compile(
    r"""\b(?:lookup|query)\(\s*(?P<q>['"])(?:amazon\.aws\.)?(?P<plugin>secretsmanager_secret|aws_secret|ssm_parameter|aws_ssm)(?P=q)"""
    r"""(?P<args>[^()]*)\)"""
)
_TERM = lazyre.compile(r"""\s*,\s*(?P<q>['"])(?P<term>[^'"]*)(?P=q)(?=\s*[,)]|\s*$)""")
_OPTION = lazyre.compile(
    r"""\b(?P<name>region|aws_region|nested|version_id|version_stage|bypath)\s*=\s*(?P<q>['"]?)(?P<value>[^'",)\s]*)(?P=q)"""
)


class LookupCheck(TriggeredCheck):
    triggers = ("secretsmanager_secret", "aws_secret", "ssm_parameter", "aws_ssm")

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role not in ("value", "line", "template"):
            return
        for lookup in _LOOKUP.finditer(scalar.value):
            yield from self._lookup(scalar, lookup)

    def _lookup(self, scalar: Scalar, lookup: re.Match[str]) -> Iterator[Hit]:
        args = lookup.group("args")
        options = {m.group("name"): m.group("value") for m in _OPTION.finditer(args)}
        if options.get("bypath", "").lower() in ("true", "yes", "1"):
            return  # a path the plugin lists, not one parameter
        provider = _PLUGINS[lookup.group("plugin")]
        region = options.get("region") or options.get("aws_region") or ""
        if "{" in region:
            region = ""
        nested = options.get("nested", "").lower() in ("true", "yes", "1")
        at = 0
        while True:
            term = _TERM.match(args, at)
            if term is None:
                return
            at = term.end()
            text = term.group("term")
            if not text or "{{" in text:
                continue
            start = lookup.start("args") + term.start("term")
            end = start + len(text)
            name, _, key = text.partition(".") if nested and provider != "ssm" else (text, "", "")
            if provider == "ssm":
                ref = Reference("ansible", "ssm", name, region=region)
            else:
                fixed, invalid = secret_id_hit(scalar, start, end, name)
                if invalid is not None:
                    yield invalid
                    continue
                stage, version = options.get("version_stage", ""), options.get("version_id", "")
                ref = Reference("ansible", provider, name, key, stage, version, region or fixed)
            self.found.append(RefHit(ref, scalar, start, end))


def make(rules: list[Rule]) -> list[Check]:
    return [LookupCheck()] if any(r.id == "YSL202" for r in rules) else []

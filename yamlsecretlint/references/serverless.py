"""Serverless Framework: ``${ssm:/aws/reference/secretsmanager/NAME}`` (YSL206, YSL202).

``${ssm(REGION):…}`` fixes the region the secret is read in (``raw`` and
``noDecrypt`` are options, not regions); ``~true`` asks for decryption.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from yamlsecretlint import lazyre
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, TriggeredCheck
from yamlsecretlint.model import Hit, Reference, RefHit, Scalar
from yamlsecretlint.references.dialect import Dialect
from yamlsecretlint.references.secret_names import name_hit

_SERVERLESS = lazyre.compile(r"\$\{ssm(?:\((?P<region>[^)]*)\))?:(?P<path>/aws/reference/secretsmanager/[^}]*)\}")
_SERVERLESS_PREFIX = "/aws/reference/secretsmanager/"


def _own(region: str, env: Mapping[str, str]) -> str:
    return region


DIALECT = Dialect("serverless", fixed_region=_own)


class ServerlessCheck(TriggeredCheck):
    triggers = ("${ssm",)

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role not in ("value", "line"):
            return
        for match in _SERVERLESS.finditer(scalar.value):
            yield from self._serverless(scalar, match)

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


def make(rules: list[Rule]) -> list[Check]:
    return [ServerlessCheck()] if any(r.id in ("YSL206", "YSL202") for r in rules) else []

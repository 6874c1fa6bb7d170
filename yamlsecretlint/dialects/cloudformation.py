"""CloudFormation templates, and the reference forms that live in them or beside them.

``{{resolve:secretsmanager:…}}`` is parsed by references/cloudformation.py, with ECS
``valueFrom`` and Serverless ``${ssm:/aws/reference/secretsmanager/…}``. A Serverless
``${ssm(REGION):…}`` fixes its region; an ARN's own region is fixed for every dialect.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from yamlsecretlint import lazyre
from yamlsecretlint.dialects.base import Dialect

_CFN_RESOURCES = lazyre.compile(r"^Resources:\s*$", re.M)


def _detect(path: str, text: str) -> bool:
    # `in` before any multi-line regex: re scans a whole file several times slower than str.find.
    return "AWSTemplateFormatVersion" in text or ("Resources:" in text and _CFN_RESOURCES.search(text) is not None)


def _own(region: str, env: Mapping[str, str]) -> str:
    return region


DIALECT = Dialect(
    "cloudformation",
    detect=_detect,
    hint=lambda name: f"write {{{{resolve:secretsmanager:{name}:SecretString}}}}",
)
ECS = Dialect("ecs")
SERVERLESS = Dialect("serverless", fixed_region=_own)

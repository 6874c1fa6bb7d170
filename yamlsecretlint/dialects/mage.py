"""Mage: ``io_config.yaml`` and files that call its secret functions inside ``{{ … }}``.

Region: ``AWS_REGION_NAME``, then ``AWS_DEFAULT_REGION``, else ``us-west-2`` (mage_ai's
aws_secret_var client). References are parsed by references/mage.py.
"""

from __future__ import annotations

from collections.abc import Mapping

from yamlsecretlint import lazyre
from yamlsecretlint.dialects.base import Dialect, file_name

DEFAULT_REGION = "us-west-2"
#: A Mage secret function called inside {{ … }}: a file that merely mentions one is not Mage's.
_MAGE_CALL = lazyre.compile(r"\{\{-?[^{}]*\b(?:aws_secret_var|mage_secret_var|azure_secret_var)\s*\(")


def _detect(path: str, text: str) -> bool:
    name = file_name(path)
    return name.startswith("io_config.") or ("_secret_var" in text and _MAGE_CALL.search(text) is not None)


def _default_region(region: str, env: Mapping[str, str]) -> str:
    return env.get("AWS_REGION_NAME") or env.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


DIALECT = Dialect(
    "mage",
    detect=_detect,
    hint=lambda name: f"store it in AWS Secrets Manager and write \"{{{{ aws_secret_var('{name}') }}}}\"",
    default_region=_default_region,
)

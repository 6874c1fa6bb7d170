"""YSL202: a secret name a reference gives, against Secrets Manager's rules — one home for every dialect.

Mage, CloudFormation, Serverless and Spice all name secrets; what a valid name
is (references/arns.py) and how an invalid one is reported live here once.
"""

from __future__ import annotations

from yamlsecretlint import redact
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.references import arns

RULE = "YSL202"


def name_hit(scalar: Scalar, start: int, end: int, name: str) -> Hit | None:
    """YSL202 for a secret *name* (not an ARN) Secrets Manager would refuse, or None."""
    problems = arns.name_problems(name)
    if not problems:
        return None
    return Hit(RULE, scalar, start, end, f"invalid secret name '{redact.name(name)}': {problems[0]}")


def secret_id_hit(scalar: Scalar, start: int, end: int, secret_id: str) -> tuple[str, Hit | None]:
    """A name or an ARN: the region an ARN names (its shape is the ARN check's), or YSL202 for a bad name."""
    if secret_id.startswith("arn:"):
        region, _ = arns.secret_region_or_problems(secret_id)
        return region, None
    return "", name_hit(scalar, start, end, secret_id)

"""The grammar of Secrets Manager ARNs: shape, partition, region, account, resource, name.

Pure functions of text, shared by the ARN check (references/arn.py), the
dialects that reference secrets by ARN, and the online planner. Partition and
region data come from botocore's ``data/partitions.json``, read as JSON when
the first ARN is seen (importing botocore would cost more than the whole run of
a small file).
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from yamlsecretlint import lazyre, redact
from yamlsecretlint.model import Fix

SERVICE = "secretsmanager"
#: ``${AWS::Partition}``, ``${AWS::Region}``…: CloudFormation fills these in.
_PLACEHOLDER = lazyre.compile(r"\$\{[^}]*\}")
_FILLED = "\x00"
_ACCOUNT = lazyre.compile(r"^[0-9]{12}$")
_AZ = lazyre.compile(r"^(?P<region>[a-z]{2}(?:-[a-z]+)+-[0-9]+)[a-z]$")
_NAME = lazyre.compile(r"^[A-Za-z0-9/_+=.@-]+$")
_NAME_WILDCARDS = lazyre.compile(r"^[A-Za-z0-9/_+=.@*?-]+$")
_SUFFIX = lazyre.compile(r"-[A-Za-z0-9]{6}$")
#: Secrets that AWS services manage are named ``service!…`` (``rds!db-…``, ``events!connection/…``).
_MANAGED = lazyre.compile(r"^[a-z][a-z0-9-]*!")
_WILDCARD = lazyre.compile(r"[*?]")
_CANDIDATE = lazyre.compile(r"arn:(?:\$\{[^}]*\}|[^\s\"',;)\]}])+")
MAX_NAME = 512


class Problem(NamedTuple):
    rule: str
    message: str
    severity: str = ""
    #: The certain fix, as offsets into the checked text.
    fix: Fix | None = None


class Arn(NamedTuple):
    partition: str
    service: str
    region: str
    account: str
    resource: str
    #: The secret name; for an ECS extended ARN, without its json-key/stage/id fields.
    name: str
    extra: tuple[str, ...]

    @property
    def fixed_region(self) -> str:
        """The region as written; empty when CloudFormation fills it in (``${AWS::Region}``)."""
        return "" if _FILLED in self.region else self.region

    @property
    def partial(self) -> bool:
        return _SUFFIX.search(self.name) is None


@lru_cache(maxsize=1)
def partitions() -> dict[str, tuple[re.Pattern[str], frozenset[str]]]:
    spec = importlib.util.find_spec("botocore")
    if spec is None or spec.origin is None:
        return {}
    data = json.loads((Path(spec.origin).parent / "data" / "partitions.json").read_text(encoding="utf-8"))
    return {
        p["id"]: (re.compile(p["regionRegex"]), frozenset(r for r in p["regions"] if not r.endswith("-global")))
        for p in data["partitions"]
    }


def candidates(value: str) -> list[tuple[int, int]]:
    if "arn:" not in value:
        return []
    stripped = value.strip()
    if stripped.startswith("arn:"):
        # A value that is an ARN is judged whole: a blank inside its name is its problem.
        start = value.index(stripped)
        return [(start, start + len(stripped))]
    return [m.span() for m in _CANDIDATE.finditer(value)]


def _fill(text: str) -> str:
    return _PLACEHOLDER.sub(_FILLED, text)


def means_secret(text: str) -> bool:
    """An ARN of Secrets Manager, a misspelling of it, or of a ``secret`` resource."""
    parts = _fill(text).split(":", 5)
    if len(parts) < 3:
        return False
    service = parts[2].lower()
    if service == SERVICE or (len(parts) == 6 and parts[5].startswith("secret:")):
        return True
    return service.startswith("secret") or _like_service(service)


@lru_cache(maxsize=1024)
def _like_service(service: str) -> bool:
    """A misspelling of secretsmanager; difflib is slow, and a file repeats its services."""
    import difflib  # close-match suggestions only: most runs never make one

    return difflib.SequenceMatcher(None, service, SERVICE).ratio() >= 0.8


def parse(text: str) -> Arn | None:
    parts = _fill(text).split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    resource = parts[5]
    fields = resource.split(":")
    name = fields[1] if len(fields) > 1 else ""
    return Arn(parts[1], parts[2], parts[3], parts[4], resource, name, tuple(fields[2:]))


def check(text: str, *, wildcards: bool = False) -> list[Problem]:
    """What is wrong with a Secrets Manager ARN, each with the right form."""
    import difflib  # close-match suggestions only: most runs never make one

    arn = parse(text)
    if arn is None:
        expected = f"arn:PARTITION:{SERVICE}:REGION:ACCOUNT:secret:NAME"
        return [Problem("YSL301", f"not a Secrets Manager ARN: expected {expected}")]
    problems: list[Problem] = []
    known = partitions()
    if arn.partition != _FILLED and known and arn.partition not in known:
        close = difflib.get_close_matches(arn.partition, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else f"; known partitions: {', '.join(sorted(known))}"
        problems.append(Problem("YSL302", f"unknown partition '{redact.name(arn.partition)}'{hint}"))
    if arn.service != SERVICE:
        problems.append(
            Problem("YSL305", f"service '{redact.name(arn.service)}' is not '{SERVICE}'; write arn:…:{SERVICE}:…")
        )
    partition_known = arn.partition == _FILLED or not known or arn.partition in known
    if partition_known and not (wildcards and _WILDCARD.search(arn.region)):
        problems.extend(_region_problems(arn, known))
    if arn.account != _FILLED and not _ACCOUNT.match(arn.account) and not (wildcards and _WILDCARD.search(arn.account)):
        problems.append(Problem("YSL304", f"account '{redact.name(arn.account)}' is not 12 digits"))
    resource_type = re.split(r"[:/]", arn.resource, maxsplit=1)[0]
    if resource_type != "secret" or not arn.resource.startswith("secret:"):
        problems.append(
            Problem("YSL305", f"resource '{redact.name(arn.resource)}' is not 'secret:NAME'; write arn:…:secret:NAME")
        )
    elif arn.name != _FILLED and _FILLED not in arn.name:
        problems.extend(_name_problems(arn.name, wildcards))
    return problems


def _region_problems(arn: Arn, known: dict[str, tuple[re.Pattern[str], frozenset[str]]]) -> list[Problem]:
    region = arn.region
    if region == _FILLED or not known:
        return []
    if not region:
        return [Problem("YSL303", "the region is empty; a secret ARN names its region")]
    zone = _AZ.match(region)
    if zone:
        at = len(f"arn:{arn.partition}:{arn.service}:")
        message = f"'{redact.name(region)}' is an availability zone, not a region; write {zone.group('region')}"
        return [Problem("YSL303", message, fix=Fix(at, at + len(region), zone.group("region")))]
    partition = known.get(arn.partition)
    if partition is not None and region in partition[1]:
        return []
    for other, (_, regions) in known.items():
        if region in regions:
            return [
                Problem(
                    "YSL303", f"region {redact.name(region)} is not in partition {arn.partition}; use arn:{other}:…"
                )
            ]
    if partition is not None and partition[0].match(region):
        message = (
            f"region {redact.name(region)} is not known to this botocore (it fits partition {arn.partition}'s pattern)"
        )
        return [Problem("YSL303", message, "warning")]
    return [Problem("YSL303", f"unknown region '{redact.name(region)}'")]


def _name_problems(name: str, wildcards: bool) -> list[Problem]:
    name = _MANAGED.sub("", name, count=1)
    if not name:
        return [Problem("YSL306", "the secret name is empty")]
    if len(name) > MAX_NAME:
        return [Problem("YSL306", f"the secret name is {len(name)} characters; Secrets Manager allows {MAX_NAME}")]
    if not (_NAME_WILDCARDS if wildcards else _NAME).match(name):
        bad = sorted({c for c in name if not (_NAME_WILDCARDS if wildcards else _NAME).match(c)})
        shown = " ".join(redact.escape(repr(c)) for c in bad[:8])
        return [Problem("YSL306", f"the secret name has characters Secrets Manager does not allow: {shown}")]
    return []


def partition_of(region: str) -> str:
    """The partition whose data lists ``region`` (or whose pattern fits it); empty if none."""
    known = partitions()
    for name, (_, regions) in known.items():
        if region in regions:
            return name
    return next((name for name, (pattern, _) in known.items() if pattern.match(region)), "")


def secret_region_or_problems(secret_id: str) -> tuple[str, list[str]]:
    """A referenced secret: its ARN's region, or what is wrong with its name (YSL202)."""
    if secret_id.startswith("arn:"):
        parsed = parse(secret_id)
        return (parsed.fixed_region if parsed else ""), []
    return "", name_problems(secret_id)


def name_problems(name: str) -> list[str]:
    """A secret *name* (not an ARN) against Secrets Manager's rules, for YSL202."""
    return [p.message for p in _name_problems(name, wildcards=False)]

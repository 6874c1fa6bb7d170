from __future__ import annotations

import sys
from pathlib import Path

import pytest

from yamlsecretlint.references import arns

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GOOD = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"


def test_partitions_come_from_botocore() -> None:
    known = arns.partitions()
    assert {"aws", "aws-cn", "aws-us-gov"} <= set(known)
    assert "eu-west-1" in known["aws"][1]
    assert "cn-north-1" in known["aws-cn"][1]


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        (GOOD, []),
        ("arn:aws:secretsmanager:eu-west-1", ["YSL301"]),
        ("arn:awz:secretsmanager:eu-west-1:123456789012:secret:x", ["YSL302"]),
        ("arn:aws:secretsmanager:eu-west-1a:123456789012:secret:x", ["YSL303"]),
        ("arn:aws:secretsmanager:cn-north-1:123456789012:secret:x", ["YSL303"]),
        ("arn:aws:secretsmanager:mars-west-1:123456789012:secret:x", ["YSL303"]),
        ("arn:aws:secretsmanager:eu-west-1:1234:secret:x", ["YSL304"]),
        ("arn:aws:secretmanager:eu-west-1:123456789012:secret:x", ["YSL305"]),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secrets:x", ["YSL305"]),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:a b", ["YSL306"]),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + "n" * 513, ["YSL306"]),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123abcd-AbCdEf", []),
        ("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/db", []),
    ],
)
def test_check(text: str, rules: list[str]) -> None:
    assert [p.rule for p in arns.check(text)] == rules


#: The newest region of each partition in use (botocore's partitions.json history): the
#: dependency floor in pyproject.toml is the first botocore whose data has them all.
NEWEST = [
    ("aws", "mx-central-1"),  # botocore 1.36.1
    ("aws", "ap-southeast-6"),  # 1.40.20
    ("aws-eusc", "eusc-de-east-1"),  # 1.37.27, the partition itself
    ("aws-iso-f", "us-isof-south-1"),  # 1.36.15
    ("aws-iso-b", "us-isob-west-1"),  # 1.40.58
]


@pytest.mark.parametrize(("partition", "region"), NEWEST)
def test_regions_in_use_today_are_known(partition: str, region: str) -> None:
    assert arns.check(f"arn:{partition}:secretsmanager:{region}:123456789012:secret:prod/db-AbCdEf") == []


def test_dependency_floor_has_every_partition_in_use() -> None:
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    floors = dict(d.split(">=") for d in project["project"]["dependencies"] if d.startswith(("boto3>=", "botocore>=")))
    for name in ("boto3", "botocore"):
        assert tuple(int(p) for p in floors[name].split(".")) >= (1, 40, 58), name


def test_region_newer_than_botocore_is_a_warning() -> None:
    [problem] = arns.check("arn:aws:secretsmanager:eu-north-9:123456789012:secret:x")
    assert (problem.rule, problem.severity) == ("YSL303", "warning")


def test_wrong_partition_names_the_right_one() -> None:
    [problem] = arns.check("arn:aws:secretsmanager:cn-north-1:123456789012:secret:x")
    assert "use arn:aws-cn:" in problem.message


def test_availability_zone_names_the_region() -> None:
    [problem] = arns.check("arn:aws:secretsmanager:eu-west-1a:123456789012:secret:x")
    assert "write eu-west-1" in problem.message


def test_wildcards_only_in_policies() -> None:
    policy = "arn:aws:secretsmanager:*:*:secret:prod/*"
    assert arns.check(policy, wildcards=True) == []
    assert {p.rule for p in arns.check(policy)} == {"YSL303", "YSL304", "YSL306"}


def test_partial_arn() -> None:
    full = arns.parse(GOOD)
    partial = arns.parse("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db")
    assert full is not None
    assert not full.partial
    assert partial is not None
    assert partial.partial


@pytest.mark.parametrize(
    ("text", "means"),
    [(GOOD, True), ("arn:aws:secretmanager:x", True), ("arn:aws:iam::123456789012:role/r", False)],
)
def test_means_secret(text: str, means: bool) -> None:
    assert arns.means_secret(text) is means

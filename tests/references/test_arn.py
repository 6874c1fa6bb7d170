from __future__ import annotations

import pytest

from yamlsecretlint.references import arns

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

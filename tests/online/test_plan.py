"""Which region each reference is read in: the one its real reader's client asks (no AWS call)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.files import kind_of
from yamlsecretlint.model import FileRef, LocatedReference
from yamlsecretlint.online import plan

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"


def _references(tmp: Path, name: str, text: str) -> list[LocatedReference]:
    path = write(tmp, name, text)
    return Linter(Settings()).lint(FileRef(path, name, kind_of(path.name) or "yaml")).references


def _placed(
    tmp: Path, name: str, text: str, region: str | None = None, env: dict[str, str] | None = None, sdk: str = ""
) -> tuple[list[str], list[tuple[str, str]]]:
    """(regions checked, (region asked, where it comes from) of each reference that crosses)."""
    made = plan.plan(_references(tmp, name, text), region, env or {}, sdk or None)
    return [target.region for _, target in made.checks], [(asked, source) for _, asked, source in made.crossed]


MAGE = f"default:\n  DB: \"{{{{ aws_secret_var('{ARN}') }}}}\"\n"
TEMPLATE = (
    f'Resources:\n  Db:\n    Properties:\n      P: "{{{{resolve:secretsmanager:{ARN}:SecretString:password}}}}"\n'
)
TASKDEF = f"containerDefinitions:\n  - secrets:\n      - name: A\n        valueFrom: {ARN}\n"


def test_mage_asks_in_its_own_region(tmp_path: Path) -> None:
    rule = "AWS_REGION_NAME, else AWS_DEFAULT_REGION, else us-west-2"
    assert _placed(tmp_path, "io_config.yaml", MAGE) == ([], [("us-west-2", rule)])
    assert _placed(tmp_path, "io_config.yaml", MAGE, env={"AWS_REGION_NAME": "us-east-1"}) == (["us-east-1"], [])
    assert _placed(tmp_path, "io_config.yaml", MAGE, region="eu-west-1") == ([], [("eu-west-1", "--region")])


def test_a_stack_asks_in_its_own_region(tmp_path: Path) -> None:
    # Nothing says where the stack is: the ARN's region is the best guess, and it is checked there.
    assert _placed(tmp_path, "template.yaml", TEMPLATE) == (["us-east-1"], [])
    assert _placed(tmp_path, "template.yaml", TEMPLATE, region="us-east-1") == (["us-east-1"], [])
    assert _placed(tmp_path, "template.yaml", TEMPLATE, region="eu-west-1") == ([], [("eu-west-1", "--region")])
    chain = "the SDK's chain (AWS_REGION, the AWS config)"
    assert _placed(tmp_path, "template.yaml", TEMPLATE, sdk="eu-west-1") == ([], [("eu-west-1", chain)])


@pytest.mark.parametrize("region", [None, "eu-west-1"])
def test_the_ecs_agent_and_a_bare_arn_read_where_the_arn_says(tmp_path: Path, region: str | None) -> None:
    assert _placed(tmp_path, "taskdef.yaml", TASKDEF, region=region) == (["us-east-1"], [])
    assert _placed(tmp_path, "values.yaml", f"secret: {ARN}\n", region=region) == (["us-east-1"], [])


def test_a_spice_store_region_beats_region(tmp_path: Path) -> None:
    def pod(params: str) -> str:
        return (
            f"version: v1\nkind: Spicepod\nname: app\nsecrets:\n  - from: aws_secrets_manager:prod/db\n"
            f"    name: aws\n{params}datasets:\n  - from: postgres:t\n    name: t\n"
            "    params:\n      pg_pass: ${aws:password}\n"
        )

    with_region = pod("    params:\n      region: ap-south-1\n")
    assert _placed(tmp_path, "spicepod.yaml", with_region, region="eu-west-1") == (["ap-south-1"], [])
    assert _placed(tmp_path, "spicepod.yaml", pod(""), region="eu-west-1") == (["eu-west-1"], [])
    assert _placed(tmp_path, "spicepod.yaml", pod(""), sdk="us-east-2") == (["us-east-2"], [])
    # `${ env:AWS_REGION }` is known when Spice starts, not here: the SDK's chain stands in for it.
    from_env = pod("    params:\n      aws_region: ${ env:AWS_REGION }\n")
    assert _placed(tmp_path, "spicepod.yaml", from_env, sdk="us-east-2") == (["us-east-2"], [])


def test_serverless_reads_in_the_reference_then_the_provider_region(tmp_path: Path) -> None:
    def service(provider: str, reference: str = "${ssm:/aws/reference/secretsmanager/prod/db}") -> str:
        head = f"service: api\nprovider:\n  name: aws\n{provider}"
        return f"{head}functions:\n  f:\n    environment:\n      DB: {reference}\n"

    assert _placed(tmp_path, "serverless.yml", service("  region: eu-north-1\n"), region="eu-west-1") == (
        ["eu-north-1"],
        [],
    )
    pinned = service("  region: eu-north-1\n", "${ssm(ap-south-1):/aws/reference/secretsmanager/prod/db}")
    assert _placed(tmp_path, "serverless.yml", pinned) == (["ap-south-1"], [])
    computed = service("  region: ${opt:region, 'eu-north-1'}\n")
    assert _placed(tmp_path, "serverless.yml", computed, region="eu-west-1") == (["eu-west-1"], [])
    assert _placed(tmp_path, "serverless.yml", service("")) == (["us-east-1"], [])

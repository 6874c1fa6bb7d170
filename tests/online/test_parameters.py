"""The Parameter Store backend against moto's server: existence, version, type — never a value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import write
from tests.fakes import expand
from tests.online.conftest import Aws


def _rules(run_out: str) -> list[tuple[str, str, int]]:
    data: dict[str, Any] = json.loads(run_out)
    return [(f["rule"], f["path"], f["line"]) for f in data["findings"]]


def test_every_form_found_missing_versioned_and_typed(aws: Aws, tmp_path: Path) -> None:
    plain = expand("<fake:password>", seed=11)
    hidden = expand("<fake:password>", seed=12)
    aws.parameter("/app/level", plain)
    aws.parameter("/app/level", plain + "x")  # version 2
    aws.parameter("/app/db", hidden, kind="SecureString")
    write(
        tmp_path,
        "template.yaml",
        "Resources:\n  Db:\n    Properties:\n"
        "      A: '{{resolve:ssm:/app/level:2}}'\n"
        "      B: '{{resolve:ssm:/app/level:7}}'\n"
        "      C: '{{resolve:ssm:/app/db}}'\n"
        "      D: '{{resolve:ssm-secure:/app/level}}'\n"
        "      E: '{{resolve:ssm-secure:/app/db:1}}'\n"
        "      F: '{{resolve:ssm:/app/missing}}'\n",
    )
    arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db"
    write(
        tmp_path,
        "taskdef.yaml",
        f"containerDefinitions:\n  - secrets:\n      - name: A\n        valueFrom: /app/db\n"
        f"      - name: B\n        valueFrom: {arn}\n      - name: C\n        valueFrom: /app/gone\n",
    )
    service = "service: api\nprovider:\n  name: aws\n  region: eu-west-1\n  environment:\n    L: ${ssm:/app/level}\n"
    write(tmp_path, "serverless.yml", service)
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert run.code == 1, run.err
    assert _rules(run.out) == [
        ("YSL401", "taskdef.yaml", 8),
        ("YSL401", "template.yaml", 5),
        ("YSL408", "template.yaml", 6),
        ("YSL408", "template.yaml", 7),
        ("YSL401", "template.yaml", 9),
    ]
    messages = [f["message"] for f in json.loads(run.out)["findings"]]
    assert "has no version 7" in messages[1]
    assert "is a SecureString" in messages[2]
    assert "{{resolve:ssm-secure:/app/db}}" in messages[2]
    assert "online: checked 8 parameter(s) in Parameter Store" in run.err  # unique per region, name, version
    for value in (plain, hidden):
        assert value not in run.out + run.err


def test_parameters_in_batches_of_ten(aws: Aws, tmp_path: Path) -> None:
    lines = ["Resources:", "  A:", "    Properties:"]
    for i in range(23):
        aws.parameter(f"/p/{i:02}", "v")
        lines.append(f"      P{i:02}: '{{{{resolve:ssm:/p/{i:02}}}}}'")
    write(tmp_path, "template.yaml", "\n".join(lines) + "\n")
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert (run.code, _rules(run.out)) == (0, []), run.err


def test_denied_is_reported_and_unchecked_fails_closed(aws: Aws, tmp_path: Path) -> None:
    aws.parameter("/app/level", "v")
    write(tmp_path, "template.yaml", "Resources:\n  A:\n    Properties:\n      L: '{{resolve:ssm:/app/level}}'\n")
    iam = aws.client("iam", "us-east-1")
    iam.create_user(UserName="nobody")
    key = iam.create_access_key(UserName="nobody")["AccessKey"]
    aws.enforce_iam()
    env = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}
    run = aws.cli(tmp_path, "--format", "json", ".", env=env)
    assert run.code == 1, run.err
    [finding] = json.loads(run.out)["findings"]
    assert finding["rule"] == "YSL403"
    assert "may not ssm:GetParameters on parameter '/app/level'" in finding["message"]


def test_a_name_filled_at_deploy_is_not_checked(aws: Aws, tmp_path: Path) -> None:
    write(
        tmp_path,
        "serverless.yml",
        "service: api\nprovider:\n  name: aws\n  environment:\n    L: ${ssm:/${self:provider.stage}/level}\n",
    )
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert run.code == 3, run.err
    assert "1 parameter reference(s) not checked: their name is filled in at deploy time" in run.err


def test_references_no_backend_reads_are_said(aws: Aws, tmp_path: Path) -> None:
    write(tmp_path, "io_config.yaml", "default:\n  HOST: \"{{ env_var('DB_HOST') }}\"\n")
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert run.code == 0, run.err
    assert "online: not checked (no backend reads them): 1 reference(s): env 1" in run.err


def test_copilot_and_the_github_action_are_checked(aws: Aws, tmp_path: Path) -> None:
    aws.secret("prod/db", {"password": "x"})
    aws.parameter("/app/token", "v", kind="SecureString")
    write(
        tmp_path,
        "copilot/api/manifest.yml",
        "name: api\ntype: Backend Service\nsecrets:\n  TOKEN: /app/token\n  GONE: /app/gone\n"
        "  DB:\n    secretsmanager: 'prod/db:passwrd::'\n",
    )
    write(
        tmp_path,
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  d:\n    steps:\n      - uses: aws-actions/aws-secretsmanager-get-secrets@v2\n"
        "        with:\n          secret-ids: |\n            prod/db\n            prod/nope\n",
    )
    run = aws.cli(tmp_path, "--format", "json", "--region", "eu-west-1", ".")
    assert run.code == 1, run.err
    assert _rules(run.out) == [
        ("YSL401", ".github/workflows/deploy.yml", 9),
        ("YSL401", "copilot/api/manifest.yml", 5),
        ("YSL405", "copilot/api/manifest.yml", 7),
    ]


def test_caller_decrypt_is_inferred_or_said_unseen(aws: Aws, tmp_path: Path) -> None:
    """Under the AWS managed key read access is enough; a customer key needs the simulator (moto has none)."""
    aws.parameter("/app/managed", expand("<fake:password>", seed=13), kind="SecureString")
    template = "Resources:\n  Db:\n    Properties:\n      A: '{{resolve:ssm-secure:/app/managed}}'\n"
    write(tmp_path, "template.yaml", template)
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert run.code == 0, run.err
    assert "was not seen" not in run.err
    key = aws.client("kms", "eu-west-1").create_key()["KeyMetadata"]["KeyId"]
    aws.parameter("/app/own-key", expand("<fake:password>", seed=14), kind="SecureString", key_id=key)
    write(tmp_path, "template.yaml", template.replace("managed", "own-key"))
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert run.code == 0, run.err  # found and of the right type; only its decryption is unseen, and said
    assert "1 SecureString parameter(s) under a customer-managed key were found" in run.err

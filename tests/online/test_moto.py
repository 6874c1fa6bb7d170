"""The CLI as a subprocess against moto's server over HTTP."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_subprocess, write
from tests.online.conftest import Aws, clean_env

MAGE = """default:
  DB_PASSWORD: "{{ json_value(aws_secret_var('prod/db'), 'password') }}"
  API_KEY: "{{ aws_secret_var('prod/api') }}"
"""


def _rules(run_out: str) -> list[tuple[str, str, int]]:
    data: dict[str, Any] = json.loads(run_out)
    return [(f["rule"], f["path"], f["line"]) for f in data["findings"]]


def test_existing_secrets_are_clean(aws: Aws, tmp_path: Path) -> None:
    aws.secret("prod/db", {"username": "app", "password": "x"})
    aws.secret("prod/api", "plain-text-token")
    write(tmp_path, "io_config.yaml", MAGE)
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert (run.code, _rules(run.out)) == (0, []), run.err


def test_missing_and_deleted(aws: Aws, tmp_path: Path) -> None:
    aws.secret("prod/db", {"password": "x"})
    aws.secret("prod/api", "t")
    aws.client("secretsmanager").delete_secret(SecretId="prod/api", RecoveryWindowInDays=7)
    write(tmp_path, "io_config.yaml", MAGE + "  OTHER: \"{{ aws_secret_var('prod/nope') }}\"\n")
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert run.code == 1, run.err
    findings = json.loads(run.out)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("YSL402", 3), ("YSL401", 4)]
    assert "scheduled for deletion on 20" in findings[0]["message"]
    assert "(eu-west-1, account 123456789012)" in findings[1]["message"]


def test_json_keys_in_every_dialect(aws: Aws, tmp_path: Path) -> None:
    arn = aws.secret("prod/app", {"spice_pg_pass": "a", "password": "b", "nested": {"list": [1]}})
    mage = (
        "default:\n  A: \"{{ json_value(aws_secret_var('prod/app'), 'passwrd') }}\"\n"
        "  B: \"{{ json_value(aws_secret_var('prod/app'), 'nested.list[0]') }}\"\n"
    )
    write(tmp_path, "io_config.yaml", mage)
    write(
        tmp_path,
        "spicepod.yaml",
        "kind: Spicepod\nsecrets:\n  - from: aws_secrets_manager:prod/app\n    name: aws\n"
        "datasets:\n  - params:\n      pg_pass: ${aws:pg_pass}\n      pg_user: ${aws:pg_user}\n",
    )
    write(
        tmp_path,
        "template.yaml",
        "Resources:\n  Db:\n    Properties:\n"
        "      A: '{{resolve:secretsmanager:prod/app:SecretString:password}}'\n"
        "      B: '{{resolve:secretsmanager:prod/app:SecretString:username}}'\n",
    )
    write(
        tmp_path,
        "taskdef.yaml",
        f"containerDefinitions:\n  - secrets:\n      - name: A\n        valueFrom: '{arn}:password::'\n"
        f"      - name: B\n        valueFrom: '{arn}:username::'\n",
    )
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert run.code == 1, run.err
    assert _rules(run.out) == [
        ("YSL405", "io_config.yaml", 2),
        ("YSL405", "spicepod.yaml", 8),
        ("YSL405", "taskdef.yaml", 6),
        ("YSL405", "template.yaml", 5),
    ]
    messages = [f["message"] for f in json.loads(run.out)["findings"]]
    assert "did you mean 'password'?" in messages[0]
    assert "'spice_pg_user' or 'pg_user'" in messages[1]


def test_more_than_twenty_secrets_in_two_regions(aws: Aws, tmp_path: Path) -> None:
    lines = ["default:"]
    for i in range(25):
        aws.secret(f"app/s{i:02}", "v")  # read whole: a JSON object would not fit the quotes (YSL407)
        lines.append(f"  S{i:02}: \"{{{{ aws_secret_var('app/s{i:02}') }}}}\"")
    other = aws.secret("us/only", "v", region="us-east-1")
    # The ECS agent reads an ARN in its own region; Mage asks in AWS_REGION_NAME, where it is not.
    write(
        tmp_path, "taskdef.yaml", f"containerDefinitions:\n  - secrets:\n      - name: A\n        valueFrom: {other}\n"
    )
    lines.append(f"  US: \"{{{{ aws_secret_var('{other}') }}}}\"")
    lines.append("  MISSING: \"{{ aws_secret_var('app/missing') }}\"")
    write(tmp_path, "io_config.yaml", "\n".join(lines) + "\n")
    run = aws.cli(tmp_path, "--format", "json", ".", env={"AWS_REGION_NAME": "eu-west-1"})
    assert run.code == 1, run.err
    assert _rules(run.out) == [("YSL406", "io_config.yaml", 27), ("YSL401", "io_config.yaml", 28)]
    crossed = json.loads(run.out)["findings"][0]["message"]
    assert (
        "Mage asks Secrets Manager in eu-west-1 (from AWS_REGION_NAME, else AWS_DEFAULT_REGION, else us-west-2)"
        in crossed
    )


def test_arn_in_another_region_is_checked_there(aws: Aws, tmp_path: Path) -> None:
    arn = aws.secret("east/db", {"password": "x"}, region="us-east-1")
    missing = arn.replace("us-east-1", "ap-southeast-2")
    write(tmp_path, "template.yaml", f"Resources:\n  A:\n    Properties:\n      Arn: {arn}\n      Other: {missing}\n")
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert _rules(run.out) == [("YSL401", "template.yaml", 5)]
    assert "(ap-southeast-2, account 123456789012)" in json.loads(run.out)["findings"][0]["message"]


def test_no_permission_at_all(aws: Aws, tmp_path: Path) -> None:
    aws.secret("prod/db", {"password": "x"})
    aws.secret("prod/api", "t")
    iam = aws.client("iam", "us-east-1")
    iam.create_user(UserName="nobody")
    key = iam.create_access_key(UserName="nobody")["AccessKey"]
    aws.enforce_iam()
    write(tmp_path, "io_config.yaml", MAGE)
    env = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}
    run = aws.cli(tmp_path, "--format", "json", ".", env=env)
    assert run.code == 1, run.err
    findings = json.loads(run.out)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("YSL403", 2), ("YSL403", 3)]
    assert "user/nobody may not secretsmanager:GetSecretValue on 'prod/db'" in findings[0]["message"]


def test_no_credentials_exits_3_and_says_where_it_looked(aws: Aws, tmp_path: Path) -> None:
    write(tmp_path, "io_config.yaml", MAGE + "  PASSWORD: hunter2hunter2X9\n")
    env = {**clean_env(tmp_path), "AWS_DEFAULT_REGION": "eu-west-1"}
    run = run_subprocess(
        "--online", "--endpoint-url", aws.url, "--format", "json", ".", cwd=tmp_path, env=env, inherit=False
    )
    assert run.code == 3
    assert "no AWS credentials found" in run.err
    assert "instance metadata service" in run.err
    assert [f["rule"] for f in json.loads(run.out)["findings"]] == ["YSL106"]


@pytest.mark.slow
def test_refused_endpoint_exits_3_within_the_timeout(aws: Aws, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    write(tmp_path, "io_config.yaml", MAGE + "  PASSWORD: hunter2hunter2X9\n")
    started = time.monotonic()
    run = aws.cli(tmp_path, "--endpoint-url", f"http://127.0.0.1:{port}", ".", timeout=60)
    assert time.monotonic() - started < 45
    assert run.code == 3
    assert "region eu-west-1" in run.err
    assert "YSL106" in run.out


def test_batches_hold_at_most_twenty_ids(aws: Aws, tmp_path: Path) -> None:
    import collections

    from yamlsecretlint import catalog
    from yamlsecretlint.engine import Linter, Settings
    from yamlsecretlint.model import FileRef
    from yamlsecretlint.online.aws import Clients, Options
    from yamlsecretlint.online.run import run

    lines = ["Resources:", "  X:", "    Properties:"]
    for i in range(45):
        aws.secret(f"b/s{i:02}", {"k": "v"})
        lines.append(f"      S{i:02}: '{{{{resolve:secretsmanager:b/s{i:02}:SecretString:k}}}}'")
    path = write(tmp_path, "template.yaml", "\n".join(lines) + "\n")
    refs = Linter(Settings()).lint(FileRef(path, "template.yaml", "yaml")).references
    clients = Clients(Options(endpoint_url=aws.url, region="eu-west-1"))
    sizes: list[int] = []
    calls: collections.Counter[str] = collections.Counter()

    def count(model: object, **_: object) -> None:
        calls.update([str(getattr(model, "name", ""))])

    def size(params: dict[str, list[str]], **_: object) -> None:
        sizes.append(len(params["SecretIdList"]))

    clients.session.events.register("before-call.*.*", count)
    clients.session.events.register("before-parameter-build.secrets-manager.BatchGetSecretValue", size)
    outcome = run(refs, Options(endpoint_url=aws.url, region="eu-west-1"), catalog.load(), clients=clients)
    assert (outcome.findings, outcome.problems) == ([], [])
    assert sizes == [20, 20, 5]
    assert calls == {"GetCallerIdentity": 1, "BatchGetSecretValue": 3}


def test_a_secret_mage_pastes_whole_must_fit_the_quoting_around_its_tag(aws: Aws, tmp_path: Path) -> None:
    """Mage renders the tag into the text before YAML parses it: the value must survive the quoting."""
    aws.secret("rds/db", {"username": "app", "password": "x"})  # a JSON object: it holds '"'
    aws.secret("api/hash", "ab#cd # tail")
    aws.secret("api/plain", "abcdef")
    mage = (
        "default:\n"
        "  A: \"{{ aws_secret_var('rds/db') }}\"\n"
        "  B: {{ aws_secret_var('rds/db') }}\n"
        "  C: '{{ aws_secret_var(\"api/hash\") }}'\n"
        "  D: prefix-{{ aws_secret_var('api/hash') }}\n"
        "  E: \"{{ aws_secret_var('api/plain') }}\"\n"
        "  F: \"{{ json_value(aws_secret_var('rds/db'), 'password') }}\"\n"
    )
    write(tmp_path, "io_config.yaml", mage)
    run = aws.cli(tmp_path, "--format", "json", ".", env={"AWS_REGION_NAME": "eu-west-1"})
    assert run.code == 1, run.err
    findings = json.loads(run.out)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("YSL407", 2), ("YSL407", 3), ("YSL407", 5)]
    assert "is a JSON object" in findings[0]["message"]
    assert "json_value(aws_secret_var('rds/db'), 'key')" in findings[0]["message"]
    assert "holds ' #'" in findings[2]["message"]
    assert "ab#cd" not in run.out + run.err


def test_spice_reads_only_top_level_strings(aws: Aws, tmp_path: Path) -> None:
    aws.secret("prod/app", {"pg_pass": "a", "port": 5432, "nested": {"x": "y"}})
    write(
        tmp_path,
        "spicepod.yaml",
        "kind: Spicepod\nsecrets:\n  - from: aws_secrets_manager:prod/app\n    name: aws\n"
        "datasets:\n  - params:\n      pg_pass: ${aws:pg_pass}\n      pg_port: ${aws:port}\n      x: ${aws:nested}\n",
    )
    run = aws.cli(tmp_path, "--format", "json", ".", env={"AWS_REGION": "eu-west-1"})
    findings = json.loads(run.out)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("YSL405", 8), ("YSL405", 9)], run.err
    assert "not as a top-level string" in findings[0]["message"]

"""migrate's plan: the secrets it would create and the replaced text — names and lengths, never a value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.fakes import expand_with_values

MAGE = 'default:\n  # the warehouse\n  POSTGRES_PASSWORD: "<fake:password>"\n  POSTGRES_HOST: db\n'
TEMPLATE = (
    "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
    "      MasterUserPassword: <fake:password>  # rotated yearly\n"
)


def test_plan_is_a_redacted_diff_and_a_table(tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    mage, mage_values = expand_with_values(MAGE, seed=1)
    template, template_values = expand_with_values(TEMPLATE, seed=2)
    env, env_values = expand_with_values("DB_PASSWORD=<fake:password>\n", seed=3)
    write(tmp_path, "io_config.yaml", mage)
    write(tmp_path, "template.yaml", template)
    write(tmp_path, ".env", env)
    monkeypatch.chdir(tmp_path)
    run = cli("migrate", "--no-gitignore", "--prefix", "prod/")
    assert run.code == 1, run.err
    assert "+  POSTGRES_PASSWORD: \"{{ aws_secret_var('prod/io_config/default/POSTGRES_PASSWORD') }}\"" in run.out
    assert "+      MasterUserPassword: '{{resolve:secretsmanager:prod/template/Db/MasterUserPassword}}'" in run.out
    assert f"  prod/template/Db/MasterUserPassword  ({len(template_values[0])} chars, from template.yaml:5)" in run.out
    assert ".env:1: YSL106 left as is: the dotenv dialect has no Secrets Manager reference" in run.out
    for value in mage_values + template_values + env_values:
        assert value not in run.out + run.err
    assert (tmp_path / "io_config.yaml").read_text() == mage  # a plan changes nothing


def test_a_cloudformation_default_becomes_a_noecho_reference(
    tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, values = expand_with_values(
        "Parameters:\n  DbPassword:\n    Type: String\n    Default: <fake:password>\n"
        "Outputs:\n  Pw:\n    Value: <fake:password>\n",
        seed=4,
    )
    write(tmp_path, "template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n" + text)
    monkeypatch.chdir(tmp_path)
    run = cli("migrate", "--no-gitignore")
    assert run.code == 1, run.err
    assert "+    Default: '{{resolve:secretsmanager:template/DbPassword}}'\n+    NoEcho: true\n" in run.out
    for value in values:
        assert value not in run.out


def test_rotate_hints_name_the_vendors_page(tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    text, values = expand_with_values(
        "default:\n  AWS_ACCESS_KEY_ID: <fake:aws-access-key-id>\n  GH: <fake:github-pat>\n"
        "  DB_PASSWORD: <fake:password>\n",
        seed=7,
    )
    write(tmp_path, "io_config.yaml", text)
    monkeypatch.chdir(tmp_path)
    run = cli("migrate", "--no-gitignore", "--rotate-hint")
    assert "Rotate (a secret that was committed stays in history):" in run.out
    assert (
        "io_config.yaml:2: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html" in run.out
    )
    assert "io_config.yaml:3: https://github.blog/" in run.out
    assert "io_config.yaml:4:" not in run.out.split("Rotate")[1]  # a password: no vendor to name
    for value in values:
        assert value not in run.out


def test_the_naming_template(tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    text, _ = expand_with_values(MAGE, seed=8)
    write(tmp_path, "io_config.yaml", text)
    monkeypatch.chdir(tmp_path)
    run = cli("migrate", "--no-gitignore", "--prefix", "prod/", "--name-template", "apps/{prefix}{key}@{stem}")
    assert "aws_secret_var('apps/prod/default/POSTGRES_PASSWORD@io_config')" in run.out
    grouped = cli("migrate", "--no-gitignore", "--group", "--name-template", "{stem}-secrets/{key}")
    assert "json_value(aws_secret_var('io_config-secrets'), 'POSTGRES_PASSWORD')" in grouped.out
    bad = cli("migrate", "--name-template", "{stem}/{user}")
    assert bad.code == 2
    assert "only {prefix}, {stem} and {key} may be named" in bad.err
    empty = cli("migrate", "--group", "--name-template", "{key}")  # a file's one secret would have no name
    assert empty.code == 2
    assert "the naming template makes an invalid secret name: (empty)" in empty.err

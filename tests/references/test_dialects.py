"""Each dialect's references become the same Reference values for the online verifier."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli, write
from tests.helpers import lint_text, references_of

SM = "aws-secretsmanager"


def test_mage(tmp_path: Path) -> None:
    text = (
        "default:\n"
        "  A: {{ aws_secret_var('prod/api') }}\n"
        "  B: \"{{ json_value(aws_secret_var('prod/db'), 'password') }}\"\n"
        "  C: {{ env_var('HOST') }}\n"
        "  # D: {{ mage_secret_var('token') }}\n"
    )
    assert references_of(tmp_path, "io_config.yaml", text) == [
        ("mage", SM, "prod/api", "", 2),
        ("mage", SM, "prod/db", "password", 3),
        ("mage", "env", "HOST", "", 4),
        ("mage", "mage", "token", "", 5),
    ]


def test_spice(tmp_path: Path) -> None:
    text = (
        "kind: Spicepod\n"
        "secrets:\n"
        "  - from: aws_secrets_manager:prod/spice\n"
        "    name: aws\n"
        "    params: {aws_region: eu-west-1}\n"
        "  - from: env\n"
        "    name: env\n"
        "datasets:\n"
        "  - params:\n"
        "      pg_pass: '${ aws : pg_pass }'\n"
        "      pg_user: ${env:PG_USER}\n"
    )
    assert references_of(tmp_path, "spicepod.yaml", text) == [
        ("spice", SM, "prod/spice", "pg_pass", 10),
        ("spice", "env", "PG_USER", "", 11),
    ]


def test_cloudformation_ecs_serverless(tmp_path: Path) -> None:
    text = (
        "Resources:\n"
        "  Db:\n"
        "    Properties:\n"
        "      MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password::v1}}'\n"
        "      Param: '{{resolve:ssm:/app/level:3}}'\n"
        "  Task:\n"
        "    Properties:\n"
        "      ContainerDefinitions:\n"
        "        - Secrets:\n"
        "            - Name: KEY\n"
        "              ValueFrom: arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-AbCdEf:key::\n"
        "  Fn:\n"
        "    Properties:\n"
        "      Environment: ${ssm:/aws/reference/secretsmanager/prod/fn}\n"
    )
    assert references_of(tmp_path, "template.yaml", text) == [
        ("cloudformation", SM, "prod/db", "password", 4),
        ("cloudformation", "ssm", "/app/level", "", 5),
        ("ecs", SM, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-AbCdEf", "key", 11),
        ("serverless", SM, "prod/fn", "", 14),
    ]


def test_bare_arn_is_a_reference_but_not_in_a_policy(tmp_path: Path) -> None:
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"
    text = f"SecretArn: {arn}\nStatement:\n  - Resource: {arn}\n"
    assert references_of(tmp_path, "t.yaml", text) == [("arn", SM, arn, "", 1)]


def test_list_references_json(cli: RunCli, tmp_path: Path, monkeypatch: object) -> None:
    write(tmp_path, "io_config.yaml", "default:\n  A: \"{{ json_value(aws_secret_var('prod/db'), 'password') }}\"\n")
    monkeypatch.chdir(tmp_path)  # type: ignore[attr-defined]
    plain = cli("--format", "json", ".").json()
    assert "references" not in plain
    data = cli("--format", "json", "--list-references", ".").json()
    assert data["summary"] == {"files": 1, "findings": 0, "references": 1}
    [ref] = data["references"]
    assert ref["dialect"] == "mage"
    assert ref["provider"] == SM
    assert ref["secret_id"] == "prod/db"
    assert ref["json_key"] == "password"
    assert (ref["path"], ref["line"], ref["key"]) == ("io_config.yaml", 2, "default.A")
    text = cli("--list-references", ".")
    assert "io_config.yaml:2:" in text.out
    assert "mage aws-secretsmanager prod/db key=password" in text.out


def test_serverless_variables_as_its_parser_reads_them(tmp_path: Path) -> None:
    # serverless/serverless lib/configuration/variables/parse.js and sources get-ssm.js, get-secretsmanager.js.
    text = (
        "service: app\n"
        "provider:\n"
        "  environment:\n"
        "    A: ${ssm:/aws/reference/secretsmanager/${self:provider.stage}/db}\n"
        "    B: ${ssm(raw, noDecrypt, eu-west-1):/aws/reference/secretsmanager/prod/db, 'fallback'}\n"
        "    C: ${secretsmanager(versionStage=AWSPREVIOUS, eu-north-1):prod/api}\n"
        "    D: ${awsAccount1:ssm:/aws/reference/secretsmanager/prod/other, null}\n"
        "    E: ${ssm:/app/parameter}\n"
    )
    found = references_of(tmp_path, "serverless.yml", text)
    assert found == [
        ("serverless", SM, "${self:provider.stage}/db", "", 4),
        ("serverless", SM, "prod/db", "", 5),
        ("serverless", SM, "prod/api", "", 6),
        ("serverless", SM, "prod/other", "", 7),
        ("serverless", "ssm", "/app/parameter", "", 8),  # a parameter, for the Parameter Store backend
    ]
    # `${secretsmanager:…}` means Serverless's source only in a Serverless service file.
    assert references_of(tmp_path, "values.yaml", "a: ${secretsmanager:prod/api}\n") == []


def test_serverless_parameters_are_flags_then_a_region(tmp_path: Path) -> None:
    from yamlsecretlint.engine import Linter, Settings
    from yamlsecretlint.model import FileRef

    text = (
        "provider:\n"
        "  environment:\n"
        "    B: ${ssm(raw, noDecrypt, eu-west-1):/aws/reference/secretsmanager/prod/db}\n"
        "    C: ${secretsmanager(versionStage=AWSPREVIOUS, raw, eu-north-1):prod/api}\n"
    )
    path = write(tmp_path, "serverless.yml", text)
    refs = [r.reference for r in Linter(Settings()).lint(FileRef(path, "serverless.yml", "yaml")).references]
    assert [(r.region, r.version_stage) for r in refs] == [("eu-west-1", ""), ("eu-north-1", "AWSPREVIOUS")]


def test_spice_old_form_fix_is_todays_form(tmp_path: Path) -> None:
    from tests.helpers import lint_text

    text = "kind: Spicepod\ndatasets:\n  - params:\n      a: ${{ secrets.PG_PASS }}\n      b: ${{ env:PG_USER }}\n"
    messages = [f.message for f in lint_text(tmp_path, "spicepod.yaml", text) if f.rule == "YSL203"]
    assert [m.rsplit("write ", 1)[-1] for m in messages] == ["${secrets:PG_PASS}", "${env:PG_USER}"]


def test_cloudformation_placement_waits_for_the_resource_type(tmp_path: Path) -> None:
    """A custom resource's Type may come after its Properties: the verdict waits for the file's end."""
    reference = "{{resolve:secretsmanager:prod/db:SecretString:password}}"
    before = f'Resources:\n  Seed:\n    Type: Custom::Seed\n    Properties:\n      Password: "{reference}"\n'
    after = f'Resources:\n  Seed:\n    Properties:\n      Password: "{reference}"\n    Type: Custom::Seed\n'
    plain = f'Resources:\n  Seed:\n    Properties:\n      Password: "{reference}"\n    Type: AWS::RDS::DBInstance\n'
    for text, expected in ((before, [5]), (after, [4]), (plain, [])):
        findings = lint_text(tmp_path, "template.yaml", text)
        assert [f.span.line for f in findings if f.rule == "YSL208"] == expected, text


def test_cloudformation_placement_in_json_and_sam_globals(tmp_path: Path) -> None:
    reference = "{{resolve:ssm-secure:/prod/db/password:2}}"
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Globals": {"Function": {"Environment": {"Variables": {"DB": reference}}}},
        "Outputs": {"Db": {"Value": reference}},
    }
    findings = lint_text(tmp_path, "template.json", json.dumps(template, indent=1))
    [misplaced] = [f for f in findings if f.rule == "YSL208"]
    assert "not in Outputs" in misplaced.message


def test_copilot_manifest_secrets(tmp_path: Path) -> None:
    """Copilot's secrets: a Secrets Manager name (its ECS extended form), an SSM name, a secret ARN, an export."""
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf"
    text = (
        "name: api\ntype: 'Load Balanced Web Service'\nsecrets:\n  GITHUB_TOKEN: GH_TOKEN_SECRET\n"
        "  DB:\n    secretsmanager: 'demo/mysql:password::'\n"
        f"  ARN: {arn}\n  IMPORTED:\n    from_cfn: stack-SecretArn\n"
        "environments:\n  prod:\n    secrets:\n      DB2:\n        secretsmanager: prod/db\n"
        "sidecars:\n  proxy:\n    secrets:\n      TOKEN: /proxy/token\n"
        "logging:\n  secretOptions:\n    KEY:\n      secretsmanager: '${ENV_NAME}/log-key'\n"
    )
    expected = [
        ("copilot", "ssm", "GH_TOKEN_SECRET", "", 4),
        ("copilot", "aws-secretsmanager", "demo/mysql", "password", 6),
        ("copilot", "aws-secretsmanager", "prod/db", "", 14),
        ("copilot", "ssm", "/proxy/token", "", 18),
        ("copilot", "aws-secretsmanager", "${ENV_NAME}/log-key", "", 22),
        ("arn", "aws-secretsmanager", arn, "", 7),
    ]
    # Found by its folder, or by the workload type it declares wherever it lives.
    assert references_of(tmp_path, "copilot/api/manifest.yml", text) == expected
    assert references_of(tmp_path, "deploy/manifest.yml", text) == expected
    assert [r[0] for r in references_of(tmp_path, "deploy/manifest.yml", text.replace("type:", "kind:"))] == ["arn"]


def test_github_aws_secretsmanager_get_secrets_step(tmp_path: Path) -> None:
    """Each secret-ids line of the action's step is a reference; prefixes and other steps' inputs are not."""
    arn = "arn:aws:secretsmanager:us-east-2:123456789012:secret:test1-a1b2c3"
    text = (
        "on: push\njobs:\n  deploy:\n    steps:\n"
        "      - name: Get secrets\n        uses: aws-actions/aws-secretsmanager-get-secrets@v2\n"
        "        with:\n          secret-ids: |\n"
        f"            exampleSecretName\n            {arn}\n            ALIAS_1, test/db\n"
        "            ALIAS_2,test/*\n            ,test2\n            ${{ vars.SECRET }}\n"
        "      - uses: some/other-action@v1\n        with:\n          secret-ids: not/this\n"
    )
    SM = "aws-secretsmanager"
    assert references_of(tmp_path, ".github/workflows/deploy.yml", text) == [
        ("github", SM, "exampleSecretName", "", 9),
        ("github", SM, arn, "", 10),
        ("github", SM, "test/db", "", 11),
        ("github", SM, "test2", "", 13),
    ]


def test_ansible_amazon_aws_lookups(tmp_path: Path) -> None:
    """Literal terms of the collection's lookups; a listed path, an expression and a bad name are not references."""
    text = (
        "- hosts: all\n  vars:\n"
        "    db: \"{{ lookup('amazon.aws.secretsmanager_secret', 'prod/db', region='eu-west-1') }}\"\n"
        "    key: \"{{ lookup('amazon.aws.aws_secret', 'prod/app.api.key', nested=true) }}\"\n"
        "    many: \"{{ query('aws_ssm', '/app/a', '/app/b', region='us-east-2') }}\"\n"
        "    tree: \"{{ lookup('amazon.aws.ssm_parameter', '/app/', bypath=true) }}\"\n"
        "    computed: \"{{ lookup('amazon.aws.aws_secret', 'prod/' ~ env) }}\"\n"
    )
    assert references_of(tmp_path, "site.yml", text) == [
        ("ansible", "aws-secretsmanager", "prod/db", "", 3),
        ("ansible", "aws-secretsmanager", "prod/app", "api.key", 4),
        ("ansible", "ssm", "/app/a", "", 5),
        ("ansible", "ssm", "/app/b", "", 5),
    ]

"""migrate --apply against moto's server: lint -> plan -> apply -> re-lint offline and online; interrupted runs."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from tests.conftest import Run, run_subprocess, write
from tests.fakes import expand_with_values
from tests.migrate.test_plan import MAGE, TEMPLATE
from tests.online.conftest import Aws

TWO = "default:\n  DB_PASSWORD: \"<fake:password>\"\n  API_TOKEN: '<fake:password>'\n"


def migrate(aws: Aws, cwd: Path, *argv: str) -> Run:
    return run_subprocess(
        "migrate", "--no-gitignore", "--endpoint-url", aws.url, "--region", "eu-west-1", *argv,
        cwd=cwd, env=aws.env, inherit=False,
    )  # fmt: skip


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("---", "+++"))
    ]


def test_round_trip(aws: Aws, tmp_path: Path) -> None:
    mage, mage_values = expand_with_values(MAGE, seed=11)
    template, template_values = expand_with_values(TEMPLATE, seed=12)
    write(tmp_path, "io_config.yaml", mage)
    write(tmp_path, "template.yaml", template)
    run = migrate(aws, tmp_path, "--apply")
    assert run.code == 0, run.err
    assert "created 2 secret(s) (a repeated request counts once), 0 already there" in run.err
    assert "rotate it" in run.err
    sm = aws.client("secretsmanager", "eu-west-1")
    stored = sm.get_secret_value(SecretId="io_config/default/POSTGRES_PASSWORD")["SecretString"]
    assert stored == mage_values[0]
    tags = {t["Key"]: t["Value"] for t in sm.describe_secret(SecretId="template/Db/MasterUserPassword")["Tags"]}
    assert tags == {
        "yamlsecretlint:source": "template.yaml",
        "yamlsecretlint:key": "Resources.Db.Properties.MasterUserPassword",
    }
    new_mage = (tmp_path / "io_config.yaml").read_text()
    assert changed_lines(mage, new_mage) == [
        f'-  POSTGRES_PASSWORD: "{mage_values[0]}"',
        "+  POSTGRES_PASSWORD: \"{{ aws_secret_var('io_config/default/POSTGRES_PASSWORD') }}\"",
    ]
    assert "# the warehouse" in new_mage
    offline = run_subprocess("--format", "json", "--no-gitignore", ".", cwd=tmp_path, env=aws.env, inherit=False)
    assert json.loads(offline.out)["findings"] == [], offline.out  # no plaintext left, the references valid
    online = aws.cli(tmp_path, "--no-gitignore", "--region", "eu-west-1", ".")
    assert online.code == 0, online.err
    assert "checked 2 secret(s) in Secrets Manager" in online.err
    for value in mage_values + template_values:
        assert value not in run.out + run.err + online.out + online.err


def test_an_interrupted_apply_leaves_files_whole_and_a_rerun_finishes(aws: Aws, tmp_path: Path) -> None:
    text, values = expand_with_values(TWO, seed=13)
    write(tmp_path, "io_config.yaml", text)
    sm = aws.client("secretsmanager", "eu-west-1")
    # The second secret's name is taken by another value: the apply stops there for this file.
    other, _ = expand_with_values("<fake:password>", seed=14)
    sm.create_secret(Name="io_config/default/API_TOKEN", SecretString=other)
    run = migrate(aws, tmp_path, "--apply")
    assert run.code == 3
    assert "not migrated io_config/default/API_TOKEN: it exists with another value" in run.err
    assert (tmp_path / "io_config.yaml").read_text() == text  # untouched, though DB_PASSWORD was created
    assert sm.get_secret_value(SecretId="io_config/default/DB_PASSWORD")["SecretString"] == values[0]
    # Told to overwrite, the re-run finds DB_PASSWORD already there (no duplicate) and finishes.
    again = migrate(aws, tmp_path, "--apply", "--overwrite")
    assert again.code == 0, again.err
    assert "rewrote 1 file(s)" in again.err
    names = [s["Name"] for s in sm.list_secrets()["SecretList"]]
    assert sorted(names) == ["io_config/default/API_TOKEN", "io_config/default/DB_PASSWORD"]
    assert sm.get_secret_value(SecretId="io_config/default/API_TOKEN")["SecretString"] == values[1]
    assert values[1] not in (tmp_path / "io_config.yaml").read_text()


def test_a_rerun_with_the_same_values_creates_nothing_new(aws: Aws, tmp_path: Path) -> None:
    text, _ = expand_with_values(TWO, seed=15)
    write(tmp_path, "io_config.yaml", text)
    write(tmp_path, "copy/io_config.yaml", text)  # the same values under other names: two more secrets
    assert migrate(aws, tmp_path, "--apply").code == 0
    sm = aws.client("secretsmanager", "eu-west-1")
    before = sorted(s["ARN"] for s in sm.list_secrets()["SecretList"])
    write(tmp_path, "io_config.yaml", text)  # put back as it was: a re-run of the same migration
    run = migrate(aws, tmp_path, "--apply")
    assert run.code == 0, run.err
    assert sorted(s["ARN"] for s in sm.list_secrets()["SecretList"]) == before


SPICEPOD = (
    "version: v1\nkind: Spicepod\nname: app\ndatasets:\n  - from: postgres:orders\n    name: orders\n"
    "    params:\n      pg_host: db\n      pg_pass: <fake:password>\n      api_key: <fake:token>\n"
)


def test_spice_round_trip(aws: Aws, tmp_path: Path) -> None:
    text, values = expand_with_values(SPICEPOD, seed=16)
    write(tmp_path, "spicepod.yaml", text)
    run = migrate(aws, tmp_path, "--apply")
    assert run.code == 0, run.err
    sm = aws.client("secretsmanager", "eu-west-1")
    stored = json.loads(sm.get_secret_value(SecretId="spicepod")["SecretString"])
    assert stored == {"pg_pass": values[0], "api_key": values[1]}  # one JSON secret, read by one store
    after = (tmp_path / "spicepod.yaml").read_text()
    assert changed_lines(text, after) == [
        f"-      pg_pass: {values[0]}",
        f"-      api_key: {values[1]}",
        "+      pg_pass: ${aws:pg_pass}",
        "+      api_key: ${aws:api_key}",
        "+secrets:",
        "+  - from: env",  # the default env store, kept
        "+    name: env",
        "+  - from: aws_secrets_manager:spicepod",
        "+    name: aws",
    ]
    offline = run_subprocess("--format", "json", "--no-gitignore", ".", cwd=tmp_path, env=aws.env, inherit=False)
    assert json.loads(offline.out)["findings"] == [], offline.out
    online = aws.cli(tmp_path, "--no-gitignore", "--region", "eu-west-1", ".")
    assert online.code == 0, online.err
    for value in values:
        assert value not in run.out + run.err + online.out + online.err


STORE = (
    "apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata:\n  name: aws-sm\nspec:\n"
    "  provider:\n    aws:\n      service: SecretsManager\n      region: eu-west-1\n"
)


def test_kubernetes_secret_becomes_an_external_secret(aws: Aws, tmp_path: Path) -> None:
    import base64

    token, [token_value] = expand_with_values("<fake:token>", seed=17)
    password, [password_value] = expand_with_values("<fake:password>", seed=18)
    encoded = base64.b64encode(password.encode()).decode()
    secret = (
        "# the shop's database\napiVersion: v1\nkind: Secret\nmetadata:\n  name: app-db\n  namespace: shop\n"
        f"type: Opaque\ndata:\n  password: {encoded}\nstringData:\n  api_token: {token}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n"
    )
    write(tmp_path, "store.yaml", STORE)
    write(tmp_path, "secret.yaml", secret)
    run = migrate(aws, tmp_path, "--apply")
    assert run.code == 0, run.err
    sm = aws.client("secretsmanager", "eu-west-1")
    stored = json.loads(sm.get_secret_value(SecretId="shop/app-db")["SecretString"])
    assert stored == {"password": password_value, "api_token": token_value}
    after = (tmp_path / "secret.yaml").read_text()
    assert after.startswith("# the shop's database\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\n")
    assert after.endswith("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n")
    offline = run_subprocess("--format", "json", "--no-gitignore", ".", cwd=tmp_path, env=aws.env, inherit=False)
    assert json.loads(offline.out)["findings"] == [], offline.out
    online = aws.cli(tmp_path, "--no-gitignore", ".")
    assert online.code == 0, online.err  # both keys read through the store, in its region
    assert "checked 1 secret(s) in Secrets Manager" in online.err
    for value in (token_value, password_value, encoded):
        assert value not in run.out + run.err + online.out + online.err


TASKDEF = (
    "family: web\ncontainerDefinitions:\n  - name: app\n    image: nginx\n    environment:\n"
    "      - name: DB_PASSWORD\n        value: <fake:password>\n"
)
TASK_TEMPLATE = (
    "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n"
    "        - Name: api\n          Image: nginx\n          Environment:\n            - Name: LOG_LEVEL\n"
    "              Value: info\n            - Name: API_TOKEN\n              Value: <fake:token>\n"
)


def test_ecs_environment_moves_to_secrets(aws: Aws, tmp_path: Path) -> None:
    taskdef, taskdef_values = expand_with_values(TASKDEF, seed=19)
    template, template_values = expand_with_values(TASK_TEMPLATE, seed=20)
    write(tmp_path, "taskdef.yaml", taskdef)
    write(tmp_path, "template.yaml", template)
    plan = migrate(aws, tmp_path)
    assert "+        valueFrom: <ARN of taskdef/app/DB_PASSWORD>" in plan.out
    run = migrate(aws, tmp_path, "--apply")
    assert run.code == 0, run.err
    sm = aws.client("secretsmanager", "eu-west-1")
    arn = sm.describe_secret(SecretId="taskdef/app/DB_PASSWORD")["ARN"]
    assert (tmp_path / "taskdef.yaml").read_text() == (
        "family: web\ncontainerDefinitions:\n  - name: app\n    image: nginx\n    secrets:\n"
        f"      - name: DB_PASSWORD\n        valueFrom: {arn}\n"
    )  # the emptied environment is gone: ECS rejects a null one
    token_arn = sm.describe_secret(SecretId="template/api/API_TOKEN")["ARN"]
    assert changed_lines(template, (tmp_path / "template.yaml").read_text()) == [
        "+          Secrets:",
        "+            - Name: API_TOKEN",
        f"+              ValueFrom: {token_arn}",
        "-            - Name: API_TOKEN",
        f"-              Value: {template_values[0]}",
    ]
    offline = run_subprocess("--format", "json", "--no-gitignore", ".", cwd=tmp_path, env=aws.env, inherit=False)
    assert json.loads(offline.out)["findings"] == [], offline.out
    online = aws.cli(tmp_path, "--no-gitignore", ".")
    assert online.code == 0, online.err
    assert "checked 2 secret(s) in Secrets Manager" in online.err
    for value in taskdef_values + template_values:
        assert value not in run.out + run.err + online.out + online.err + plan.out + plan.err


def test_mage_grouped_into_one_json_secret(aws: Aws, tmp_path: Path) -> None:
    text, values = expand_with_values(TWO, seed=22)
    write(tmp_path, "io_config.yaml", text)
    run = migrate(aws, tmp_path, "--apply", "--group")
    assert run.code == 0, run.err
    sm = aws.client("secretsmanager", "eu-west-1")
    assert json.loads(sm.get_secret_value(SecretId="io_config")["SecretString"]) == {
        "DB_PASSWORD": values[0],
        "API_TOKEN": values[1],
    }
    after = (tmp_path / "io_config.yaml").read_text()
    assert "DB_PASSWORD: \"{{ json_value(aws_secret_var('io_config'), 'DB_PASSWORD') }}\"" in after
    online = aws.cli(tmp_path, "--no-gitignore", "--region", "eu-west-1", ".")
    assert online.code == 0, online.err  # both keys read in the one secret
    for value in values:
        assert value not in run.out + run.err + online.out + online.err


def test_a_cloudformation_default_round_trip(aws: Aws, tmp_path: Path) -> None:
    text, values = expand_with_values(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  DbPassword:\n    Type: String\n"
        "    Default: <fake:password>\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
        "      MasterUserPassword: !Ref DbPassword\n",
        seed=23,
    )
    write(tmp_path, "stack.yaml", text)
    run = migrate(aws, tmp_path, "--apply")
    assert run.code == 0, run.err
    sm = aws.client("secretsmanager", "eu-west-1")
    assert sm.get_secret_value(SecretId="stack/DbPassword")["SecretString"] == values[0]
    assert changed_lines(text, (tmp_path / "stack.yaml").read_text()) == [
        f"-    Default: {values[0]}",
        "+    Default: '{{resolve:secretsmanager:stack/DbPassword}}'",
        "+    NoEcho: true",
    ]
    offline = run_subprocess("--format", "json", "--no-gitignore", ".", cwd=tmp_path, env=aws.env, inherit=False)
    assert json.loads(offline.out)["findings"] == [], offline.out
    online = aws.cli(tmp_path, "--no-gitignore", "--region", "eu-west-1", ".")
    assert online.code == 0, online.err
    assert "checked 1 secret(s) in Secrets Manager" in online.err
    assert values[0] not in run.out + run.err + online.out + online.err

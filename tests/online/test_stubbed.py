"""What moto does not implement, with botocore's Stubber and AWS's real response shapes.

Per-secret denials and KMS failures inside a BatchGetSecretValue answer, the
per-secret fallback when the batch action is denied, and --principal-arn
(iam:SimulatePrincipalPolicy, iam:GetRole). Stubber checks every response
against the service model, so the shapes are AWS's own.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.conftest import write
from tests.online.conftest import fake_credentials
from yamlsecretlint import catalog
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.model import FileRef, LocatedReference
from yamlsecretlint.online.aws import Clients, Options
from yamlsecretlint.online.principal import BLIND_SPOTS
from yamlsecretlint.online.run import Outcome, run

ACCOUNT = "123456789012"
CALLER = f"arn:aws:iam::{ACCOUNT}:user/ci"


def sm_arn(name: str) -> str:
    return f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:{name}-AbCdEf"


class StubbedClients(Clients):
    def __init__(self) -> None:
        creds = fake_credentials(3)
        self.options = Options()
        self.ends = time.monotonic() + self.options.deadline
        self.real: dict[str, Any] = {
            service: boto3.client(
                service,
                region_name="eu-west-1",
                aws_access_key_id=creds["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=creds["AWS_SECRET_ACCESS_KEY"],
            )
            for service in ("sts", "secretsmanager", "iam", "kms", "ssm")
        }
        self.stubs = {service: Stubber(client) for service, client in self.real.items()}
        self.stubs["sts"].add_response(
            "get_caller_identity", {"UserId": "AIDAEXAMPLE", "Account": ACCOUNT, "Arn": CALLER}
        )

    @property
    def default_region(self) -> str | None:
        return "eu-west-1"

    def check_credentials(self) -> None:
        pass

    def client(self, service: str, region: str) -> Any:
        return self.real[service]

    def __enter__(self) -> StubbedClients:
        for stub in self.stubs.values():
            stub.activate()
        return self

    def __exit__(self, *exc: object) -> None:
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()
            stub.deactivate()


def simulated(
    iam: Stubber,
    principal: str,
    action: str,
    resource: str,
    verdict: str,
    context: dict[str, str] | None = None,
    policy: str = "",
) -> None:
    """One SimulatePrincipalPolicy call, answered ``verdict`` only if asked exactly so (context, resource policy)."""
    expected: dict[str, Any] = {"PolicySourceArn": principal, "ActionNames": [action], "ResourceArns": [resource]}
    if context:
        expected["ContextEntries"] = [
            {"ContextKeyName": k, "ContextKeyValues": [v], "ContextKeyType": "string"}
            for k, v in sorted(context.items())
        ]
    if policy:
        expected["ResourcePolicy"] = policy
        expected["ResourceOwner"] = f"arn:aws:iam::{resource.split(':')[4]}:root"
    iam.add_response(
        "simulate_principal_policy",
        {"EvaluationResults": [{"EvalActionName": action, "EvalResourceName": resource, "EvalDecision": verdict}]},
        expected,
    )


def describe_names(*names: str) -> dict[str, Any]:
    """The DescribeParameters call that asks the KMS keys of SecureStrings, 50 names at most."""
    return {"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": list(names)}], "MaxResults": 50}


def kms_context(secret_arn: str) -> dict[str, str]:
    return {"kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:EncryptionContext:SecretARN": secret_arn}


def references(tmp_path: Path, text: str) -> list[LocatedReference]:
    path = write(tmp_path, "io_config.yaml", text)
    return Linter(Settings()).lint(FileRef(path, "io_config.yaml", "yaml")).references


def go(refs: list[LocatedReference], clients: StubbedClients, options: Options | None = None) -> Outcome:
    with clients:
        return run(refs, options or Options(), catalog.load(), env={}, clients=clients)


def test_per_secret_denial_and_kms_failure_in_a_batch(tmp_path: Path) -> None:
    planted = "planted-" + secrets.token_hex(12)
    refs = references(
        tmp_path,
        "default:\n"
        "  A: \"{{ json_value(aws_secret_var('ok'), 'k') }}\"\n"
        "  B: \"{{ aws_secret_var('denied') }}\"\n"
        "  C: \"{{ aws_secret_var('kms') }}\"\n",
    )
    clients = StubbedClients()
    sm = clients.stubs["secretsmanager"]
    sm.add_response(
        "batch_get_secret_value",
        {
            "SecretValues": [
                {"ARN": sm_arn("ok"), "Name": "ok", "VersionId": "v1" * 16, "SecretString": json.dumps({"k": planted})}
            ],
            "Errors": [
                {
                    "SecretId": "denied",
                    "ErrorCode": "AccessDeniedException",
                    "Message": f"User: {CALLER} is not authorized to perform: secretsmanager:GetSecretValue",
                },
                {
                    "SecretId": "kms",
                    "ErrorCode": "DecryptionFailure",
                    "Message": "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
                },
            ],
        },
        {"SecretIdList": ["ok", "denied", "kms"]},
    )
    sm.add_response("describe_secret", {"ARN": sm_arn("ok"), "Name": "ok"}, {"SecretId": "ok"})
    outcome = go(refs, clients)
    assert outcome.problems == []
    assert [(f.rule, f.span.line) for f in outcome.findings] == [("YSL403", 3), ("YSL404", 4)]
    assert "user/ci may not secretsmanager:GetSecretValue on 'denied' (us-west-2, account 123456789012)" in (
        outcome.findings[0].message
    )
    assert planted not in repr(outcome)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("AccessDeniedException", 400),
        # A Secrets Manager-compatible endpoint without the batch action.
        ("UnknownOperationException", 400),
        ("NotImplemented", 501),
    ],
)
def test_batch_denied_or_missing_falls_back_to_each_secret(tmp_path: Path, code: str, status: int) -> None:
    refs = references(
        tmp_path,
        "default:\n  A: \"{{ aws_secret_var('a') }}\"\n  B: \"{{ aws_secret_var('b') }}\"\n"
        "  C: \"{{ aws_secret_var('c') }}\"\n",
    )
    clients = StubbedClients()
    sm = clients.stubs["secretsmanager"]
    denied = f"User: {CALLER} is not authorized to perform: secretsmanager:BatchGetSecretValue"
    sm.add_client_error("batch_get_secret_value", code, denied, status)
    sm.add_response("get_secret_value", {"ARN": sm_arn("a"), "Name": "a", "SecretString": "v"}, {"SecretId": "a"})
    sm.add_client_error(
        "get_secret_value", "AccessDeniedException", "not authorized", 400, expected_params={"SecretId": "b"}
    )
    sm.add_client_error(
        "get_secret_value", "ResourceNotFoundException", "can't find", 400, expected_params={"SecretId": "c"}
    )
    for name in ("a",):
        sm.add_response("describe_secret", {"ARN": sm_arn(name), "Name": name}, {"SecretId": name})
    outcome = go(refs, clients)
    assert [(f.rule, f.span.line) for f in outcome.findings] == [("YSL403", 3), ("YSL401", 4)]


def test_mage_needs_describe_secret_too(tmp_path: Path) -> None:
    refs = references(tmp_path, "default:\n  A: \"{{ aws_secret_var('a') }}\"\n")
    clients = StubbedClients()
    sm = clients.stubs["secretsmanager"]
    sm.add_response(
        "batch_get_secret_value", {"SecretValues": [{"ARN": sm_arn("a"), "Name": "a", "SecretString": "v"}]}
    )
    sm.add_client_error("describe_secret", "AccessDeniedException", "not authorized", 400)
    [finding] = go(refs, clients).findings
    assert finding.rule == "YSL403"
    assert "DescribeSecret" in finding.message
    assert "aws-secretsmanager-caching" in finding.message


@pytest.mark.parametrize(
    ("principal", "resolved"),
    [
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/gha-session", f"arn:aws:iam::{ACCOUNT}:role/service/deploy"),
        (f"arn:aws:iam::{ACCOUNT}:role/service/deploy", f"arn:aws:iam::{ACCOUNT}:role/service/deploy"),
    ],
)
def test_principal_simulation(tmp_path: Path, principal: str, resolved: str) -> None:
    refs = references(
        tmp_path,
        "default:\n  A: \"{{ aws_secret_var('a') }}\"\n  B: \"{{ aws_secret_var('b') }}\"\n",
    )
    clients = StubbedClients()
    iam, sm = clients.stubs["iam"], clients.stubs["secretsmanager"]
    if "assumed-role" in principal:
        created = "2026-01-01T00:00:00Z"
        role = {"Path": "/service/", "RoleName": "deploy", "RoleId": "AROAEXAMPLEEXAMPLE1", "Arn": resolved}
        iam.add_response("get_role", {"Role": {**role, "CreateDate": created}}, {"RoleName": "deploy"})
    key = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    sm.add_response("describe_secret", {"ARN": sm_arn("a"), "Name": "a", "KmsKeyId": key}, {"SecretId": "a"})
    sm.add_response("get_resource_policy", {"ARN": sm_arn("a"), "Name": "a"}, {"SecretId": sm_arn("a")})
    simulated(iam, resolved, "secretsmanager:GetSecretValue", sm_arn("a"), "allowed")
    simulated(iam, resolved, "secretsmanager:DescribeSecret", sm_arn("a"), "allowed")
    simulated(iam, resolved, "kms:Decrypt", key, "implicitDeny", kms_context(sm_arn("a")))
    sm.add_response("describe_secret", {"ARN": sm_arn("b"), "Name": "b"}, {"SecretId": "b"})
    sm.add_response("get_resource_policy", {"ARN": sm_arn("b"), "Name": "b"}, {"SecretId": sm_arn("b")})
    simulated(iam, resolved, "secretsmanager:GetSecretValue", sm_arn("b"), "explicitDeny")
    outcome = go(refs, clients, Options(principal_arn=principal))
    assert [(f.rule, f.span.line) for f in outcome.findings] == [("YSL404", 2), ("YSL403", 3)]
    assert resolved in outcome.findings[0].message
    assert outcome.notes == [f"note: {BLIND_SPOTS}", "online: checked 2 secret(s) in Secrets Manager"]


PRINCIPAL = f"arn:aws:iam::{ACCOUNT}:role/deploy"


def test_principal_simulation_sees_tags_resource_policy_aliases_and_mage_describe(tmp_path: Path) -> None:
    """Conditional policies are judged with the real call's context; Mage's DescribeSecret is simulated too."""
    refs = references(tmp_path, "default:\n  A: \"{{ aws_secret_var('a') }}\"\n")
    clients = StubbedClients()
    iam, sm, kms = clients.stubs["iam"], clients.stubs["secretsmanager"], clients.stubs["kms"]
    alias = f"arn:aws:kms:eu-west-1:{ACCOUNT}:alias/app"
    key = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    described = {"ARN": sm_arn("a"), "Name": "a", "KmsKeyId": "alias/app", "Tags": [{"Key": "team", "Value": "db"}]}
    sm.add_response("describe_secret", described, {"SecretId": "a"})
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*"}]})
    sm.add_response("get_resource_policy", {"ARN": sm_arn("a"), "ResourcePolicy": policy}, {"SecretId": sm_arn("a")})
    tags = {"aws:ResourceTag/team": "db", "secretsmanager:ResourceTag/team": "db"}
    simulated(iam, PRINCIPAL, "secretsmanager:GetSecretValue", sm_arn("a"), "allowed", tags, policy)
    simulated(iam, PRINCIPAL, "secretsmanager:DescribeSecret", sm_arn("a"), "implicitDeny", tags, policy)
    metadata = {"KeyId": key.rsplit("/", 1)[1], "Arn": key}
    kms.add_response("describe_key", {"KeyMetadata": metadata}, {"KeyId": alias})
    simulated(iam, PRINCIPAL, "kms:Decrypt", key, "allowed", kms_context(sm_arn("a")))
    [finding] = go(refs, clients, Options(principal_arn=PRINCIPAL)).findings
    assert finding.rule == "YSL403"
    assert "DescribeSecret" in finding.message


def test_principal_in_another_account_needs_a_customer_managed_key(tmp_path: Path) -> None:
    other = sm_arn("shared").replace(ACCOUNT, "210987654321")
    path = write(
        tmp_path, "taskdef.yaml", f"containerDefinitions:\n  - secrets:\n      - name: A\n        valueFrom: {other}\n"
    )
    refs = Linter(Settings()).lint(FileRef(path, "taskdef.yaml", "yaml")).references
    clients = StubbedClients()
    clients.stubs["secretsmanager"].add_response(
        "describe_secret", {"ARN": other, "Name": "shared"}, {"SecretId": other}
    )
    [finding] = go(refs, clients, Options(principal_arn=PRINCIPAL)).findings
    assert finding.rule == "YSL404"


def test_principal_check_without_the_resource_policy_is_not_clean(tmp_path: Path) -> None:
    refs = references(tmp_path, "default:\n  A: \"{{ aws_secret_var('a') }}\"\n")
    clients = StubbedClients()
    sm = clients.stubs["secretsmanager"]
    sm.add_response("describe_secret", {"ARN": sm_arn("a"), "Name": "a"}, {"SecretId": "a"})
    sm.add_client_error("get_resource_policy", "AccessDeniedException", "not authorized", 400)
    outcome = go(refs, clients, Options(principal_arn=PRINCIPAL))
    assert outcome.findings == []
    assert outcome.problems
    assert "GetResourcePolicy" in outcome.problems[0]


def test_principal_may_not_read_a_parameter(tmp_path: Path) -> None:
    path = write(
        tmp_path, "template.yaml", "Resources:\n  A:\n    Properties:\n      L: '{{resolve:ssm:/app/level}}'\n"
    )
    refs = Linter(Settings()).lint(FileRef(path, "template.yaml", "yaml")).references
    clients = StubbedClients()
    arn = f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/app/level"
    parameter = {"Name": "/app/level", "Type": "String", "Value": "v", "Version": 1, "ARN": arn}
    clients.stubs["ssm"].add_response(
        "get_parameters",
        {"Parameters": [parameter]},
        {"Names": ["/app/level"], "WithDecryption": False},
    )
    simulated(clients.stubs["iam"], PRINCIPAL, "ssm:GetParameters", arn, "implicitDeny")
    [finding] = go(refs, clients, Options(principal_arn=PRINCIPAL, region="eu-west-1")).findings
    assert finding.rule == "YSL403"
    assert f"{PRINCIPAL} may not ssm:GetParameters on parameter '/app/level'" in finding.message


def test_principal_may_not_decrypt_a_secure_parameter(tmp_path: Path) -> None:
    text = "Resources:\n  A:\n    Properties:\n      P: '{{resolve:ssm-secure:/app/pw:1}}'\n"
    path = write(tmp_path, "template.yaml", text)
    refs = Linter(Settings()).lint(FileRef(path, "template.yaml", "yaml")).references
    clients = StubbedClients()
    ssm, iam, kms = clients.stubs["ssm"], clients.stubs["iam"], clients.stubs["kms"]
    arn = f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/app/pw"
    parameter = {"Name": "/app/pw", "Type": "SecureString", "Value": "AQICAH", "Version": 1, "Selector": ":1"}
    ssm.add_response("get_parameters", {"Parameters": [parameter]}, {"Names": ["/app/pw:1"], "WithDecryption": False})
    simulated(iam, PRINCIPAL, "ssm:GetParameters", arn, "allowed")
    listed = {"Parameters": [{"Name": "/app/pw", "Type": "SecureString", "KeyId": "alias/app"}]}
    ssm.add_response("describe_parameters", listed, describe_names("/app/pw"))
    key = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    alias = f"arn:aws:kms:eu-west-1:{ACCOUNT}:alias/app"
    kms.add_response("describe_key", {"KeyMetadata": {"KeyId": key.rsplit("/", 1)[1], "Arn": key}}, {"KeyId": alias})
    context = {"kms:ViaService": "ssm.eu-west-1.amazonaws.com", "kms:EncryptionContext:PARAMETER_ARN": arn}
    simulated(iam, PRINCIPAL, "kms:Decrypt", key, "implicitDeny", context)
    [finding] = go(refs, clients, Options(principal_arn=PRINCIPAL, region="eu-west-1")).findings
    assert finding.rule == "YSL404"
    assert "may not kms:Decrypt the key of parameter '/app/pw'" in finding.message


SECURE_TEMPLATE = "Resources:\n  A:\n    Properties:\n      P: '{{resolve:ssm-secure:/app/pw}}'\n"
CMK = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize("case", ["managed key", "denied", "simulator denied"])
def test_caller_decrypt_of_a_secure_parameter_is_inferred(tmp_path: Path, case: str) -> None:
    """As the caller nothing is decrypted: the managed key follows read access, a customer key is simulated."""
    path = write(tmp_path, "template.yaml", SECURE_TEMPLATE)
    refs = Linter(Settings()).lint(FileRef(path, "template.yaml", "yaml")).references
    clients = StubbedClients()
    ssm, iam = clients.stubs["ssm"], clients.stubs["iam"]
    parameter = {"Name": "/app/pw", "Type": "SecureString", "Value": "AQICAH", "Version": 1}
    ssm.add_response("get_parameters", {"Parameters": [parameter]}, {"Names": ["/app/pw"], "WithDecryption": False})
    key = "alias/aws/ssm" if case == "managed key" else CMK
    listed = {"Parameters": [{"Name": "/app/pw", "Type": "SecureString", "KeyId": key}]}
    ssm.add_response("describe_parameters", listed, describe_names("/app/pw"))
    arn = f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/app/pw"
    context = {"kms:ViaService": "ssm.eu-west-1.amazonaws.com", "kms:EncryptionContext:PARAMETER_ARN": arn}
    if case == "denied":
        simulated(iam, CALLER, "kms:Decrypt", CMK, "implicitDeny", context)
    elif case == "simulator denied":
        iam.add_client_error("simulate_principal_policy", "AccessDenied", "not authorized", 403)
    outcome = go(refs, clients, Options(region="eu-west-1"))
    assert outcome.problems == []
    unseen = [note for note in outcome.notes if "was not seen" in note]
    if case == "denied":
        [finding] = outcome.findings
        assert finding.rule == "YSL404"
        assert f"{CALLER} may not kms:Decrypt the key of parameter '/app/pw'" in finding.message
    else:
        assert outcome.findings == []
    assert len(unseen) == (1 if case == "simulator denied" else 0)


AUTO_MANIFESTS = f"""apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: by-role
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
      role: arn:aws:iam::{ACCOUNT}:role/eso-app
---
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: by-irsa
  namespace: apps
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
      auth:
        jwt:
          serviceAccountRef:
            name: eso-reader
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: eso-reader
  namespace: apps
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::{ACCOUNT}:role/irsa-reader
---
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: as-controller
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
"""


def _external(name: str, store: str) -> str:
    return (
        f"---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: {name}\nspec:\n"
        f"  secretStoreRef:\n    name: {store}\n  data:\n    - secretKey: v\n      remoteRef:\n        key: {name}\n"
    )


def test_auto_simulates_each_external_secret_as_its_store_role(tmp_path: Path) -> None:
    text = AUTO_MANIFESTS + _external("a", "by-role") + _external("b", "by-irsa") + _external("c", "as-controller")
    path = write(tmp_path, "manifests.yaml", text)
    refs = Linter(Settings()).lint(FileRef(path, "manifests.yaml", "yaml")).references
    app, irsa = f"arn:aws:iam::{ACCOUNT}:role/eso-app", f"arn:aws:iam::{ACCOUNT}:role/irsa-reader"
    assert [r.reference.principal for r in refs] == [app, irsa, ""]
    clients = StubbedClients()
    sts, sm, iam = clients.stubs["sts"], clients.stubs["secretsmanager"], clients.stubs["iam"]
    for _ in range(2):  # each principal's verifier asks who is calling
        sts.add_response("get_caller_identity", {"UserId": "AIDAEXAMPLE", "Account": ACCOUNT, "Arn": CALLER})
    for name, role, verdict in (("a", app, "explicitDeny"), ("b", irsa, "allowed")):
        sm.add_response("describe_secret", {"ARN": sm_arn(name), "Name": name}, {"SecretId": name})
        sm.add_response("get_resource_policy", {"ARN": sm_arn(name), "Name": name}, {"SecretId": sm_arn(name)})
        simulated(iam, role, "secretsmanager:GetSecretValue", sm_arn(name), verdict)
    answered = {"ARN": sm_arn("c"), "Name": "c", "SecretString": "x"}
    sm.add_response("batch_get_secret_value", {"SecretValues": [answered], "Errors": []}, {"SecretIdList": ["c"]})
    outcome = go(refs, clients, Options(principal_arn="auto"))
    [finding] = outcome.findings
    assert finding.rule == "YSL403"
    assert f"{app} may not secretsmanager:GetSecretValue on 'a'" in finding.message
    said = "2 reference(s) simulated as the role their store assumes, 1 checked as the caller"
    assert f"online: --principal-arn auto: {said}" in outcome.notes

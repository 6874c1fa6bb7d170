"""The secret operators' manifests as references: External Secrets Operator and the Secrets Store CSI driver."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli, write
from tests.helpers import references_of

STORES = """apiVersion: external-secrets.io/v1beta1
kind: ClusterSecretStore
metadata:
  name: aws-sm
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
---
apiVersion: external-secrets.io/v1beta1
kind: SecretStore
metadata:
  name: aws-ps
spec:
  provider:
    aws:
      service: ParameterStore
      region: us-east-2
"""
EXTERNAL = """apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: db
spec:
  secretStoreRef:
    name: aws-sm
    kind: ClusterSecretStore
  data:
    - secretKey: password
      remoteRef:
        key: prod/db
        property: password
        version: uuid/1234
    - secretKey: user
      remoteRef:
        key: prod/db
        property: username
  dataFrom:
    - extract:
        key: prod/app
    - find:
        name:
          regexp: "^prod/"
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: params
spec:
  secretStoreRef:
    name: aws-ps
  data:
    - secretKey: level
      remoteRef:
        key: /app/level
        version: "3"
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: elsewhere
spec:
  secretStoreRef:
    name: platform-store
  data:
    - secretKey: x
      remoteRef:
        key: prod/x
---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: app
spec:
  provider: aws
  parameters:
    region: eu-central-1
    objects: |
      - objectName: "prod/api"
        objectType: "secretsmanager"
        objectVersionLabel: AWSCURRENT
      - objectName: "/app/flag"
        objectType: "ssmparameter"
      - objectName: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/key-AbCdEf"
"""
SM = "aws-secretsmanager"


def test_external_secrets_and_provider_classes(tmp_path: Path) -> None:
    # The stores in the same file as the ExternalSecrets that name them.
    found = references_of(tmp_path, "all.yaml", STORES + "---\n" + EXTERNAL)
    shift = STORES.count("\n") + 1
    assert [(d, p, s, k, line - shift) for d, p, s, k, line in found] == [
        ("kubernetes", SM, "prod/db", "password", 12),
        ("kubernetes", SM, "prod/db", "username", 17),
        ("kubernetes", SM, "prod/app", "", 21),
        ("kubernetes", "ssm", "/app/level", "", 36),
        ("kubernetes", "external-secrets", "prod/x", "", 49),
        ("kubernetes", SM, "prod/api", "", 60),
        ("kubernetes", "ssm", "/app/flag", "", 63),
        ("kubernetes", SM, "arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/key-AbCdEf", "", 65),
    ]


def test_a_store_in_another_linted_file(tmp_path: Path, cli: RunCli) -> None:
    write(tmp_path, "store.yaml", STORES)
    write(tmp_path, "external.yaml", EXTERNAL)
    run = cli("--list-references", "--format", "json", "--no-gitignore", str(tmp_path))
    references = {
        (r["line"], r["provider"], r["version_id"], r["version_stage"], r["region"], r["online"])
        for r in run.json()["references"]
        if r["path"].endswith("external.yaml")
    }
    assert (12, SM, "1234", "", "eu-west-1", "secretsmanager") in references  # `uuid/ID` is a version id
    assert (36, "ssm", "3", "", "us-east-2", "parameterstore") in references
    assert (49, "external-secrets", "", "", "", "none") in references  # its store is nowhere: listed only
    # Alone, the ExternalSecrets' stores are unknown.
    alone = cli("--list-references", "--format", "json", "--no-gitignore", str(tmp_path / "external.yaml"))
    assert {r["online"] for r in alone.json()["references"][:5]} == {"none"}


IRSA_STORE = """apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: irsa
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
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: app
  namespace: apps
spec:
  secretStoreRef:
    name: irsa
  data:
    - secretKey: v
      remoteRef:
        key: prod/app
"""
ACCOUNT_MANIFEST = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: eso-reader
  namespace: apps
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/irsa-reader
"""


def test_the_principal_a_store_reads_as(tmp_path: Path, cli: RunCli) -> None:
    """A store's role, or its service account's IRSA role from another linted file: what `auto` simulates."""
    write(tmp_path, "app.yaml", IRSA_STORE)
    alone = cli("--list-references", "--format", "json", "--no-gitignore", str(tmp_path))
    assert [r["principal"] for r in alone.json()["references"]] == ["serviceaccount:apps/eso-reader"]
    write(tmp_path, "sa.yaml", ACCOUNT_MANIFEST)
    both = cli("--list-references", "--no-gitignore", str(tmp_path))
    assert "principal=arn:aws:iam::123456789012:role/irsa-reader online=secretsmanager" in both.out
    role = STORES.replace("region: eu-west-1", "region: eu-west-1\n      role: arn:aws:iam::123456789012:role/eso")
    found = references_of(tmp_path, "all.yaml", role + "---\n" + EXTERNAL)
    assert found  # the role reaches the references in the same file
    run = cli("--list-references", "--format", "json", "--no-gitignore", str(tmp_path / "all.yaml"))
    principals = {r["secret_id"]: r["principal"] for r in run.json()["references"]}
    assert principals["prod/db"] == "arn:aws:iam::123456789012:role/eso"
    assert principals["/app/level"] == ""  # its store names no role

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
    # Each worker finds what its files declare: the same from two processes.
    assert cli("--list-references", "--format", "json", "--no-gitignore", "--jobs", "2", str(tmp_path)).out == run.out
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


def test_jmes_paths_fetched_tags_and_other_providers(tmp_path: Path) -> None:
    text = """apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: app
spec:
  provider: aws
  parameters:
    objects: |
      - objectName: "prod/db"
        objectType: "secretsmanager"
        jmesPath:
          - path: '"db-password"'
            objectAlias: password
          - path: username
            objectAlias: user
          - path: hosts[0].name
            objectAlias: host
---
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: vault
spec:
  provider:
    vault:
      server: https://vault.example.com
---
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: aws
spec:
  provider:
    aws:
      service: SecretsManager
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: app
spec:
  secretStoreRef:
    name: aws
  data:
    - secretKey: team
      remoteRef:
        key: prod/db
        metadataPolicy: Fetch
        property: team
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: from-vault
spec:
  secretStoreRef:
    name: vault
  data:
    - secretKey: token
      remoteRef:
        key: app/token
"""
    found = references_of(tmp_path, "app.yaml", text)
    assert found == [
        ("kubernetes", SM, "prod/db", "", 9),
        ("kubernetes", SM, "prod/db", "db-password", 12),  # a quoted key: the one key the path reads
        ("kubernetes", SM, "prod/db", "username", 14),
        # hosts[0].name reads a nested value: listed through the object only
        ("kubernetes", SM, "prod/db", "", 47),  # with metadataPolicy Fetch, property names a tag
        ("kubernetes", "vault", "app/token", "", 61),  # a store of another provider: found, read by no backend
    ]


def test_a_store_found_nowhere_is_one_note_per_run(tmp_path: Path, cli: RunCli) -> None:
    write(tmp_path, "a/external.yaml", EXTERNAL)
    write(tmp_path, "b/external.yaml", EXTERNAL)
    run = cli("--format", "json", "--no-gitignore", str(tmp_path))
    assert run.code == 0, run.err  # a note never fails the run
    notes = [f for f in run.json()["findings"] if f["rule"] == "YSL210"]
    assert [(n["severity"], n["path"].split("/", n["path"].count("/") - 1)[-1], n["line"]) for n in notes] == [
        ("note", "a/external.yaml", 12),  # aws-sm: 3 references in each file
        ("note", "a/external.yaml", 36),  # aws-ps
        ("note", "a/external.yaml", 49),  # platform-store
    ]
    assert "'platform-store' that 2 reference(s) in 2 file(s)" in notes[2]["message"]
    write(tmp_path, "stores.yaml", STORES)
    again = cli("--format", "json", "--no-gitignore", str(tmp_path))
    assert [f["line"] for f in again.json()["findings"] if f["rule"] == "YSL210"] == [49]

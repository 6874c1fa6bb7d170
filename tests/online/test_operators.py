"""ExternalSecrets and SecretProviderClasses checked online against moto's server, in their stores' regions."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import write
from tests.online.conftest import Aws

MANIFESTS = """apiVersion: external-secrets.io/v1beta1
kind: SecretStore
metadata:
  name: sm
spec:
  provider:
    aws:
      service: SecretsManager
      region: us-east-2
---
apiVersion: external-secrets.io/v1beta1
kind: SecretStore
metadata:
  name: ps
spec:
  provider:
    aws:
      service: ParameterStore
      region: us-east-2
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: app
spec:
  secretStoreRef:
    name: sm
  data:
    - secretKey: password
      remoteRef:
        key: prod/db
        property: password
    - secretKey: token
      remoteRef:
        key: prod/db
        property: tokn
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: params
spec:
  secretStoreRef:
    name: ps
  data:
    - secretKey: level
      remoteRef:
        key: /app/level
    - secretKey: gone
      remoteRef:
        key: /app/gone
---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: csi
spec:
  provider: aws
  parameters:
    region: us-east-2
    objects: |
      - objectName: "prod/missing"
        objectType: "secretsmanager"
"""


def test_operators_are_read_where_their_stores_read(aws: Aws, tmp_path: Path) -> None:
    aws.secret("prod/db", {"password": "x", "token": "y"}, region="us-east-2")
    aws.parameter("/app/level", "v", region="us-east-2")
    write(tmp_path, "manifests.yaml", MANIFESTS)
    # --region is only the fallback: each store names its own region.
    run = aws.cli(tmp_path, "--format", "json", "--region", "eu-west-1", ".")
    assert run.code == 1, run.err
    findings = json.loads(run.out)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("YSL405", 35), ("YSL401", 51), ("YSL401", 62)]
    assert "did you mean 'token'?" in findings[0]["message"]
    assert "(us-east-2, account 123456789012)" in findings[1]["message"]

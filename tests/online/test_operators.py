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


def test_properties_of_parameters_and_jmes_paths(aws: Aws, tmp_path: Path) -> None:
    """A String parameter's JSON keys are read as a secret's (its value is popped on arrival); a SecureString's
    are not decrypted, and that is said; a CSI jmesPath naming one key is checked like a property."""
    aws.parameter("/app/json", json.dumps({"user": "u", "pass": "p"}), region="us-east-2")
    aws.parameter("/app/plain", "just-text", region="us-east-2")
    aws.parameter("/app/secure", json.dumps({"k": "v"}), kind="SecureString", region="us-east-2")
    aws.secret("prod/api", {"token": "t"}, region="us-east-2")
    entries = [("/app/json", "pass"), ("/app/json", "pas"), ("/app/plain", "user"), ("/app/secure", "k")]
    data = "".join(
        f"    - secretKey: s{i}\n      remoteRef:\n        key: {key}\n        property: {prop}\n"
        for i, (key, prop) in enumerate(entries)
    )
    manifests = MANIFESTS.split("---\napiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret")[0]
    manifests += "---\nkind: ExternalSecret\napiVersion: external-secrets.io/v1\nmetadata:\n  name: p\nspec:\n"
    manifests += f"  secretStoreRef:\n    name: ps\n  data:\n{data}"
    manifests += """---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: csi
spec:
  provider: aws
  parameters:
    region: us-east-2
    objects: |
      - objectName: "prod/api"
        objectType: "secretsmanager"
        jmesPath:
          - path: token
            objectAlias: t
          - path: tokn
            objectAlias: t2
"""
    write(tmp_path, "manifests.yaml", manifests)
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert run.code == 1, run.err
    findings = [(f["rule"], f["message"]) for f in json.loads(run.out)["findings"]]
    assert [rule for rule, _ in findings] == ["YSL405", "YSL405", "YSL405"]
    assert "parameter '/app/json' has no key 'pas'" in findings[0][1]
    assert "did you mean 'pass'?" in findings[0][1]
    assert "parameter '/app/plain' is not a JSON object" in findings[1][1]
    assert "secret 'prod/api' has no key 'tokn'" in findings[2][1]
    assert "1 JSON key(s) read from SecureString parameters were not checked" in run.err
    assert "just-text" not in run.out + run.err

"""Every "never a finding" form of issue 3, in YAML and in dotenv: no rule may fire."""

from __future__ import annotations

from pathlib import Path

from tests.fakes import expand
from tests.helpers import lint_text

NEVER_YAML = """\
x-db-env: &db-env
  DB_USER: app
services:
  app:
    environment:
      <<: *db-env
      MAGE_PASSWORD: "{{ env_var('MAGE_PASSWORD') }}"
      MAGE_SECRET: {{ aws_secret_var('mage/secret') }}
      SPICE_PASS: ${secrets:pg_pass}
      SHELL_PASSWORD: ${DB_PASSWORD}
      DEFAULT_PASSWORD: ${DB_PASSWORD:-changeme}
      BARE_TOKEN: $API_TOKEN
      GH_TOKEN: ${{ secrets.GH_TOKEN }}
      CFN_PASSWORD: "{{resolve:secretsmanager:prod/db:SecretString:password}}"
      HELM_PASSWORD: "{{ .Values.db.password }}"
      SLS_TOKEN: ${ssm:/aws/reference/secretsmanager/prod/token}
      SLS_ENV_TOKEN: ${env:TOKEN}
      SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf
      VAULT_TOKEN: vault:secret/data/app#token
      SOPS_SECRET: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:k=,type:str]
      DOTENVX_SECRET: "encrypted:BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt"
      OP_PASSWORD: op://prod/db/password
      DB_PASSWORD_FILE: /run/secrets/db-password
      PASSWORD_PATH: ./secrets/password.txt
      EMPTY_PASSWORD: ""
      NULL_TOKEN: null
      FLAG_SECRET: true
      P1: changeme
      P2: CHANGE_ME
      P3: password
      P4: secret
      P5: xxxxxxxxxxxx
      P6: "***"
      P7: <your-password>
      P8: your_api_key_here
      STRIPE_SECRET_KEY: sk_test_xxx
      P9: REDACTED
      P10: example
      P11: dummy
      P12: test
      AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
      AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
      MINIO_ROOT_PASSWORD: minioadmin
      AMQP_URL: amqp://guest:guest@localhost:5672/
      STRIPE_PUBLISHABLE_KEY: pk_live_0123456789abcdefABCDEF
      POSTHOG_KEY: phc_0123456789abcdefABCDEF0123456789abcdefABC
      MAPBOX_TOKEN: pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjbGFiYyJ9.abcdefghijklmnop
      SUPABASE_ANON_KEY: <fake:supabase-anon-jwt>
      SSH_PUBLIC_KEY: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci
      AZURE_CLIENT_ID: 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
      TWILIO_ACCOUNT_SID: AC0123456789abcdef0123456789abcdef
      KMS_KEY_ID: 1234abcd-12ab-34cd-56ef-1234567890ab
      AWS_ACCOUNT_ID: "123456789012"
    image: registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    labels:
      checksum/config: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      data: aGVsbG8gd29ybGQ=
    secrets: [db_password]
cert: |
  -----BEGIN CERTIFICATE-----
  <fake:pem-body>
  -----END CERTIFICATE-----
db_password: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  62313365396662343061393464336163383764373764613633653634306231386433626436623361
master_password: !Ref MasterPassword
"""

NEVER_DOTENV = """\
# Local settings: every value here is a reference or a placeholder.
DB_PASSWORD=${DB_PASSWORD}
API_KEY=$API_KEY
DEFAULTED_PASSWORD=${DB_PASSWORD:-changeme}
SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-AbCdEf
VAULT_TOKEN=vault:secret/data/app#token
SOPS_TOKEN=ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:k=,type:str]
DOTENVX_SECRET="encrypted:BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt"
OP_PASSWORD=op://vault/item/password
SECRET_KEY_FILE=/run/secrets/secret_key
EMPTY_TOKEN=
DEBUG_TOKEN=false
P1=changeme
P2=CHANGE_ME
P3=password
P4=secret
P5=xxxxxxxx
P6=***
P7=<your-password>
P8=your_api_key_here
STRIPE_SECRET_KEY=sk_test_xxx
P9=REDACTED
P10=example
P11=dummy
P12=test
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
MINIO_ROOT_PASSWORD=minioadmin
RABBITMQ_URL=amqp://guest:guest@localhost:5672
STRIPE_PUBLISHABLE_KEY=pk_test_0123456789abcdefABCDEF
NEXT_PUBLIC_POSTHOG_KEY=phc_0123456789abcdefABCDEF0123456789abcdefABC
SUPABASE_ANON_KEY=<fake:supabase-anon-jwt>
JWT_EXAMPLE_TOKEN=<fake:jwt-io-sample>
AZURE_TENANT_ID=3f1c2a4b-9d8e-4f7a-b6c5-d4e3f2a1b0c9
TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef
IMAGE_DIGEST=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
"""


def test_never_a_finding_in_yaml(tmp_path: Path) -> None:
    assert lint_text(tmp_path, "docker-compose.yml", expand(NEVER_YAML)) == []


def test_never_a_finding_in_dotenv(tmp_path: Path) -> None:
    assert lint_text(tmp_path, ".env", expand(NEVER_DOTENV)) == []


def test_never_a_finding_in_env_example_either(tmp_path: Path) -> None:
    assert lint_text(tmp_path, ".env.example", expand(NEVER_DOTENV)) == []

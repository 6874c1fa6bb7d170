"""The value policy of issue 3, form by form."""

from __future__ import annotations

import pytest

from tests.fakes import FAKES
from yamlsecretlint.checks.values import benign
from yamlsecretlint.references.inline import references

NEVER = [
    # versions, options, patterns, pointers and bare prefixes (issue 15)
    "2.5.0",
    "0.0000015",
    "v1.2.3-rc.1",
    "on_create",
    "scram-sha-256",
    "os.environ/OPENAI_API_KEY",
    "#/components/schemas/x",
    "!env_var SONARR_API_KEY",
    r"\b(?:\w+[^.?!]*?\s+){25,}",
    "sk_test_",
    "whsec_",
    "localstack",
    "user_provided",
    "sk-local",
    "asdf",
    "YourServiceApiToken",
    "ClientSecret",
    "REPLACE",
    "change-this-value",
    "123abc",
    "ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)",
    "%kernel.project_dir%/config/jwt/private.pem",
    "00000000-0000-0000-0000-000000000000",
    "xoxb-YOUR_BOT_TOKEN",
    # references and placeholders of every dialect
    "{{ env_var('X') }}",
    "{{ aws_secret_var('X') }}",
    "${secrets:pg_pass}",
    "${VAR}",
    "$VAR",
    "${{ secrets.X }}",
    "{{resolve:secretsmanager:prod/db:SecretString:password}}",
    "{{ .Values.x }}",
    "${ssm:/aws/reference/secretsmanager/db}",
    "${env:API_TOKEN}",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
    "vault:secret/data/app#token",
    # encrypted
    "ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:str]",
    "$ANSIBLE_VAULT;1.1;AES256",
    "encrypted:BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt",
    "op://vault/item/field",
    # secret file paths
    "/run/secrets/db-password",
    "./secrets/key.pem",
    # empty, null, booleans
    "",
    "null",
    "true",
    "~",
    # obvious dummies
    "changeme",
    "CHANGE_ME",
    "password",
    "secret",
    "xxxxxxxx",
    "***",
    "<your-password>",
    "your_api_key_here",
    "sk_test_xxx",
    "REDACTED",
    "example",
    "dummy",
    "test",
    "YOUR-OPENAI-API-KEY",
    "填写你的SecretKey",
    "1234567890abcdef",
    "abcdefg",
    "strongpassword",
    # documented samples
    "minioadmin",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    # public by design
    "pk_live_0123456789abcdefABCDEF",
    "phc_0123456789abcdefABCDEF0123456789abcdefABC",
    "pk.eyJ1IjoibWFwYm94In0.abc",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    "-----BEGIN CERTIFICATE-----",
    # names of secrets, digests
    "DB_PASSWORD",
    "postgres-credentials",
    "sha256:" + "ab" * 32,
]

ALWAYS = ["Summer8864!", "postgres", "123456", "mage1337", "p_ssW0rd", "secret123", "xyz@123"]


@pytest.mark.parametrize("value", NEVER)
def test_never_a_credential(value: str) -> None:
    assert benign(value) is not None or references(value).found


@pytest.mark.parametrize("value", ALWAYS)
def test_weak_real_passwords_are_credentials(value: str) -> None:
    assert benign(value) is None
    assert not references(value).found


@pytest.mark.parametrize("kind", ["password", "weak-password", "hex-password"])
def test_fakes_look_real(kind: str) -> None:
    import random

    assert benign(FAKES[kind](random.Random(7))) is None


def test_a_random_value_with_xxx_in_it_is_not_a_placeholder() -> None:
    # Random base32 holds `XXX` once in ~2,000 AWS keys: that made the suite flaky and hid real keys.
    import random

    from tests.fakes import aws_access_key_id

    fake = aws_access_key_id(random.Random(7))  # seeded: no FAKE/DUMMY run by chance
    key = fake[:7] + "2XXX2" + fake[12:]  # exactly three X, not four with a neighbour
    assert benign(key) is None
    assert benign("ghp_" + "x" * 36) == "placeholder"
    assert benign("AKIA" + "X" * 16) == "placeholder"

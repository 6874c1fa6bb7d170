from __future__ import annotations

import pytest

from yamlsecretlint.checks.keys import is_secret_name
from yamlsecretlint.sources.keypaths import last_key

SECRET = """password passwd pwd secret token api_key apikey access_key private_key client_secret auth_token
credentials passphrase POSTGRES_PW DB_PWD pg_pass POSTGRES_PASSWORD dbPassword db-password PGPASSWORD
x-api-key SecretAccessKey aws_secret_access_key APP_KEY jwtSecret MYSQL_ROOT_PASSWORD GITHUB_TOKEN
CODECOV_TOKEN webhookSecret secretKey low_entropy_binary_secret trino.password spring.datasource.password
secret.yaml db-password.txt minioSecretKey SSH_SECRET_KEY secret_key""".split()

NOT_SECRET = """password_file token_url secret_name secretKeyRef passwordSecretRef db_password_path secret_arn
existingSecret usePasswordFiles max_tokens token_ttl password_min_length access_key_id passwordKey username
tokenizer secrets client_id tenant_id account_sid key_id existingSecretPasswordKey secretName PASSWORD_FILE
id-token_enc token-validity-in-seconds-for-remember-me tokenHead PASSWORD_INPUT_BOX host value name
token-style secret_op secret_action smtp_sasl_password_maps password-stdin password_encryption update_password
logSearch.opensearch.auth.existingSecret sshSecretKey userSecretKey NEXT_PUBLIC_HYPERTUNE_TOKEN
PUBLIC_SUPABASE_ANON_KEY EXPO_PUBLIC_API_KEY""".split()


@pytest.mark.parametrize("name", SECRET)
def test_secret_named(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", NOT_SECRET)
def test_not_secret_named(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    ("path", "last"),
    [("a.b[2].c", "c"), ('a["d.e"]', "d.e"), ("a.b[0]", ""), ("x", "x"), ("", "")],
)
def test_last_key(path: str, last: str) -> None:
    assert last_key(path) == last

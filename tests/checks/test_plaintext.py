"""Plaintext findings as a user sees them: key path, message, fix, never the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import expand
from tests.helpers import lint_text


@pytest.mark.parametrize(
    ("name", "text", "hint"),
    [
        ("io_config.yaml", "default:\n  POSTGRES_PASSWORD: <fake:password>\n", "aws_secret_var('postgres_password')"),
        ("spicepod.yaml", "kind: Spicepod\nparams:\n  pg_pass: <fake:password>\n", "${aws:pg_pass}"),
        ("docker-compose.yml", "services:\n  db:\n    environment:\n      DB_PASSWORD: <fake:password>\n", "${"),
        (".env", "DB_PASSWORD=<fake:password>\n", "deploy environment"),
        ("t.yaml", "Resources:\n  X:\n    Properties:\n      Password: <fake:password>\n", "{{resolve:secretsmanager:"),
        # AWS resolves dynamic references in resource properties only: a Default is given at deploy instead.
        (
            "t.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  DbPassword:\n    Type: String\n"
            "    Default: <fake:password>\nResources: {}\n",
            "NoEcho",
        ),
        (
            "t.yaml",
            "Resources:\n  T:\n    Properties:\n      ContainerDefinitions:\n        - Environment:\n"
            "            - Name: API_TOKEN\n              Value: <fake:password>\n",
            "to Secrets, with ValueFrom",
        ),
    ],
)
def test_message_names_the_fix_in_the_file_dialect(tmp_path: Path, name: str, text: str, hint: str) -> None:
    content = expand(text, seed=3)
    [finding] = lint_text(tmp_path, name, content)
    assert finding.rule == "YSL106"
    assert hint in finding.message
    secret = content.rsplit(": ", 1)[-1].rsplit("=", 1)[-1].strip()
    assert secret not in finding.message
    assert finding.key


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("YSL101", "a: [\n  key: <fake:aws-access-key-id>\n"),
        ("YSL102", "a: [\n  aws_secret_access_key: <fake:aws-secret-access-key>\n"),
        ("YSL103", "a: [\n  -----BEGIN RSA PRIVATE KEY-----\n  <fake:pem-body>\n  -----END RSA PRIVATE KEY-----\n"),
        ("YSL104", "a: [\n  token: <fake:github-pat>\n"),
        ("YSL105", "a: [\n  url: postgres://app:<fake:password>@db/app\n"),
    ],
)
def test_broken_file_is_still_scanned(tmp_path: Path, rule: str, text: str) -> None:
    findings = lint_text(tmp_path, "broken.yaml", expand(text))
    assert "YSL901" in {f.rule for f in findings}
    assert [f.span.line for f in findings if f.rule == rule] == [2]


def test_one_finding_per_value(tmp_path: Path) -> None:
    """The specific rule wins over the generic one on the same text."""
    findings = lint_text(tmp_path, "ci.yml", expand("env:\n  GITHUB_TOKEN: <fake:github-pat>\n"))
    assert [f.rule for f in findings] == ["YSL104"]


def test_kubernetes_secret_data_is_ysl107_only(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: Secret\ndata:\n  password: <fake:base64-password>\n"
    assert [f.rule for f in lint_text(tmp_path, "s.yaml", expand(text))] == ["YSL107"]


def test_external_secret_names_are_not_values(tmp_path: Path) -> None:
    text = "kind: ExternalSecret\nspec:\n  data:\n    - secretKey: db-password-prod\n      remoteRef: {key: prod/db}\n"
    assert lint_text(tmp_path, "es.yaml", text) == []


def test_a_pem_body_that_opens_like_der_is_reported_once(tmp_path: Path) -> None:
    # A PKCS#1 key's first body line opens as its bare DER would: the armoured block is the finding.
    der = expand("<fake:der-private-key>")
    body = "\n    ".join(der[i : i + 64] for i in range(0, len(der), 64))
    text = f"tls:\n  key: |\n    -----BEGIN PRIVATE KEY-----\n    {body}\n    -----END PRIVATE KEY-----\n"
    assert [(f.rule, f.span.line) for f in lint_text(tmp_path, "values.yaml", text)] == [("YSL103", 3)]
    bare = lint_text(tmp_path, "values.yaml", f"tls:\n  material: {der}\n")
    assert [(f.rule, f.span.line) for f in bare] == [("YSL103", 2)]


def test_a_template_that_parses_only_rendered_is_read_by_lines(tmp_path: Path) -> None:
    text = expand(
        '{{- define "x" }}\n- name: a\n{{- end }}\nkind: ConfigMap\ndata:\n  password: <fake:password>\n'
        "  extra:\n    {{- toYaml .Values.extra | nindent 4 }}\n"
    )
    assert [(f.rule, f.span.line) for f in lint_text(tmp_path, "templates/cm.yaml", text)] == [("YSL106", 6)]

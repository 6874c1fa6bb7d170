"""Planted values in every place a message, a key path or a report could quote: none leaks.

Each planted value is generated key material (tests.fakes.token, or a vendor
shape where a key must be recognised as a credential); the files put it as a
mapping key, a dotenv key, an alias name, the tail of an unclosed template and
in every field a reference rule's message names. Every format, the baseline and
``--list-references`` are searched for the value, its base64 and every
8-character piece of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.fakes import expand_with_values
from tests.test_never_leak import _pieces

FILES = {
    # mapping keys that are credentials, and a child under one
    "keys.yaml": "credentials:\n  <fake:aws-access-key-id>: x\n  <fake:github-pat>:\n    password: <fake:password>\n",
    # dotenv keys
    ".env": "<fake:aws-access-key-id>=1\n<fake:github-pat>=x\n",
    # an alias name under a secret-named key: the parser's message would quote it
    "alias.yaml": "db:\n  password: *<fake:token>\n",
    # unclosed template tails
    "workflow.yml": "on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ <fake:token>\n",
    "mage/io_config.yaml": (
        "default:\n"
        '  a: "{{ env_var(<fake:token>) }}"\n'
        "  b: \"{{ env_var('A', <fake:token>='x') }}\"\n"
        "  c: \"{{ <fake:token>_secret_var('x') }}\"\n"
        "  d: \"{{ aws_secret_var('<fake:token>!') }}\"\n"
        "  e: \"{{ env_var(default='<fake:token>', key='A') }}\"\n"
        "  f: \"{{ aws_secret_var('x' <fake:token> }}\"\n"
        "  g: \"{{ aws_secret_var('<fake:token>') }\"\n"
        '  h: "{% <fake:token>"\n'
        '  i: "{# <fake:token>"\n'
    ),
    "spicepod.yaml": (
        "version: v1\nkind: Spicepod\nname: p\nsecrets:\n"
        "  - from: <fake:token>:sel\n    name: one\n"
        "  - from: aws_secrets_manager:<fake:token>!\n    name: aws\n"
        "  - from: env\n    name: <fake:token>!\n"
        "params:\n"
        "  a: ${ aws:<fake:token>.b }\n"
        "  b: ${ <fake:token>:key }\n"
        "  c: ${{ aws:<fake:token> }}\n"
        "  d: ${ <fake:token>! }\n"
    ),
    "template.yaml": (
        "Resources:\n  A:\n    Properties:\n"
        "      a: '{{resolve:secretsmanager: <fake:token> }}'\n"
        "      b: '{{secretsmanager:<fake:token>}}'\n"
        "      c: '{{resolve:<fake:token>:x}}'\n"
        "      d: '{{resolve:secretsmanager:<fake:token>!:SecretString}}'\n"
        "      e: '{{resolve:secretsmanager:n:<fake:token>}}'\n"
        "      f: '{{resolve:ssm:<fake:token>!}}'\n"
        "      g: '{{resolve:ssm:n:<fake:token>}}'\n"
        "      h: arn:<fake:token>:secretsmanager:us-east-1:123456789012:secret:x\n"
        "      i: arn:aws:secretsmanager:<fake:token>:123456789012:secret:x\n"
        "      j: arn:aws:secretsmanager:us-east-1:<fake:token>:secret:x\n"
        "      k: arn:aws:<fake:token>:us-east-1:123456789012:secret:x\n"
        "      l: arn:aws:secretsmanager:us-east-1:123456789012:<fake:token>:x\n"
        "      m: arn:aws:secretsmanager:us-east-1:123456789012:secret:<fake:token>\n"
        "      n: ${ssm:/aws/reference/secretsmanager/<fake:token>!}\n"
        "      o: ${{ secret.<fake:token> }}\n"
        "      p: ${{ secrets.<fake:token>-x }}\n"
    ),
    "docker-compose.yml": "services:\n  a:\n    environment:\n      X: ${<fake:token> ${a\n",
}


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    values: list[str] = []
    for seed, (name, template) in enumerate(sorted(FILES.items())):
        text, made = expand_with_values(template, seed)
        values.extend(made)
        write(tmp_path, name, text)
    monkeypatch.chdir(tmp_path)
    return values


def test_no_field_leaks(cli: RunCli, planted: list[str], tmp_path: Path) -> None:
    outputs = []
    rules: set[str] = set()
    for fmt in ("text", "json", "sarif", "github"):
        run = cli("--format", fmt, "--list-references", "--verbose", "--no-gitignore", ".")
        assert run.code == 1, run.err
        outputs += [run.out, run.err]
        if fmt == "json":
            rules = {f["rule"] for f in run.json()["findings"]}
    run = cli("--write-baseline", "baseline.json", "--no-gitignore", ".")
    outputs += [run.out, run.err, (tmp_path / "baseline.json").read_text()]
    # The planted files reach every message builder named in the issue.
    assert {"YSL101", "YSL104", "YSL106", "YSL201", "YSL202", "YSL203", "YSL205", "YSL206", "YSL207"} <= rules
    assert {"YSL302", "YSL303", "YSL304", "YSL305", "YSL901"} <= rules
    everything = "\n".join(outputs)
    leaked = sorted({piece for value in planted for piece in _pieces(value) if piece in everything})
    assert leaked == []


def test_keyword_first_default_is_not_a_reference(cli: RunCli, planted: list[str]) -> None:
    run = cli("--format", "json", "--list-references", "--no-gitignore", "mage/io_config.yaml")
    ids = [r["secret_id"] for r in run.json().get("references", [])]
    assert "A" in ids

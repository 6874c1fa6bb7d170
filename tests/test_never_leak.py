"""No planted secret, nor its base64, nor an 8-character piece of it, appears in any output."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.fakes import FAKES, expand_with_values

KINDS = sorted(k for k in FAKES if k not in ("pem-body", "pem-body-escaped", "supabase-anon-jwt", "jwt-io-sample"))


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    values: list[str] = []

    def put(name: str, template: str, seed: int) -> None:
        text, made = expand_with_values(template, seed)
        values.extend(made)
        write(tmp_path, name, text)

    yaml_lines = "".join(f"  secret_{i}: <fake:{kind}>\n" for i, kind in enumerate(KINDS))
    put("config.yaml", "default:\n" + yaml_lines, 1)
    put("io_config.yaml", "default:\n" + yaml_lines, 6)  # Mage: what migrate rewrites
    put(".env", "".join(f"SECRET_{i}=<fake:{kind}>\n" for i, kind in enumerate(KINDS)), 2)
    put("broken.yaml", "default:\n" + yaml_lines + "  bad: [\n", 3)
    put("key.yaml", "tls:\n  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    <fake:pem-body>\n"
                    "    -----END RSA PRIVATE KEY-----\n", 4)  # fmt: skip
    secret_text, made = expand_with_values("<fake:password>", 5)
    values.extend(made)
    encoded = base64.b64encode(secret_text.encode()).decode()
    write(
        tmp_path, "secret.yaml", f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: {encoded}\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path, values


def _documented() -> str:
    """All the catalogue says (token prefixes like `sk_test_` included): public, never secret material."""
    from yamlsecretlint import catalog

    return "\n".join(repr(rule) for rule in catalog.load().values()) + "https://hooks.slack.com/services/"


def _pieces(value: str) -> set[str]:
    """The value, its base64, and its 8-character windows that are not documented prefixes."""
    documented = _documented()
    forms = {value, base64.b64encode(value.encode()).decode()}
    forms.update(value[i : i + 8] for i in range(0, max(len(value) - 8, 0) + 1, 2))
    return {f for f in forms if len(f) >= 8 and f not in documented}


def test_nothing_planted_leaks(cli: RunCli, planted: tuple[Path, list[str]]) -> None:
    root, values = planted
    outputs = []
    for fmt in ("text", "json", "sarif", "github"):
        run = cli("--format", fmt, "--list-references", "--verbose", ".")
        assert run.code == 1
        outputs += [run.out, run.err]
    run = cli("--write-baseline", "baseline.json", "--verbose", ".")
    outputs += [run.out, run.err, (root / "baseline.json").read_text()]
    # migrate's plan (a diff of every replaced value and a table) and --diff print file text: redacted.
    for argv in (["migrate"], ["--diff", "."]):
        run = cli(*argv)
        outputs += [run.out, run.err]
    assert "Secrets to create:" in outputs[-4]
    everything = "\n".join(outputs)
    for rule in ("YSL101", "YSL103", "YSL104", "YSL106", "YSL107"):
        assert rule in everything
    leaked = sorted({piece for value in values for piece in _pieces(value) if piece in everything})
    assert leaked == []

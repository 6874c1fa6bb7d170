"""No secret value read online appears in any output: text, JSON, stderr, with references listed."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from tests.conftest import write
from tests.online.conftest import Aws


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_values_read_online_never_appear(aws: Aws, tmp_path: Path, fmt: str) -> None:
    planted = {name: "leak-" + secrets.token_hex(16) for name in ("whole", "inner", "other")}
    aws.secret("app/whole", planted["whole"])
    aws.secret("app/json", {"password": planted["inner"], "user": planted["other"]})
    write(
        tmp_path,
        "io_config.yaml",
        "default:\n"
        "  A: \"{{ aws_secret_var('app/whole') }}\"\n"
        "  B: \"{{ json_value(aws_secret_var('app/json'), 'password') }}\"\n"
        "  C: \"{{ json_value(aws_secret_var('app/json'), 'passwrd') }}\"\n"
        "  D: \"{{ json_value(aws_secret_var('app/whole'), 'k') }}\"\n",
    )
    run = aws.cli(tmp_path, "--format", fmt, "--list-references", ".")
    assert run.code == 1, run.err
    assert "YSL405" in run.out
    everything = run.out + run.err
    for value in planted.values():
        assert value not in everything
        assert json.dumps(value)[1:-1] not in everything
        assert value[5:13] not in everything  # not even a piece of it

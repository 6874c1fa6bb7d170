"""Online findings pass the same findings stage as a file's own: severity, per-file-ignores, inline ignores."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import write
from tests.online.conftest import Aws


def _template(aws: Aws, tmp_path: Path, comment: str = "") -> None:
    arn = aws.secret("kept/db", {"k": "v"}).replace("kept/db", "gone/db")
    write(tmp_path, "t.yaml", f"a: {arn}{comment}\n")


def test_inline_ignore_covers_an_online_finding_and_is_used(aws: Aws, tmp_path: Path) -> None:
    _template(aws, tmp_path, "  # yamlsecretlint: ignore[YSL401]")
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert run.code == 0, run.out + run.err
    assert json.loads(run.out)["findings"] == []  # no YSL401, and no YSL801 for the ignore that covered it


def test_severity_and_per_file_ignores_apply_online(aws: Aws, tmp_path: Path) -> None:
    _template(aws, tmp_path)
    write(tmp_path, ".yamlsecretlint.yaml", "severity:\n  YSL401: warning\n")
    run = aws.cli(tmp_path, "--format", "json", ".")
    [finding] = json.loads(run.out)["findings"]
    assert (finding["rule"], finding["severity"]) == ("YSL401", "warning")
    write(tmp_path, ".yamlsecretlint.yaml", "per-file-ignores:\n  't.yaml': [YSL4]\n")
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert json.loads(run.out)["findings"] == []
    assert run.code == 0

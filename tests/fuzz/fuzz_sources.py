"""Fuzz the sources, the checks and the reference parsers with atheris (not run in CI).

Every input is linted as YAML (spicepod and Mage names, so the dialect parsers run)
and as dotenv, through the whole engine; any exception escaping it is a crash, as is
a finding whose position lies outside the input.

    pip install atheris
    python tests/fuzz/fuzz_sources.py -max_total_time=600 -rss_limit_mb=2048 /tmp/fuzz-corpus ../shared/corpus/real

The first directory collects the inputs that widen coverage; the others are seeds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from yamlsecretlint.engine import Linter, Settings
    from yamlsecretlint.model import FileRef

LINTER = Linter(Settings())
REFS = [
    FileRef(Path("io_config.yaml"), "io_config.yaml", "yaml"),
    FileRef(Path("spicepod.yaml"), "spicepod.yaml", "yaml"),
    FileRef(Path("template.yaml"), "template.yaml", "yaml"),
    FileRef(Path(".env"), ".env", "dotenv"),
]


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(len(data))
    lines = text.count("\n") + text.count("\r") + 1
    for ref in REFS:
        result = LINTER.lint_text(ref, text)
        for finding in result.findings:
            if not 1 <= finding.span.line <= lines:
                raise AssertionError(f"finding outside the input: {finding.rule} line {finding.span.line}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

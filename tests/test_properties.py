"""Property tests: random and mutated input never breaks the linter or invents positions.

Bounded and derandomized by default (CI); set YAMLSECRETLINT_FUZZ_EXAMPLES=2000 for a longer local run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED, RunCli, write
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.model import FileRef

EXAMPLES = int(os.environ.get("YAMLSECRETLINT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize="YAMLSECRETLINT_FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LINTER = Linter(Settings())
YAMLISH = st.lists(
    st.sampled_from([*list("abkP:=-#'\"{}[]|>!&*%$@,.?\\ \t\n\r0123456789AKIASECRETpassword_/"), "{{", "}}", "${"]),
    max_size=400,
).map("".join)
REFS = [
    FileRef(Path("io_config.yaml"), "io_config.yaml", "yaml"),
    FileRef(Path("spicepod.yaml"), "spicepod.yaml", "yaml"),
    FileRef(Path(".env"), ".env", "dotenv"),
]


def _check(text: str) -> None:
    lines = len(text.splitlines()) or 1
    for ref in REFS:
        for finding in LINTER.lint_text(ref, text).findings:
            assert 1 <= finding.span.line <= lines + 1, finding
            assert finding.span.column >= 1, finding
            assert (finding.span.end_line, finding.span.end_column) >= (finding.span.line, finding.span.column)


@FUZZ
@given(YAMLISH)
def test_random_text_never_raises(text: str) -> None:
    _check(text)


@FUZZ
@given(st.text(max_size=300))
def test_any_unicode_never_raises(text: str) -> None:
    _check(text)


SEEDS = sorted((SHARED / "corpus" / "real").rglob("*.y*ml"))[:40] if (SHARED / "corpus" / "real").is_dir() else []


@pytest.mark.skipif(not SEEDS, reason="corpus not present in ../shared (a user's clone)")
@FUZZ
@given(st.data())
def test_mutated_corpus_files_never_raise(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(SEEDS))
    text = path.read_text(encoding="utf-8", errors="replace")[:4000]
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, max(len(text) - 1, 0)))
        text = (
            text[:at]
            + data.draw(st.sampled_from(["", ":", "-", "{{", "}}", "'", '"', "\n", "  ", "#", "["]))
            + text[at + 1 :]
        )
    _check(text)


@settings(max_examples=min(EXAMPLES, 6), derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(YAMLISH, min_size=52, max_size=60))
def test_jobs_give_identical_results(cli: RunCli, tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    root = tmp_path_factory.mktemp("jobs")
    for i, text in enumerate(texts):
        write(root, f"f{i:03}.yaml" if i % 3 else f"f{i:03}.env", text)
    one = cli("--format", "json", "--jobs", "1", str(root))
    two = cli("--format", "json", "--jobs", "2", str(root))
    assert one.out == two.out

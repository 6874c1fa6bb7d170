"""The wild corpus in ../shared: every reported line is triaged, and the triage holds.

``benchmarks/wild-labels.tsv`` holds the hand-made verdicts (benchmarks/wild.py
prints the figures). A reported line without a label is a finding nobody has
reviewed: it fails here until it is labelled true or false, as a new finding on
the real corpus does. In a clone without ../shared these tests skip and say so.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from tests.conftest import REPO, SHARED

CORPUS = SHARED / "corpus" / "wild"
pytestmark = [
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"wild corpus not present at {CORPUS} (a user's clone)"),
    pytest.mark.slow,
]


def _script() -> ModuleType:
    """benchmarks/wild.py, the script that prints the figures: the test and it share one reading of the labels."""
    spec = importlib.util.spec_from_file_location("wild_benchmark", REPO / "benchmarks" / "wild.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wild = _script()


def test_every_reported_line_is_triaged_and_precision_holds() -> None:
    labels = wild.read_labels()
    lines = wild.reported(CORPUS, REPO)
    assert sorted(set(lines) - set(labels)) == []
    true_lines = {line for line, (verdict, _) in labels.items() if verdict}
    right = set(lines) & true_lines
    assert len(right) / len(lines) >= 0.90
    assert len(right) / len(true_lines) >= 0.90


def test_labels_are_well_formed() -> None:
    labels = wild.read_labels()
    assert len(labels) > 100
    for (path, line), (_, kind) in labels.items():
        assert (CORPUS / path).is_file(), path
        assert line >= 1
        assert kind

"""Every pass over a file is linear: each hostile construct grown tenfold costs about tenfold.

A quadratic pass grows a hundredfold per tenfold; the bound below leaves room
for a noisy 2-core CI machine and still fails any of them. A linear pass that
is pathologically slow (seconds per MB) fails too; the speed target (under 2 s
per MB) is measured by `python benchmarks/growth.py`, which prints the figures.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.constructs import CONSTRUCTS, Construct
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.model import FileRef

pytestmark = pytest.mark.slow  # 1 MB inputs

LINTER = Linter(Settings())
#: Linear but pathologically slow (a pass of seconds per MB) still fails. The speed target itself,
#: under 2 s per MB, is a benchmark figure (`python benchmarks/growth.py` prints it), not a timed test.
SLOW = 6.0


def _seconds(construct: Construct, size: int, runs: int = 1) -> float:
    text = construct.make(size)
    ref = FileRef(Path(construct.file), construct.file, construct.kind)
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        LINTER.lint_text(ref, text)
        best = min(best, time.perf_counter() - began)
    return best


@pytest.mark.parametrize("construct", CONSTRUCTS, ids=[c.name for c in CONSTRUCTS])
def test_time_grows_linearly(construct: Construct) -> None:
    small = max(_seconds(construct, 100_000, runs=3), 0.005)
    large = _seconds(construct, 1_000_000)
    if large >= SLOW or large / small >= 30:  # one more try: a busy 2-core machine can stall a run
        large = min(large, _seconds(construct, 1_000_000))
    assert large / small < 30, f"{construct.name}: x10 input took x{large / small:.0f} time"
    assert large < SLOW, f"{construct.name}: 1 MB took {large:.2f} s"

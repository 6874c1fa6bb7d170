"""Time against size for every construct that once made a pass over a file quadratic.

Each construct is repeated to 10 KB, 100 KB and 1 MB and linted in this process
(the Linter, as the command builds it); the script prints the seconds and the
growth ratio of each tenfold step. Linear is about 10; quadratic is about 100.

    python benchmarks/growth.py [--sizes 10000,100000,1000000] [--only NAME]

The same constructs drive tests/test_linear.py, which requires each to stay
close to linear and 1 MB of any construct to finish within a bound.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.constructs import CONSTRUCTS, Construct
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.model import FileRef

#: The speed target per MB of any hostile construct (a benchmark figure; tests/test_linear.py asserts the growth).
TARGET_PER_MB = 2.0


def seconds(construct: Construct, size: int, linter: Linter | None = None) -> float:
    linter = linter or Linter(Settings())
    text = construct.make(size)
    ref = FileRef(Path(construct.file), construct.file, construct.kind)
    began = time.perf_counter()
    linter.lint_text(ref, text)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--only", default="")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"target: growth about tenfold per x10, and under {TARGET_PER_MB:.0f} s per MB")
    linter = Linter(Settings())
    print(f"{'construct':<30}" + "".join(f"{s // 1000:>9} KB" for s in sizes) + "   growth per x10")
    for construct in CONSTRUCTS:
        if args.only and args.only not in construct.name:
            continue
        times = [seconds(construct, size, linter) for size in sizes]
        ratios = [b / a if a > 0 else float("inf") for a, b in pairwise(times)]
        per_mb = times[-1] * 1_000_000 / sizes[-1]
        over = f"   {per_mb:.2f} s/MB, over the {TARGET_PER_MB:.0f} s target" if per_mb >= TARGET_PER_MB else ""
        print(
            f"{construct.name:<30}"
            + "".join(f"{t:>10.3f}s" for t in times)
            + "   "
            + " ".join(f"{r:.1f}" for r in ratios)
            + over,
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

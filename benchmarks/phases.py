"""Where a run's wall time goes: the phases of one lint of the corpus, scaled, in a fresh process each round.

Prints the median over the rounds of when each phase ends, in milliseconds from the
start of the process (the interpreter's own start-up excluded): the imports, the
walk, the lint (with ``--jobs 2`` the workers' part), the stage between the last
file's result and the report (merging, the stores' files read again, settling),
and the report. With ``--jobs 2``, everything outside "lint" runs alone on one
core: it is what keeps ``-j2`` from halving ``-j1``.

    python benchmarks/phases.py [--copies 10] [--jobs 2] [--rounds 5] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from throughput import DEFAULT_CORPUS, ENV, build  # noqa: E402 - the sibling script, imported from its folder

#: One run, each phase's end stamped by wrapping the function that ends it; the stamps go to stdout as JSON.
_CHILD = r"""
import json, sys, time
start = time.perf_counter()
from yamlsecretlint.command import tune
tune()
from yamlsecretlint import files
from yamlsecretlint.commands import lint
from yamlsecretlint.cli import main
ends = {"imports": time.perf_counter()}
walk, lint_files, report = files.Walker.collect, lint.lint_files, lint.report
def collect(self, paths):
    found = walk(self, paths)
    ends["walk"] = time.perf_counter()
    return found
def timed_lint(*args, **kwargs):
    yield from lint_files(*args, **kwargs)
    ends["lint"] = time.perf_counter()
def timed_report(*args, **kwargs):
    ends["after lint"] = time.perf_counter()
    code = report(*args, **kwargs)
    ends["report"] = time.perf_counter()
    return code
files.Walker.collect, lint.lint_files, lint.report = collect, timed_lint, timed_report
main(sys.argv[1:])
print(json.dumps({name: (at - start) * 1000 for name, at in ends.items()}))
"""

PHASES = ("imports", "walk", "lint", "after lint", "report")


def measure(tree: Path, jobs: int, rounds: int) -> dict[str, list[float]]:
    """Each phase's end (ms from the process's start) in every round."""
    ends: dict[str, list[float]] = {phase: [] for phase in PHASES}
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"  # a file of ours: never /dev/null
        # From inside the tree, as benchmarks/throughput.py runs it: paths are then shown relative.
        argv = [".", "--format", "json", "--no-gitignore", "--exit-zero", "--jobs", str(jobs)]
        for _ in range(rounds):
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, *argv, "--output", str(report)],
                cwd=tree,
                env=ENV,
                capture_output=True,
                text=True,
                check=True,
            )
            stamped = json.loads(proc.stdout.strip().rsplit("\n", 1)[-1])
            for phase in PHASES:
                ends[phase].append(stamped[phase])
    return ends


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: pass --corpus", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        count, size = build(args.corpus, args.copies, tree)
        ends = measure(tree, args.jobs, args.rounds)
    print(f"corpus x{args.copies}: {count} files, {size / 1e6:.1f} MB, --jobs {args.jobs}, median of {args.rounds}")
    previous = 0.0
    for phase in PHASES:
        end = statistics.median(ends[phase])
        print(f"  {phase:<11} ends at {end:7.1f} ms  ({end - previous:7.1f} ms)")
        previous = end
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Before and after: two checkouts of yamlsecretlint on one corpus, in interleaved rounds.

A change's cost, told apart from what else changed between the two trees:

- the whole run (``--jobs 1``): CPU seconds of the process, start-up, discovery
  and report included;
- linting the same files: only the files both trees lint, each tree's own
  Linter, CPU of the lint calls alone (after a first pass, so compiled patterns
  are warm). A tree that lints more kinds of files, or looks up more
  configuration, differs in the first figure and not in the second.

    python benchmarks/compare.py BEFORE_TREE AFTER_TREE [--corpus DIR] [--rounds 7]

Each tree is a source checkout (the folder that holds ``yamlsecretlint/``, e.g. a
``git worktree``). The corpus defaults to ``../shared/corpus/real``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ARGS = ["--format", "json", "--no-gitignore", "--jobs", "1", "."]

#: Run in a child with the tree first on sys.path: the whole run once (recording what it
#: linted), then, given a list, the lint of those files again, timed alone.
_CHILD = r"""
import contextlib, io, sys, time
sys.path.insert(0, sys.argv[1])
from yamlsecretlint import engine
from yamlsecretlint.cli import main
seen = {}
own = engine.Linter.lint_text
def spy(self, ref, text):
    seen.setdefault("linter", self)
    seen.setdefault("refs", {})[ref.display] = ref
    return own(self, ref, text)
engine.Linter.lint_text = spy
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[3:])
engine.Linter.lint_text = own
if sys.argv[2] == "-":
    print("\n".join(sorted(seen.get("refs", {}))))
    raise SystemExit
names = set(open(sys.argv[2], encoding="utf-8").read().split("\n"))
refs = [ref for name, ref in sorted(seen.get("refs", {}).items()) if name in names]
start = time.process_time()
for ref in refs:
    seen["linter"].lint(ref)
print(time.process_time() - start)
"""


def _child_cpu(argv: list[str], cwd: Path) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(argv, cwd=cwd, env=ENV, capture_output=True, text=True, check=False).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs=2, type=Path)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/corpus/real")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    trees = [str(t.resolve()) for t in args.trees]
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    python = sys.executable
    linted = []
    for tree in trees:
        _, out = _child_cpu([python, "-c", _CHILD, tree, "-", *ARGS], args.corpus)
        linted.append(set(out.split("\n")) - {""})
    common = set.intersection(*linted)
    whole: dict[str, list[float]] = {t: [] for t in trees}
    same: dict[str, list[float]] = {t: [] for t in trees}
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as listing:
        listing.write("\n".join(sorted(common)))
    try:
        for _ in range(args.rounds):
            for tree in trees:
                cpu, _ = _child_cpu(
                    [
                        python,
                        "-c",
                        "import sys; sys.path.insert(0, sys.argv[1]); "
                        "from yamlsecretlint.cli import main; sys.exit(main(sys.argv[2:]))",
                        tree,
                        *ARGS,
                    ],
                    args.corpus,
                )
                whole[tree].append(cpu)
                _, out = _child_cpu([python, "-c", _CHILD, tree, listing.name, *ARGS], args.corpus)
                same[tree].append(float(out.strip() or "nan"))
    finally:
        os.unlink(listing.name)
    print(
        f"corpus {args.corpus}: files linted {len(linted[0])} / {len(linted[1])}, both {len(common)}; "
        f"{args.rounds} interleaved rounds, CPU seconds (median, best)"
    )
    for label, figures in (("whole run", whole), ("same files", same)):
        before, after = (statistics.median(figures[t]) for t in trees)
        bests = [min(figures[t]) for t in trees]
        print(
            f"  {label:<10}  before {before:6.3f} ({bests[0]:.3f})  after {after:6.3f} ({bests[1]:.3f})  "
            f"after/before {after / before:.3f} (bests {bests[1] / bests[0]:.3f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

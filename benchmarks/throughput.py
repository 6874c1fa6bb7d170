"""Throughput, parallel scaling, memory and linearity on the real corpus, scaled.

Builds the corpus of ../shared/corpus/real copied N times (default 10: ~6,000
files, ~36 MB) in a temporary directory and prints, each measured in this run:

- the bare PyYAML C composer (`compose_all` over every YAML file) vs
  `yamlsecretlint --jobs 1` — target: at most 2.5x;
- detect-secrets' `scan --all-files` on the same files, when installed —
  target: yamlsecretlint at least 10x faster;
- `--jobs 1` vs `--jobs N` (N = CPUs) — target: at least 1.7x on 2 cores, with
  identical JSON output;
- peak RSS of `--jobs 1` on the whole tree — target: at most 80 MB — and of one
  5 MB YAML file — target: at most 10x its size;
- time per MB at 1x, 4x and 10x copies (linear growth);
- start-up: a one-small-file run against ``python -c "import yaml"`` — target:
  at most 2x — with the peers on the same file (benchmarks/startup.py, which
  also lists the slowest imports).

Each figure is measured ``--rounds`` times (default 3), the rounds interleaved
(compose, -j1, -jN, compose, …); a ratio is the median of the rounds' own
ratios, as a shared machine's speed drifts by a third within minutes and the
runs of one round are close in time (the ratio of the best times is printed
too). Every ratio is of figures from this run.

    python benchmarks/throughput.py [--copies 10] [--rounds 3] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import startup  # noqa: E402 - the sibling script, imported from its folder

DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "real"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def build(corpus: Path, copies: int, into: Path) -> tuple[int, int]:
    files = size = 0
    for i in range(copies):
        target = into / f"copy{i:02}"
        shutil.copytree(corpus, target, ignore=shutil.ignore_patterns("MANIFEST.tsv", "SOURCES.md"))
    for path in into.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
    return files, size


#: Runs the linter and reports its own peak RSS (KB) on stderr's last line: a child's
#: ru_maxrss seen from here would be the largest of every child so far.
_LINT = (
    "import resource, sys\n"
    "from yamlsecretlint.command import tune\n"
    "tune()  # as the command does\n"
    "from yamlsecretlint.cli import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def timed(argv: list[str], cwd: Path) -> tuple[float, int, bytes]:
    """Wall seconds, peak RSS of the linter process in KB (0 if not reported), stdout."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=ENV, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    last = proc.stderr.decode(errors="replace").strip().rsplit("\n", 1)[-1]
    return elapsed, int(last) if last.isdigit() else 0, proc.stdout


#: Pure CPU work for the host's own parallel ceiling: N copies at once against one alone.
_SPIN = "x = 0\nfor i in range(8_000_000):\n    x += i\n"


def host_ceiling(copies: int) -> float:
    """How much faster ``copies`` CPU-bound processes finish together than one after another."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _SPIN], check=True)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(copies)]
    for proc in procs:
        proc.wait()
    together = time.perf_counter() - start
    return alone * copies / together


def _times(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def compose_time(root: Path) -> float:
    code = (
        "import sys, yaml, pathlib, time\n"
        "t = time.perf_counter()\n"
        "for p in pathlib.Path(sys.argv[1]).rglob('*'):\n"
        "    if p.suffix.lower() in ('.yml', '.yaml') and p.is_file():\n"
        "        try: list(yaml.compose_all(p.read_text('utf-8', 'replace'), Loader=yaml.CSafeLoader))\n"
        "        except Exception: pass\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def lint(root: Path, *extra: str) -> tuple[float, int, bytes]:
    argv = [sys.executable, "-c", _LINT, "--format", "json", "--no-gitignore", *extra, "."]
    return timed(argv, root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=30)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}")
        return 2
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        # Memory of one 5 MB file.
        big = work / "big" / "big.yaml"
        big.parent.mkdir()
        rows = "".join(f"  - name: item{i}\n    value: value-{i:08d}-abcdefghijklmnop\n" for i in range(75_000))
        big.write_text("items:\n" + rows)
        big_mb = big.stat().st_size / 1e6
        _, big_rss, _ = lint(big.parent, "--jobs", "1")
        print(f"one {big_mb:.1f} MB YAML file: peak RSS {big_rss / 1024:.1f} MB = {big_rss / 1024 / big_mb:.1f}x "
              f"its size (target <= 10x)")  # fmt: skip

        scaled = work / "scaled"
        scaled.mkdir()
        files, size = build(args.corpus, args.copies, scaled)
        mb = size / 1e6
        print(f"corpus x{args.copies}: {files} files, {mb:.1f} MB, {cpus} CPUs")

        composes, ones, manys, ceilings, rss, same = [], [], [], [], 0, True
        for _ in range(args.rounds):
            ceilings.append(host_ceiling(cpus))
            composes.append(compose_time(scaled))
            elapsed, peak, out_one = lint(scaled, "--jobs", "1")
            ones.append(elapsed)
            rss = max(rss, peak)
            elapsed, _, out_many = lint(scaled, "--jobs", str(cpus))
            manys.append(elapsed)
            same = same and out_one == out_many
        compose, one, many = min(composes), min(ones), min(manys)
        # Each round's runs are minutes apart at most: their ratio cancels the host's drift
        # better than a ratio of bests taken from different rounds. The median is the figure.
        ratio = statistics.median(o / c for o, c in zip(ones, composes, strict=True))
        speedup = statistics.median(o / m for o, m in zip(ones, manys, strict=True))
        print(f"compose_all (PyYAML C) {compose:6.2f} s   (rounds: {_times(composes)})")
        print(f"yamlsecretlint -j1     {one:6.2f} s   (rounds: {_times(ones)})")
        print(f"  -j1 / compose, median of rounds {ratio:.2f}x (target <= 2.5x); of bests {one / compose:.2f}x")
        print(f"peak RSS -j1           {rss / 1024:6.1f} MB (target <= 80 MB)")
        print(f"yamlsecretlint -j{cpus}     {many:6.2f} s   (rounds: {_times(manys)}), identical output: {same}")
        print(f"  -j1 / -j{cpus}, median of rounds {speedup:.2f}x (target >= 1.7x on 2 cores); "
              f"of bests {one / many:.2f}x")  # fmt: skip
        print(f"  the host's own ceiling: {cpus} CPU-bound processes at once run {statistics.median(ceilings):.2f}x "
              f"as fast as one after another (rounds: {_times(ceilings)})")  # fmt: skip

        detect = shutil.which("detect-secrets")
        if detect:
            ds, _, _ = timed([detect, "scan", "--all-files"], scaled)
            print(f"detect-secrets scan    {ds:6.2f} s   yamlsecretlint -j1 is {ds / one:.1f}x faster (target >= 10x)")
        else:
            print("detect-secrets         not installed (pip install detect-secrets to compare)")

        print("linearity (time per MB, -j1):")
        for copies in sorted({c for c in (1, 4, args.copies) if c <= args.copies}):
            subset = work / f"lin{copies}"
            subset.mkdir()
            for i in range(copies):
                (subset / f"copy{i:02}").symlink_to(scaled / f"copy{i:02}", target_is_directory=True)
            # The walker does not follow symlinked folders: lint each copy root explicitly.
            argv = [sys.executable, "-c", _LINT, "--format", "json", "--no-gitignore", "--jobs", "1"]
            argv += [str(scaled / f"copy{i:02}") for i in range(copies)]
            elapsed, _, _ = timed(argv, scaled)
            print(f"  x{copies:<3} {mb * copies / args.copies:6.1f} MB  {elapsed:6.2f} s  "
                  f"{elapsed / (mb * copies / args.copies) * 1000:6.1f} ms/MB")  # fmt: skip
        print("start-up (benchmarks/startup.py):")
        print("\n".join(f"  {line}" for line in startup.measure(args.startup_runs, work)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

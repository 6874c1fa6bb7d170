"""History scans: ``--history`` on a generated repository against a plain ``--jobs 1`` lint of the same bytes.

    python benchmarks/history.py [--commits 5000] [--rounds 3] [--corpus ../shared/corpus/real]

Builds (with ``git fast-import``) a repository of N commits, each changing one
of 300 YAML/dotenv paths to a file of the corpus with a line of its own (so
every blob is new), and prints side by side, in interleaved rounds:

- ``--history`` wall time and peak RSS, and distinct blobs linted per second;
- a plain ``--jobs 1`` lint of the same blobs written out as files (same bytes);
- their ratio (target: history within 2x of the plain lint);
- peak RSS of ``--history`` on a repository of a fifth of the commits (memory flat in commits);
- gitleaks' ``git`` mode on the same repository, when a ``gitleaks`` binary is on PATH;
- reading every blob with ``git cat-file --batch`` (what the tool does), dulwich and pygit2
  when they are importable (the README's choice of reader).

Not a test: the figures go into the issue's note.
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
from throughput import _LINT, ENV, timed  # noqa: E402 - the sibling script, imported from its folder

PATHS = 300
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}


def sources(corpus: Path) -> list[tuple[str, bytes]]:
    """(suffix, bytes) of the corpus's YAML and dotenv files: what the commits write."""
    found = []
    for path in sorted(corpus.rglob("*")):
        name = path.name.lower()
        if path.is_file() and not path.is_symlink() and (name.endswith((".yaml", ".yml")) or ".env" in name):
            suffix = ".env" if ".env" in name else ".yaml"
            found.append((suffix, path.read_bytes()))
    return found


def build(root: Path, commits: int, texts: list[tuple[str, bytes]]) -> None:
    """A repository of ``commits`` commits on main, one changed YAML/dotenv file each."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=GIT_ENV)
    stream = bytearray()
    for n in range(commits):
        suffix, text = texts[n % len(texts)]
        path = f"app{n % PATHS // 30}/config{n % PATHS}{suffix}"
        content = text + f"\n# revision {n}\n".encode()
        message = f"change {n}\n".encode()
        stream += b"commit refs/heads/main\n"
        stream += f"committer t <t@example.com> {1_700_000_000 + n} +0000\n".encode()
        stream += b"data %d\n%s" % (len(message), message)
        stream += b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=bytes(stream), check=True, env=GIT_ENV)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True, env=GIT_ENV)


def flatten(root: Path, out: Path) -> int:
    """Every blob of the history as a file of its own (the plain lint's input); total bytes."""
    log = subprocess.run(
        ["git", "log", "--raw", "-z", "--no-abbrev", "--format=", "main"],
        cwd=root,
        capture_output=True,
        check=True,
        env=GIT_ENV,
    ).stdout.split(b"\0")
    blobs = []
    for i, field in enumerate(log):
        if field.lstrip(b"\n").startswith(b":"):
            blobs.append((field.split()[3].decode(), log[i + 1].decode()))
    batch = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=root,
        input="".join(f"{sha}\n" for sha, _ in blobs).encode(),
        capture_output=True,
        check=True,
        env=GIT_ENV,
    ).stdout
    total, at = 0, 0
    for n, (_, path) in enumerate(blobs):
        end = batch.index(b"\n", at)
        size = int(batch[at:end].split()[2])
        data = batch[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
        target = out / str(n) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        total += size
    return total


def read_all(root: Path) -> dict[str, float]:
    """Seconds to read every blob of main's history with each reader available here."""
    shas = [
        line.split()[3]
        for line in subprocess.run(
            ["git", "log", "--raw", "--no-abbrev", "--format=", "main"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            env=GIT_ENV,
        ).stdout.splitlines()
        if line.startswith(":")
    ]
    seconds: dict[str, float] = {}
    sys.path.insert(0, str(HERE.parent))
    from yamlsecretlint.history.git import BlobReader, Git

    start = time.perf_counter()
    reader = BlobReader(Git(str(root)))
    for sha in shas:
        reader.read(sha, 1 << 30)
    reader.close()
    seconds["git cat-file --batch"] = time.perf_counter() - start
    try:
        import dulwich.repo

        start = time.perf_counter()
        repository = dulwich.repo.Repo(str(root))
        for sha in shas:
            repository.object_store[sha.encode()].as_raw_string()
        seconds["dulwich"] = time.perf_counter() - start
    except ImportError:
        pass
    try:
        import pygit2

        start = time.perf_counter()
        repository2 = pygit2.Repository(str(root))
        for sha in shas:
            repository2[sha].read_raw()
        seconds["pygit2"] = time.perf_counter() - start
    except ImportError:
        pass
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus" / "real")
    args = parser.parse_args()
    texts = sources(args.corpus)
    if not texts:
        raise SystemExit(f"no YAML/dotenv files under {args.corpus}")
    work = Path(tempfile.mkdtemp(prefix="ysl-history-"))
    try:
        big, small, flat = work / "big", work / "small", work / "flat"
        build(big, args.commits, texts)
        build(small, args.commits // 5, texts)
        total = flatten(big, flat)
        lint = [sys.executable, "-c", _LINT, "--format", "json", "--no-gitignore"]
        history, plain, rss_big, rss_small, peers = [], [], [], [], []
        gitleaks = shutil.which("gitleaks")
        for _ in range(args.rounds):
            elapsed, rss, _ = timed([*lint, "--history", "--exit-zero"], big)
            history.append(elapsed)
            rss_big.append(rss)
            elapsed, _, _ = timed([*lint, "--jobs", "1", "--exit-zero", "."], flat)
            plain.append(elapsed)
            rss_small.append(timed([*lint, "--history", "--exit-zero"], small)[1])
            if gitleaks:
                start = time.perf_counter()
                subprocess.run(
                    [gitleaks, "git", "--no-banner", "--exit-code", "0", "--report-path", os.devnull, str(big)],
                    capture_output=True,
                    check=False,
                    env=ENV,
                )
                peers.append(time.perf_counter() - start)
        ratios = [h / p for h, p in zip(history, plain, strict=True)]
        distinct = sum(1 for _ in flat.iterdir())
        print(f"repository: {args.commits} commits, {distinct} distinct blobs, {total / 1e6:.1f} MB")
        print(f"--history:          {statistics.median(history):6.2f} s  ({distinct / min(history):,.0f} blobs/s)")
        print(f"plain --jobs 1:     {statistics.median(plain):6.2f} s  (same bytes as files)")
        print(f"history/plain:      {statistics.median(ratios):6.2f}x median of rounds (target <= 2x)")
        print(
            f"peak RSS --history: {max(rss_big) / 1024:6.1f} MB at {args.commits} commits, "
            f"{max(rss_small) / 1024:.1f} MB at {args.commits // 5} (flat in commits)"
        )
        if peers:
            print(f"gitleaks git:       {statistics.median(peers):6.2f} s")
        else:
            print("gitleaks git:       not installed (no gitleaks on PATH)")
        for name, seconds in read_all(big).items():
            print(f"read every blob:    {seconds:6.2f} s  {name}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

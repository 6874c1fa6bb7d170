"""Start-up: a one-small-file run against `python -c "import yaml"`, same interpreter.

Prints the median wall time of each over N interleaved runs and their ratio,
with detect-secrets-hook and yamllint on the same file when installed (target: at
most 1.8x, with and without a configuration), and the slowest imports of
`python -X importtime -m yamlsecretlint --version` and of a one-file run.

    python benchmarks/startup.py [--runs 30]
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

# An installed hook runs from byte-compiled modules (pip compiles them at install);
# a PYTHONDONTWRITEBYTECODE in the caller's environment would time the compiler instead.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _median_walls(commands: list[list[str]], cwd: Path, runs: int) -> list[float]:
    """Median wall time of each command, the runs interleaved: a slow spell of a shared
    machine then weighs on every command alike."""
    times: list[list[float]] = [[] for _ in commands]
    for argv in commands:  # warm-up
        subprocess.run(argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    for _ in range(runs):
        for argv, spent in zip(commands, times, strict=True):
            start = time.perf_counter()
            subprocess.run(argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def _command() -> list[str]:
    """The installed `yamlsecretlint` command of this interpreter, as a hook runs it;
    `python -m yamlsecretlint` (which adds runpy's imports) when there is none."""
    script = Path(sys.executable).parent / ("yamlsecretlint.exe" if os.name == "nt" else "yamlsecretlint")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "yamlsecretlint"]


def _top_imports(argv: list[str], cwd: Path, count: int = 8) -> list[tuple[int, str]]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *argv], cwd=cwd, env=ENV, capture_output=True, text=True, check=False
    )
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:count]


SMALL = "default:\n  AWS_REGION: us-east-1\n  API_KEY: {{ aws_secret_var('api_key') }}\n  PORT: 5432\n"
#: Where the hook runs: a repository with a configuration (validated against its JSON schema).
CONFIG = "exclude: [vendor/]\nsecret-keys: [pin]\nper-file-ignores:\n  tests/*: [YSL106]\n"


def _peers() -> list[tuple[str, list[str]]]:
    """The peers' one-file commands beside this interpreter or on PATH, when installed."""
    found = []
    for name in ("detect-secrets-hook", "yamllint"):
        beside = Path(sys.executable).parent / name
        path = str(beside) if beside.is_file() else shutil.which(name)
        if path:
            found.append((name, [path]))
    return found


def measure(runs: int, cwd: Path) -> list[str]:
    """The start-up lines: each command's median wall time over interleaved runs, and the ratio."""
    (cwd / "small.yaml").write_text(SMALL)
    configured = cwd / "configured"
    configured.mkdir(exist_ok=True)
    (configured / "small.yaml").write_text(SMALL)
    (configured / ".yamlsecretlint.yaml").write_text(CONFIG)
    command = _command()
    peers = _peers()
    commands = [[sys.executable, "-c", "import yaml"], [*command, "small.yaml"], [*command, "--version"]]
    commands += [[*command, "configured/small.yaml", "--config", "configured/.yamlsecretlint.yaml"]]
    commands += [[*argv, "small.yaml"] for _, argv in peers]
    baseline, ours, version, with_config, *theirs = _median_walls(commands, cwd, runs)
    lines = [
        f"python {sys.version.split()[0]}, median of {runs} interleaved runs, bytecode cached",
        f"command: {' '.join(command)}",
        f'python -c "import yaml"           {baseline * 1000:7.1f} ms',
        f"yamlsecretlint --version          {version * 1000:7.1f} ms",
        f"yamlsecretlint small.yaml         {ours * 1000:7.1f} ms",
        f"  with a .yamlsecretlint.yaml     {with_config * 1000:7.1f} ms",
    ]
    lines += [
        f"{name + ' small.yaml':<34}{spent * 1000:7.1f} ms" for (name, _), spent in zip(peers, theirs, strict=True)
    ]
    if not peers:
        lines.append("detect-secrets-hook, yamllint     not installed (pip install them to compare)")
    lines.append(f"ratio one-file run / import yaml  {ours / baseline:7.2f} x  (target <= 1.80)")
    lines.append(f"  with a configuration            {with_config / baseline:7.2f} x  (target <= 1.80)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        print("\n".join(measure(args.runs, cwd)))
        for title, argv in (
            ("--version", ["-m", "yamlsecretlint", "--version"]),
            ("small.yaml", ["-m", "yamlsecretlint", "small.yaml"]),
        ):
            print(f"\nslowest imports (cumulative us) of yamlsecretlint {title}:")
            for micros, name in _top_imports(argv, cwd):
                print(f"  {micros:>8}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

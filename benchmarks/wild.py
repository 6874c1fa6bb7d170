"""Precision and recall on repositories the rules were not written against (../shared/corpus/wild).

    python benchmarks/wild.py [--corpus PATH] [--tree PATH] [--untriaged] [--misses]

``benchmarks/wild-labels.tsv`` holds the lines of that corpus reviewed by hand:
``path<TAB>line<TAB>verdict<TAB>class``, ``verdict`` ``true`` (a credential, or
a real syntax error, that a reviewer wants reported) or ``false`` (a false
alarm, ``class`` saying which kind: reference, placeholder, setting, version,
resource-name, template-expression, not-dotenv, public, …). A finding counts
on the line it starts on.

Printed: reported lines, precision on labelled lines (true ones among the
reported lines that carry a label), recall of the known credentials (reported
true lines among all true lines), the false alarms by class, and how many
reported lines carry no label yet (``--untriaged`` lists them: review each and
add its label). ``--tree`` runs another checkout of the tool (a worktree of an
older commit) against the same labels, for before/after figures.

Labels are made by reading every finding and a sample of the secret-named lines
that are not reported; the README's "What counts as a plaintext credential" is
the policy they follow.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LABELS = HERE / "wild-labels.tsv"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "wild"

Line = tuple[str, int]


def read_labels(path: Path = LABELS) -> dict[Line, tuple[bool, str]]:
    labels: dict[Line, tuple[bool, str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        file, line, verdict, kind = raw.split("\t")
        labels[(file, int(line))] = (verdict == "true", kind)
    return labels


def reported(corpus: Path, tree: Path) -> dict[Line, str]:
    """Every line a finding starts on, with the finding's rule."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    run = subprocess.run(
        [sys.executable, "-m", "yamlsecretlint", "--format", "json", "--no-gitignore", "."],
        cwd=corpus,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1):
        raise SystemExit(f"yamlsecretlint exited {run.returncode}: {run.stderr.strip()[:300]}")
    # Notes (YSL210) describe the run and never fail it: no alarm to score (benchmarks/precision.py alike).
    findings = json.loads(run.stdout)["findings"]
    return {(f["path"], f["line"]): f["rule"] for f in findings if f["severity"] != "note"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--tree", type=Path, default=REPO, help="checkout of yamlsecretlint to run")
    parser.add_argument("--untriaged", action="store_true", help="list reported lines without a label")
    parser.add_argument("--misses", action="store_true", help="list true lines not reported")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: no wild corpus at {args.corpus}")
        return 0
    labels = read_labels()
    lines = reported(args.corpus, args.tree.resolve())
    true_lines = {line for line, (verdict, _) in labels.items() if verdict}
    hits = {line for line in lines if line in labels}
    right = hits & true_lines
    alarms = Counter(labels[line][1] for line in hits - true_lines)
    untriaged = sorted(set(lines) - set(labels))
    missed = sorted(true_lines - set(lines))
    precision = len(right) / len(hits) if hits else 1.0
    recall = len(right) / len(true_lines) if true_lines else 1.0
    print(f"tree {args.tree.resolve()}")
    print(f"reported lines {len(lines)}, labelled {len(hits)}, untriaged {len(untriaged)}")
    print(f"precision on labelled lines {precision:.3f} ({len(right)} of {len(hits)})")
    print(f"recall of known credentials {recall:.3f} ({len(right)} of {len(true_lines)})")
    plain = {line for line in hits if lines[line].startswith("YSL1")}
    plain_right = plain & true_lines
    plain_true = {line for line in true_lines if labels[line][1] not in ("syntax", "reference-syntax")}
    if plain:
        print(
            f"plaintext (YSL1xx): precision {len(plain_right) / len(plain):.3f}, "
            f"recall {len(plain_right) / max(len(plain_true), 1):.3f}"
        )
    print("false alarms by class: " + (", ".join(f"{kind} {n}" for kind, n in alarms.most_common()) or "none"))
    if args.untriaged:
        for path, line in untriaged:
            print(f"  untriaged {path}:{line} {lines[(path, line)]}")
    if args.misses:
        for path, line in missed:
            print(f"  missed {path}:{line} ({labels[(path, line)][1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Line-level precision and recall of yamlsecretlint on labelled files.

    python benchmarks/precision.py DIR [--category plaintext]
    python benchmarks/precision.py --corpus [PATH]    (default ../shared/corpus/real)

A labelled directory holds the files to lint and a ``LABELS.tsv`` at its root:
one line per line that must be reported, ``path<TAB>line[<TAB>category]``,
path relative to DIR with ``/``, line 1-based, category ``plaintext``
(default), ``placeholder`` or ``arn``; ``#`` starts a comment. A file that is
not named has no such line. The line is where the value is written: the
``value:`` line of a name/value pair, the line inside a block scalar, any
line of a multi-line PEM value.

A finding counts for its category (YSL1xx plaintext, YSL2xx placeholder,
YSL3xx arn) and covers the lines from ``line`` to ``end_line``: it is a true
positive if it covers a labelled line of its file; a labelled line is found
if some finding covers it. Findings are counted once per (path, line).

``--corpus`` does the same on the real-world corpus against
``benchmarks/corpus-labels.tsv``, the findings reviewed as true there (README
"What counts as a plaintext credential"); what is reported beyond it is the
false-positive count. ``--snapshot`` rewrites that file from the current
findings, to be used only after reviewing every new one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_LABELS = HERE / "corpus-labels.tsv"
CATEGORIES = {"1": "plaintext", "2": "placeholder", "3": "arn"}


def read_labels(path: Path) -> dict[str, set[tuple[str, int]]]:
    labels: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.startswith("#") else ""
        if not line:
            continue
        parts = line.split("\t")
        category = parts[2] if len(parts) > 2 else "plaintext"
        labels[category].add((parts[0], int(parts[1])))
    return labels


def run(directory: Path) -> tuple[list[dict[str, object]], float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "yamlsecretlint", "--format", "json", "--no-gitignore", "--no-suppressions", "."],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"yamlsecretlint failed: {proc.stderr.strip()}")
    # Notes (severity note: YSL210's store not among the files) say something about the run, not the
    # file: they never fail it, and they are no alarm to score.
    findings: list[dict[str, object]] = [f for f in json.loads(proc.stdout)["findings"] if f["severity"] != "note"]
    return findings, elapsed


def score(findings: list[dict[str, object]], labels: set[tuple[str, int]], category: str) -> dict[str, object]:
    spans: dict[tuple[str, int], int] = {}
    for f in findings:
        if CATEGORIES.get(str(f["rule"])[3]) == category:
            key = (str(f["path"]), int(str(f["line"])))
            spans[key] = max(spans.get(key, 0), int(str(f["end_line"])))
    covered = {(path, n) for (path, line), end in spans.items() for n in range(line, end + 1)}
    true_positives = [k for k, end in spans.items() if any((k[0], n) in labels for n in range(k[1], end + 1))]
    false_positives = sorted(set(spans) - set(true_positives))
    missed = sorted(labels - covered)
    precision = len(true_positives) / len(spans) if spans else 1.0
    recall = (len(labels) - len(missed)) / len(labels) if labels else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "reported": len(spans),
        "labelled": len(labels),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_positives": false_positives,
        "missed": missed,
    }


def report(title: str, result: dict[str, object], show: int = 40) -> None:
    print(
        f"{title}: reported {result['reported']}, labelled {result['labelled']}, "
        f"precision {result['precision']:.3f}, recall {result['recall']:.3f}, F1 {result['f1']:.3f}"
    )
    for name in ("false_positives", "missed"):
        items = result[name]
        assert isinstance(items, list)
        print(f"  {name.replace('_', ' ')}: {len(items)}")
        for path, line in items[:show]:
            print(f"    {path}:{line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path)
    parser.add_argument("--category", choices=sorted(set(CATEGORIES.values())), default=None)
    parser.add_argument("--corpus", nargs="?", const=HERE.parent.parent / "shared" / "corpus" / "real", type=Path)
    parser.add_argument("--snapshot", action="store_true", help="rewrite corpus-labels.tsv from the findings")
    args = parser.parse_args()
    if args.corpus is not None:
        if not args.corpus.is_dir():
            print(f"corpus not found at {args.corpus}")
            return 2
        findings, elapsed = run(args.corpus)
        if args.snapshot:
            rows = sorted(
                {
                    (str(f["path"]), int(str(f["line"])), CATEGORIES[str(f["rule"])[3]])
                    for f in findings
                    if str(f["rule"])[3] in CATEGORIES
                }
            )
            body = "".join(f"{p}\t{n}\t{c}\n" for p, n, c in rows)
            CORPUS_LABELS.write_text("# path\tline\tcategory: corpus findings reviewed as true\n" + body)
            print(f"wrote {len(rows)} labels to {CORPUS_LABELS}")
            return 0
        labels = read_labels(CORPUS_LABELS)
        per_rule: dict[str, int] = defaultdict(int)
        for f in findings:
            per_rule[str(f["rule"])] += 1
        print(f"corpus {args.corpus}: {len(findings)} findings in {elapsed:.2f} s")
        print("  per rule: " + ", ".join(f"{rule} {n}" for rule, n in sorted(per_rule.items())))
        for category in [args.category] if args.category else ["plaintext", "placeholder", "arn"]:
            report(f"{category} vs reviewed labels", score(findings, labels.get(category, set()), category))
        return 0
    if args.directory is None:
        parser.error("name a labelled directory or --corpus")
    labels = read_labels(args.directory / "LABELS.tsv")
    findings, elapsed = run(args.directory)
    print(f"{args.directory}: {len(findings)} findings in {elapsed:.2f} s")
    for category in [args.category] if args.category else sorted(labels):
        report(category, score(findings, labels.get(category, set()), category))
    return 0


if __name__ == "__main__":
    sys.exit(main())

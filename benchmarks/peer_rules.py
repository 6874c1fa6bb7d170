"""Other scanners' own rule-test strings, each alone under a neutral key: what yamlsecretlint catches.

    python benchmarks/peer_rules.py GITLEAKS_CHECKOUT [--list missed|flagged]

gitleaks keeps, beside each rule (``cmd/generate/config/rules/*.go``), the strings
its tests must find (``tps``) and must not (``fps``). This script reads the
string literals written in those lists (strings gitleaks generates at test
time from a regex are not literals and are left out), writes each alone as the
value of a neutral key (``value: "<string>"``) in a YAML file of its own in a
temporary directory, lints them all in one run, and prints the share of
positives reported and of negatives reported. The key is neutral on purpose:
it measures what the value's shape alone gives away, the case of a token
pasted under an unexpected key.

Nothing read here is copied into this repository; the checkout is the user's
(``git clone https://github.com/gitleaks/gitleaks``), and the strings are shown
only through the tool's own redaction (``--list``).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
_LITERAL = re.compile(r'`([^`]*)`|"((?:[^"\\\n]|\\.)*)"')
_STATEMENT = re.compile(r"\b(?P<which>tps|fps)\s*(?::=|=)")
_ENDS = ("return ", "func ", "r := ", "r = ")
#: A regex gitleaks generates samples from (`[a-f0-9]{32}`), not a sample.
_GENERATOR = re.compile(r"\]\{[0-9]|\(\?[:i]|\\[dsw.]")


def _unquote(raw: str | None, interpreted: str | None) -> str:
    if raw is not None:
        return raw
    return json.loads('"' + (interpreted or "") + '"') if "\\" in (interpreted or "") else interpreted or ""


def literals(source: str) -> tuple[list[str], list[str]]:
    """The string literals of the ``tps`` and ``fps`` statements of one rule file."""
    found: dict[str, list[str]] = {"tps": [], "fps": []}
    mode = ""
    for line in source.splitlines():
        stripped = line.strip()
        statement = _STATEMENT.search(line)
        if statement:
            mode = statement.group("which")
        elif stripped.startswith(_ENDS):
            mode = ""
        if not mode or stripped.startswith("//"):
            continue
        code = line.split("//", 1)[0] if "`" not in line and '"' not in line.split("//", 1)[0] else line
        for index, match in enumerate(_LITERAL.finditer(code)):
            # GenerateSampleSecrets("identifier", secret): the first argument names the key, it is not a sample.
            before = code[: match.start()]
            if index == 0 and before.rstrip().endswith("GenerateSampleSecrets("):
                continue
            if "Sprintf(" in before or "Repeat(" in before:
                continue
            after = code[match.end() :].lstrip()
            if after.startswith(":"):
                continue  # a map's key (`"nuget.config": `<add …>``): the file name, not a sample
            if after.startswith("+") or before.rstrip().endswith("+"):
                continue  # a piece of a sample gitleaks assembles at test time: not the sample
            try:
                text = _unquote(match.group(1), match.group(2))
            except ValueError:
                continue
            if len(text.strip()) >= 8 and not _GENERATOR.search(text):
                found[mode].append(text.strip())
    return found["tps"], found["fps"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gitleaks", type=Path, help="a gitleaks checkout")
    parser.add_argument("--list", choices=("missed", "flagged"), help="list positives missed or negatives flagged")
    args = parser.parse_args(argv)
    rules = args.gitleaks / "cmd" / "generate" / "config" / "rules"
    if not rules.is_dir():
        print(f"skipped: no gitleaks rules at {rules}")
        return 0
    positives: list[tuple[str, str]] = []
    negatives: list[tuple[str, str]] = []
    for path in sorted(rules.glob("*.go")):
        tps, fps = literals(path.read_text(encoding="utf-8"))
        positives += [(path.stem, s) for s in dict.fromkeys(tps)]
        negatives += [(path.stem, s) for s in dict.fromkeys(fps)]
    with tempfile.TemporaryDirectory() as tmp:
        names = {}
        for kind, samples in (("p", positives), ("n", negatives)):
            for index, (rule, sample) in enumerate(samples):
                name = f"{kind}{index:05d}-{rule}.yaml"
                names[name] = (kind, rule)
                (Path(tmp) / name).write_text(f"value: {json.dumps(sample)}\n", encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "yamlsecretlint", "--format", "json", "--no-gitignore", "--select", "YSL1", "."],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
            env={"PYTHONPATH": str(REPO), "PATH": ""},
        )
        findings = json.loads(run.stdout)["findings"] if run.stdout else []
    flagged = {f["path"] for f in findings}
    caught = sum(1 for name, (kind, _) in names.items() if kind == "p" and name in flagged)
    wrong = sum(1 for name, (kind, _) in names.items() if kind == "n" and name in flagged)
    print(f"gitleaks rule files: {len(list(rules.glob('*.go')))}")
    print(f"positives reported: {caught} of {len(positives)} ({caught / max(len(positives), 1):.2f})")
    print(f"negatives reported: {wrong} of {len(negatives)} ({wrong / max(len(negatives), 1):.2f})")
    if args.list:
        want = "p" if args.list == "missed" else "n"
        for name, (kind, rule) in sorted(names.items()):
            if kind == want and (name in flagged) == (args.list == "flagged"):
                print(f"  {args.list} {rule}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

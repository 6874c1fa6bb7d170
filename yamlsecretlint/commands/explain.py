"""``--explain ID``: one rule's documentation, with its examples.

The examples are the rule file's, which write each credential as a
``<fake:KIND>`` marker (the tests put a fresh fake there at run time). Here a
marker is shown as a report shows a credential: its first characters and its
length (``AKIA… (20 chars)``, ``ghp_… (40 chars)``), so an example reads like
the file it stands for, and no whole credential-shaped value is printed.
"""

from __future__ import annotations

import random
import re
import string
from functools import lru_cache

from yamlsecretlint import catalog, redact
from yamlsecretlint.console import EXIT_CLEAN
from yamlsecretlint.errors import UsageError

_MARKER = re.compile(r"<fake:(?P<kind>[a-z0-9-]+)>")
#: A token file's fakes spec: literal text, {alphabet:count} runs, {builder}s (rules/tokens, token.schema.json).
_RUN = re.compile(r"\{(?P<name>[a-z-]+)(?::(?P<count>[0-9]+))?\}")
#: The shapes of the fakes the tests build themselves (tests/fakes.py): (the text they open with, length).
_SHAPES: dict[str, tuple[str, int]] = {
    "password": ("", 14),
    "weak-password": ("", 9),
    "hex-password": ("", 22),
    "alnum-key": ("", 32),
    "passphrase": ("", 27),
    "token": ("", 32),
    "aws-access-key-id": ("AKIA", 20),
    "aws-secret-access-key": ("", 40),
    "aws-secret-access-key-plain": ("", 40),
    "base64-password": ("", 20),
    "docker-auth": ("ZGVw", 32),
    "pem-body": ("MIIE", 1588),
    "pem-body-escaped": ("MIIE", 1620),
    "pem-base64": ("LS0t", 2200),
    "der-private-key": ("MIIE", 1236),
    "der-public-key": ("MIIB", 392),
    "travis-ciphertext": ("", 344),
}
_BUILDERS = {"jwt": ("eyJ", 150), "jwt-anon": ("eyJ", 170), "jwt-io-sample": ("eyJ", 155), "basic": ("ZGVw", 32)}


@lru_cache(maxsize=1)
def _token_shapes() -> dict[str, tuple[str, int]]:
    """Each token file's fakes, as (the literal text they open with, their length)."""
    import yaml

    shapes: dict[str, tuple[str, int]] = {}
    for path in sorted((catalog.rules_dir() / "tokens").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, spec in (data.get("fakes") or {}).items():
            runs = list(_RUN.finditer(spec))
            head = spec[: runs[0].start()] if runs else spec
            if runs and not runs[0].group("count"):
                head += _BUILDERS.get(runs[0].group("name"), ("", 0))[0]
            size = len(_RUN.sub("", spec)) + sum(
                int(run.group("count")) if run.group("count") else _BUILDERS.get(run.group("name"), ("", 24))[1]
                for run in runs
            )
            shapes[name] = (head, size)
    return shapes


def samples(text: str, seed: str) -> str:
    """``text`` with each ``<fake:KIND>`` shown as a report would show such a value."""
    if "<fake:" not in text:
        return text
    shapes = {**_SHAPES, **_token_shapes()}
    rng = random.Random(seed)  # noqa: S311 - display letters, the same each time a rule is explained

    def shown(match: re.Match[str]) -> str:
        head, size = shapes.get(match.group("kind"), ("", 24))
        filler = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(max(size - len(head), 0)))
        return redact.preview(head + filler)

    return _MARKER.sub(shown, text)


def run(rule_id: str) -> int:
    rule = catalog.load().get(rule_id.strip().upper())
    if rule is None:
        raise UsageError(f"--explain: unknown rule {rule_id!r} (see --list-rules)")
    out = [f"{rule.id} {rule.name} ({rule.category}, {rule.severity})", rule.summary, "", rule.description, ""]
    if rule.fix:
        out += [f"Fixable with --fix (--diff shows it first): {rule.fix}", ""]
    out += [f"Documentation: {catalog.help_uri(rule)}", ""]
    examples = [(label, ex) for label, kind in (("Reported", "must"), ("Not reported", "must-not"))
                for ex in rule.examples.get(kind, [])]  # fmt: skip
    if any("<fake:" in ex["text"] for _, ex in examples):
        out += ["In the examples a credential is shown as a report shows one: its first characters and length.", ""]
    for label, example in examples:
        note = f" ({example['note']})" if "note" in example else ""
        out.append(f"{label} — {example['file']}{note}:")
        out.extend(f"    {line}" for line in samples(example["text"], rule.id).splitlines())
        out.append("")
    print("\n".join(out).rstrip())
    return EXIT_CLEAN

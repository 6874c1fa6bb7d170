"""``--explain ID``: one rule's documentation, with its examples."""

from __future__ import annotations

from yamlsecretlint import catalog
from yamlsecretlint.console import EXIT_CLEAN
from yamlsecretlint.errors import UsageError


def run(rule_id: str) -> int:
    rule = catalog.load().get(rule_id.strip().upper())
    if rule is None:
        raise UsageError(f"--explain: unknown rule {rule_id!r} (see --list-rules)")
    out = [f"{rule.id} {rule.name} ({rule.category}, {rule.severity})", rule.summary, "", rule.description, ""]
    for label, kind in (("Reported", "must"), ("Not reported", "must-not")):
        for example in rule.examples.get(kind, []):
            note = f" ({example['note']})" if "note" in example else ""
            out.append(f"{label} — {example['file']}{note}:")
            out.extend(f"    {line}" for line in example["text"].splitlines())
            out.append("")
    print("\n".join(out).rstrip())
    return EXIT_CLEAN

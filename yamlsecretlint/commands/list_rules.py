"""``--list-rules``: the rule catalogue, one line a rule."""

from __future__ import annotations

from yamlsecretlint import catalog
from yamlsecretlint.console import EXIT_CLEAN, EXIT_USAGE, say


def run() -> int:
    problems = catalog.validate()
    if problems:
        for problem in problems:
            say(f"invalid rule file: {problem}")
        return EXIT_USAGE
    for rule in catalog.load().values():
        print(f"{rule.id}  {rule.severity:<7}  {rule.category:<11}  {rule.name:<24}  {rule.summary}")
    return EXIT_CLEAN

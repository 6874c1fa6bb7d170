"""``--list-rules``: the rule catalogue, one line a rule, marking what this configuration enables.

``--format json`` prints it as a JSON array (id, name, category, severity as
configured, enabled, summary, the documentation's URL), for tools and editors.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from yamlsecretlint import catalog, config
from yamlsecretlint.console import EXIT_CLEAN, EXIT_USAGE, say


def run(args: argparse.Namespace) -> int:
    from yamlsecretlint.commands.lint import settings_of

    problems = catalog.validate()
    if problems:
        for problem in problems:
            say(f"invalid rule file: {problem}")
        return EXIT_USAGE
    settings = settings_of(args, config.load(args.config, Path.cwd()))
    rows = [
        {
            "id": rule.id,
            "name": rule.name,
            "category": rule.category,
            "severity": settings.severity(rule.id) or rule.severity,
            "enabled": settings.enabled(rule.id),
            "summary": rule.summary,
            "help_uri": catalog.help_uri(rule),
        }
        for rule in catalog.load().values()
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_CLEAN
    for row in rows:
        mark = "on " if row["enabled"] else "off"
        print(f"{row['id']}  {mark}  {row['severity']:<7}  {row['category']:<11}  {row['name']:<24}  {row['summary']}")
    return EXIT_CLEAN

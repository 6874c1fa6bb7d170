"""The rule catalogue: one YAML file per rule in ``rules/``.

From a source checkout the files are read from the top-level ``rules/``; in
a wheel they are installed as ``yamlsecretlint/rules``. A plain run reads
``catalog.json``, the catalogue compiled from those files (one small JSON
parse instead of forty YAML ones; `python -m yamlsecretlint.catalog` writes
it, and a test fails when it is stale); a rule file newer than it is read
instead. Validation against the JSON Schema
(``yamlsecretlint/schemas/rule.schema.json``) is for tests and for
``--list-rules``/``--explain``, which keeps jsonschema off the start-up path.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, cast

import yaml

from yamlsecretlint.errors import CatalogError
from yamlsecretlint.model import Severity

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_PACKAGE = Path(__file__).resolve().parent
SCHEMA_PATH = _PACKAGE / "schemas" / "rule.schema.json"
TOKEN_SCHEMA_PATH = _PACKAGE / "schemas" / "token.schema.json"
#: The rule whose patterns are the provider files in ``rules/tokens/``.
TOKEN_RULE = "YSL104"  # noqa: S105 - a rule id


class Pattern(NamedTuple):
    regex: str
    keywords: tuple[str, ...]
    ignore_case: bool = False
    #: What the pattern finds, for messages ("GitHub personal access token").
    name: str = ""
    #: Only under a secret-named key (a JWT elsewhere is usually an example).
    secret_key: bool = False
    #: A validator of checks/validators.py for what the regex cannot decide.
    validate: str = ""
    #: The vendor's page for the credential (token files' `reference:`): where it is revoked and reissued.
    reference: str = ""


class Rule(NamedTuple):
    id: str
    name: str
    category: str
    severity: Severity
    summary: str
    description: str
    message: str
    #: Overlapping hits of one category: the lower generality wins (rules' `generality:`).
    generality: int
    #: The dialects whose reference syntax the rule judges, each in its own module (rules' `dialects:`).
    dialects: tuple[str, ...]
    security_severity: float
    patterns: tuple[Pattern, ...]
    allow: tuple[str, ...]
    examples: dict[str, list[dict[str, Any]]]
    source: Path
    #: What --fix rewrites for this rule, when the fix is certain; empty: never fixed.
    fix: str = ""


#: Where the project lives; a rule's documentation is its file there, at the release the tool is.
HOME = "https://github.com/yamlsecretlint/yamlsecretlint"


def help_uri(rule: Rule) -> str:
    """The rule's documentation (its description, examples and fix) for this version of the tool."""
    from yamlsecretlint import __version__

    return f"{HOME}/blob/v{__version__}/rules/{rule.source.name}"


def rules_dir() -> Path:
    for candidate in (_PACKAGE / "rules", _PACKAGE.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise CatalogError(f"rule catalogue not found (looked in {_PACKAGE / 'rules'} and {_PACKAGE.parent / 'rules'})")


def _rule(data: dict[str, Any], source: Path) -> Rule:
    return Rule(
        id=data["id"],
        name=data["name"],
        category=data["category"],
        severity=data["severity"],
        summary=data["summary"],
        description=data["description"].strip(),
        message=data.get("message", data["summary"]),
        generality=int(data.get("generality", 0)),
        dialects=tuple(data.get("dialects", ())),
        security_severity=float(data.get("security-severity", 0.0)),
        patterns=tuple(_pattern(p) for p in data.get("patterns", ())),
        allow=tuple(data.get("allow", ())),
        examples={k: list(v) for k, v in data.get("examples", {}).items()},
        source=source,
        fix=data.get("fix", "").strip(),
    )


def _pattern(data: dict[str, Any]) -> Pattern:
    return Pattern(
        regex=data["regex"],
        keywords=tuple(data.get("keywords", ())),
        ignore_case=bool(data.get("ignore-case", False)),
        name=data.get("name", ""),
        secret_key=bool(data.get("secret-key", False)),
        validate=data.get("validate", ""),
        reference=data.get("reference", ""),
    )


def _with_tokens(rule: Rule, directory: Path) -> Rule:
    """YSL104 gathers one pattern, and its examples, from each provider file."""
    patterns = list(rule.patterns)
    examples = {kind: list(items) for kind, items in rule.examples.items()}
    for path in sorted(directory.glob("*.yaml")):
        token = _read(path)
        patterns.append(_pattern(token))
        for kind in ("must", "must-not"):
            examples.setdefault(kind, []).extend(
                {**example, "note": f"{path.name}: {example.get('note', token['name'])}"}
                for example in token.get("examples", {}).get(kind, [])
            )
    return rule._replace(patterns=tuple(patterns), examples=examples)


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: a rule file holds one mapping")
    return cast(dict[str, Any], data)


COMPILED_PATH = _PACKAGE / "catalog.json"
#: Files unpacked from one wheel get mtimes a moment apart; only a real edit is newer.
_FRESHNESS_SLACK = 2.0


def compiled() -> str:
    """The catalogue as the JSON that `catalog.json` must hold."""
    rules = [
        {**rule._asdict(), "patterns": [p._asdict() for p in rule.patterns], "source": rule.source.name}
        for rule in from_files().values()
    ]
    return json.dumps({"version": 1, "rules": rules}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _newest(directory: Path) -> float:
    """The latest change to a rule file (os.scandir: a hook's start-up pays for this on every run)."""
    newest = 0.0
    for folder, prefix in ((directory, "YSL"), (directory / "tokens", "")):
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".yaml"):
                    newest = max(newest, entry.stat().st_mtime)
    return newest


def from_compiled() -> dict[str, Rule] | None:
    try:
        built = COMPILED_PATH.stat().st_mtime
        directory = rules_dir()
        if _newest(directory) > built + _FRESHNESS_SLACK:
            return None
        data = json.loads(COMPILED_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError, CatalogError):
        return None
    rules = {}
    for item in data["rules"]:
        patterns = tuple(Pattern(**p) for p in item.pop("patterns"))
        source = directory / item.pop("source")
        rule = Rule(**item, patterns=patterns, source=source)
        rules[rule.id] = rule._replace(
            patterns=tuple(p._replace(keywords=tuple(p.keywords)) for p in rule.patterns),
            allow=tuple(rule.allow),
            dialects=tuple(rule.dialects),
        )
    return rules


@lru_cache(maxsize=1)
def load() -> dict[str, Rule]:
    return from_compiled() or from_files()


def from_files() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for path in sorted(rules_dir().glob("YSL*.yaml")):
        data = _read(path)
        try:
            rule = _rule(data, path)
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"{path}: missing or invalid field {exc}") from None
        if rule.id == TOKEN_RULE:
            rule = _with_tokens(rule, rules_dir() / "tokens")
        rules[rule.id] = rule
    return rules


def validate(paths: Iterable[Path] | None = None) -> list[str]:
    """Schema problems of the rule files, one line each; empty when all are valid."""
    import jsonschema

    rule_validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    token_validator = jsonschema.Draft202012Validator(json.loads(TOKEN_SCHEMA_PATH.read_text(encoding="utf-8")))
    if paths is None:
        paths = [*sorted(rules_dir().glob("YSL*.yaml")), *sorted((rules_dir() / "tokens").glob("*.yaml"))]
    problems = []
    for path in paths:
        data = _read(path)
        validator = token_validator if path.parent.name == "tokens" else rule_validator
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            problems.append(f"{path.name}: {where}: {error.message}")
        if isinstance(data.get("id"), str) and path.stem != data["id"]:
            problems.append(f"{path.name}: id {data['id']} does not match the file name")
    return problems


if __name__ == "__main__":
    COMPILED_PATH.write_text(compiled(), encoding="utf-8")
    print(f"wrote {COMPILED_PATH}")

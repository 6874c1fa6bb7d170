"""Reports: the run's findings in one of the output formats.

Each format is a module with ``render(result, color) -> str``, imported only
when chosen (SARIF pulls in sarif-om).
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

from yamlsecretlint import redact
from yamlsecretlint.model import Finding, LocatedReference
from yamlsecretlint.online import BACKENDS, NOT_CHECKED

FORMATS = ("text", "json", "sarif", "github")


class Result(NamedTuple):
    findings: list[Finding]
    references: list[LocatedReference]
    files: int
    #: What the online check could not do (SARIF: executionSuccessful false).
    problems: tuple[str, ...] = ()
    #: Files the walk met that look like configuration but are not linted (--show-files says why).
    skipped: int = 0


def reference_fields(found: LocatedReference) -> dict[str, str]:
    """A reference's input texts as every format shows them: through redact.name."""
    ref = found.reference
    return {
        "dialect": ref.dialect,
        "provider": ref.provider,
        "secret_id": redact.name(ref.secret_id),
        "json_key": redact.name(ref.json_key),
        "version_stage": redact.name(ref.version_stage),
        "version_id": redact.name(ref.version_id),
        "region": redact.name(ref.region),
        "store": redact.name(ref.store),
        # Who reads it, where its files say (an ExternalSecret's store role): what --principal-arn auto simulates.
        "principal": redact.name(ref.principal),
        "key": redact.name(found.key),
        # What --online does with it: the backend that reads it, or none (an env variable, Vault…).
        "online": BACKENDS.get(ref.provider, NOT_CHECKED),
    }


def render(fmt: str, result: Result, *, color: bool = False, suppressed: bool = False) -> str:
    """Suppressed findings are left out, unless ``suppressed`` keeps them in a SARIF, marked."""
    if not (suppressed and fmt == "sarif"):
        result = result._replace(findings=[f for f in result.findings if not f.suppressed])
    module = importlib.import_module(f"yamlsecretlint.report.{fmt}")
    text: str = module.render(result, color=color)
    return text

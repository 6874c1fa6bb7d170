"""JSON for tools: the stable, versioned format of DESIGN.md."""

from __future__ import annotations

import json
from typing import Any

from yamlsecretlint.model import Finding, LocatedReference
from yamlsecretlint.report import Result, reference_fields

VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity,
        "path": finding.path,
        "line": finding.span.line,
        "column": finding.span.column,
        "end_line": finding.span.end_line,
        "end_column": finding.span.end_column,
        "key": finding.key,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
    }


def reference_dict(found: LocatedReference) -> dict[str, Any]:
    fields: dict[str, Any] = reference_fields(found)
    key = fields.pop("key")
    return {
        **fields,
        "path": found.path,
        "line": found.span.line,
        "column": found.span.column,
        "end_line": found.span.end_line,
        "end_column": found.span.end_column,
        "key": key,
    }


def render(result: Result, *, color: bool = False) -> str:
    document: dict[str, Any] = {"version": VERSION, "findings": [finding_dict(f) for f in result.findings]}
    if result.references:
        document["references"] = [reference_dict(r) for r in result.references]
    document["summary"] = {"files": result.files, "findings": len(result.findings)}
    if result.references:
        document["summary"]["references"] = len(result.references)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

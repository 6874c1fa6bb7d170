"""JSON for tools: the stable, versioned format of DESIGN.md."""

from __future__ import annotations

import json
from typing import Any

from yamlsecretlint.model import Finding, LocatedReference
from yamlsecretlint.report import Result

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
    ref = found.reference
    return {
        "dialect": ref.dialect,
        "provider": ref.provider,
        "secret_id": ref.secret_id,
        "json_key": ref.json_key,
        "version_stage": ref.version_stage,
        "version_id": ref.version_id,
        "region": ref.region,
        "store": ref.store,
        "path": found.path,
        "line": found.span.line,
        "column": found.span.column,
        "end_line": found.span.end_line,
        "end_column": found.span.end_column,
        "key": found.key,
    }


def render(result: Result, *, color: bool = False) -> str:
    document: dict[str, Any] = {"version": VERSION, "findings": [finding_dict(f) for f in result.findings]}
    if result.references:
        document["references"] = [reference_dict(r) for r in result.references]
    document["summary"] = {"files": result.files, "findings": len(result.findings)}
    if result.references:
        document["summary"]["references"] = len(result.references)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

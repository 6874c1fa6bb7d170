"""JSON for tools: the stable, versioned format of DESIGN.md."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from yamlsecretlint.model import Finding, LocatedReference
from yamlsecretlint.report import Result, reference_fields

VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    fields = _finding_fields(finding)
    if finding.commit:  # a history scan's: the commit that first recorded it, and whether it is gone since
        fields.update(commit=finding.commit, removed=finding.removed)
    return fields


def _finding_fields(finding: Finding) -> dict[str, Any]:
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
    """The document ``json.dumps(…, indent=2)`` would write, built a finding at a time.

    200,000 findings as one dict tree cost 700 MB; encoded one by one, the
    text is all there is.
    """
    summary: dict[str, Any] = {"files": result.files, "findings": len(result.findings)}
    if result.skipped:
        summary["skipped"] = result.skipped
    if result.references:
        summary["references"] = len(result.references)
    parts = [f'{{\n  "version": {VERSION},\n  "findings": ']
    parts.append(_array(map(finding_dict, result.findings)))
    if result.references:
        parts.append(',\n  "references": ')
        parts.append(_array(map(reference_dict, result.references)))
    parts.append(',\n  "summary": ')
    parts.append(_indented(summary))
    parts.append("\n}\n")
    return "".join(parts)


def _indented(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")


def _array(items: Iterable[dict[str, Any]]) -> str:
    encoded = ["    " + _indented(item).replace("\n", "\n  ") for item in items]
    return "[\n" + ",\n".join(encoded) + "\n  ]" if encoded else "[]"

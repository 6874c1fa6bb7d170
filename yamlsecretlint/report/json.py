"""JSON for tools: the stable, versioned format of DESIGN.md."""

from __future__ import annotations

import json
from typing import Any

from yamlsecretlint.model import Finding
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


def render(result: Result, *, color: bool = False) -> str:
    document = {
        "version": VERSION,
        "findings": [finding_dict(f) for f in result.findings],
        "summary": {"files": result.files, "findings": len(result.findings)},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

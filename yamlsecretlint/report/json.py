"""JSON for tools: the stable, versioned format of DESIGN.md."""

from __future__ import annotations

import json
from collections.abc import Iterable
from json.encoder import encode_basestring  # ensure_ascii=False's string encoder, C when built
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


def _indented(value: Any, depth: int = 1) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, its lines indented to sit ``depth`` levels deep.

    A flat object (every finding and reference) is written here with the encoder's own
    string function: with an indent, json.dumps takes its pure-Python path and builds
    its closures anew per call, which cost a report of 2,000 findings ~45 us each.
    """
    pad = "  " * depth
    if isinstance(value, dict):
        flat = _flat(value, pad)
        if flat is not None:
            return flat
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)


def _flat(value: dict[Any, Any], pad: str) -> str | None:
    """``value`` as json.dumps indents it, if its keys are strings and its values strings,
    whole numbers, booleans or null; else None."""
    if not value:
        return "{}"
    lines = []
    for key, item in value.items():
        if type(key) is not str:
            return None
        if type(item) is str:
            text = encode_basestring(item)
        elif item is None:
            text = "null"
        elif item is True:
            text = "true"
        elif item is False:
            text = "false"
        elif type(item) is int:
            text = int.__repr__(item)
        else:
            return None
        lines.append(f"{pad}  {encode_basestring(key)}: {text}")
    return "{\n" + ",\n".join(lines) + f"\n{pad}}}"


def _array(items: Iterable[dict[str, Any]]) -> str:
    encoded = ["    " + _indented(item, 2) for item in items]
    return "[\n" + ",\n".join(encoded) + "\n  ]" if encoded else "[]"

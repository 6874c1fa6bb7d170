"""Text for people: ``path:line:col: RULE severity: message [key path]`` and a summary.

The severity is written out: pre-commit and CI logs have no colour to show it.
"""

from __future__ import annotations

from yamlsecretlint.model import Finding, LocatedReference
from yamlsecretlint.redact import escape
from yamlsecretlint.report import Result, reference_fields

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _line(finding: Finding, color: bool) -> str:
    where = f"{escape(finding.path)}:{finding.span.line}:{finding.span.column}:"
    key = f" [{finding.key}]" if finding.key else ""
    if color:
        severity = f"{_COLORS[finding.severity]}{finding.severity}:{_RESET}"
        return f"{_BOLD}{where}{_RESET} {finding.rule} {severity} {finding.message}{_DIM}{key}{_RESET}"
    return f"{where} {finding.rule} {finding.severity}: {finding.message}{key}"


def _reference(found: LocatedReference) -> str:
    fields = reference_fields(found)
    where = f"{escape(found.path)}:{found.span.line}:{found.span.column}:"
    parts = [f"{where} {fields['dialect']} {fields['provider']} {fields['secret_id']}"]
    if fields["json_key"]:
        parts.append(f"key={fields['json_key']}")
    if fields["version_stage"] or fields["version_id"]:
        parts.append(f"version={fields['version_stage'] or fields['version_id']}")
    if fields["region"]:
        parts.append(f"region={fields['region']}")
    if fields["principal"]:
        parts.append(f"principal={fields['principal']}")
    parts.append(f"online={fields['online']}")
    return " ".join(parts) + (f" [{fields['key']}]" if fields["key"] else "")


def render(result: Result, *, color: bool = False) -> str:
    lines = [_line(f, color) for f in result.findings]
    if result.references:
        lines.append(f"References ({len(result.references)}):")
        lines.extend(f"  {_reference(r)}" for r in result.references)
    count = len(result.findings)
    files = len({f.path for f in result.findings})
    checked = f"{result.files} file{'s' if result.files != 1 else ''} checked"
    if result.skipped:
        checked += f", {result.skipped} skipped: --show-files lists them"
    if count:
        plural = "s" if count != 1 else ""
        lines.append(f"Found {count} finding{plural} in {files} file{'s' if files != 1 else ''} ({checked}).")
    else:
        lines.append(f"No findings ({checked}).")
    return "\n".join(lines) + "\n"

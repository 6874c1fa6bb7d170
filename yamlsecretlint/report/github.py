"""GitHub workflow commands: one annotation a finding, placed by its path from the repository root.

``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=YSL101::message``;
warnings as ``::warning``, notes as ``::notice``. Property values escape
``%``, CR, LF, ``:`` and ``,``; the message escapes ``%``, CR and LF — as
the runner's own toolkit does.
"""

from __future__ import annotations

from yamlsecretlint.model import Finding
from yamlsecretlint.report import Result
from yamlsecretlint.report.paths import from_root

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}
#: GitHub shows 10 error and 10 warning annotations a step (50 a job) and drops the rest without a word:
#: the first ones are annotated, and a notice says how many more there are and where they are.
PER_STEP = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return _escape_controls(escape_data(text).replace(":", "%3A").replace(",", "%2C"))


def _escape_controls(text: str) -> str:
    """Control characters left after the runner's own escapes (ESC, tab…), percent-encoded too."""
    return "".join(f"%{ord(c):02X}" if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in text)


def annotation(finding: Finding) -> str:
    span = finding.span
    props = {
        "file": from_root(finding.path),
        "line": str(span.line),
        "col": str(span.column),
        "endLine": str(span.end_line),
        "endColumn": str(span.end_column),
        "title": finding.rule,
    }
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in props.items())
    message = f"{finding.message} [{finding.key}]" if finding.key else finding.message
    return f"::{_COMMAND[finding.severity]} {joined}::{escape_data(message)}"


def render(result: Result, *, color: bool = False) -> str:
    lines = []
    shown: dict[str, int] = {}
    more = 0
    for finding in result.findings:
        command = _COMMAND[finding.severity]
        if shown.get(command, 0) >= PER_STEP:
            more += 1
            continue
        shown[command] = shown.get(command, 0) + 1
        lines.append(annotation(finding))
    if more:
        lines.append(
            f"::notice title=yamlsecretlint::{more} more finding(s) not annotated (GitHub shows {PER_STEP} "
            "a step): see the job summary, the SARIF upload or the text report"
        )
    lines.extend(f"::error title=yamlsecretlint::{escape_data(problem)}" for problem in result.problems)
    return "\n".join(lines) + ("\n" if lines else "")

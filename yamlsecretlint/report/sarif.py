"""SARIF 2.1.0 for code scanning, built with sarif-om (imported only for this format).

GitHub's code scanning rules are followed: ``tool.driver.rules`` from the
catalogue with help text, tags and a ``security-severity`` score as a string;
results with ``ruleIndex``, a relative ``artifactLocation.uri`` under
``%SRCROOT%`` and the region; and our own
``partialFingerprints.primaryLocationLineHash`` (rule, path, key path, keyed
value hash) — otherwise GitHub's upload action hashes the flagged line, which
holds the secret. No ``snippet`` is ever written. Suppressed findings are kept
with SARIF ``suppressions``; a run whose online check could not run says
``executionSuccessful: false``.
"""

from __future__ import annotations

import os
from typing import Any

from yamlsecretlint import __version__, catalog
from yamlsecretlint.model import Finding
from yamlsecretlint.report import Result

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/yamlsecretlint/yamlsecretlint"
#: GitHub code scanning accepts at most this many results per run.
MAX_RESULTS = 25_000
_PRECISION = {"plaintext": "high", "placeholder": "very-high", "arn": "very-high", "online": "very-high"}
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def _repository_prefix() -> str:
    """Paths are relative to the current directory; SARIF wants them relative to the repository root."""
    cwd = os.getcwd()
    current = cwd
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            rel = os.path.relpath(cwd, current).replace(os.sep, "/")
            return "" if rel == "." else rel + "/"
        parent = os.path.dirname(current)
        if parent == current:
            return ""
        current = parent


def artifact_uri(path: str) -> str:
    """A relative URI reference (RFC 3986): every byte but unreserved characters and '/' percent-encoded.

    A file name may hold ':' (which would read as a scheme), '#', '?', '%', blanks,
    backslashes and control characters; encoded, the URI names the file and nothing else.
    """
    from urllib.parse import quote

    return quote(path, safe="/", errors="surrogateescape")


def _rule(sarif: Any, rule: catalog.Rule) -> Any:
    properties = sarif.PropertyBag(tags=["security", rule.category])
    properties.precision = _PRECISION.get(rule.category, "very-high")
    setattr(properties, "security-severity", f"{rule.security_severity:.1f}")
    first_paragraph = rule.description.split("\n\n", 1)[0].replace("\n", " ")
    return sarif.ReportingDescriptor(
        id=rule.id,
        name=rule.name,
        short_description=sarif.MultiformatMessageString(text=rule.summary),
        full_description=sarif.MultiformatMessageString(text=first_paragraph),
        help=sarif.MultiformatMessageString(text=rule.description, markdown=rule.description),
        default_configuration=sarif.ReportingConfiguration(level=_LEVEL[rule.severity]),
        properties=properties,
    )


def _result(sarif: Any, finding: Finding, index: int, prefix: str) -> Any:
    span = finding.span
    location = sarif.Location(
        physical_location=sarif.PhysicalLocation(
            artifact_location=sarif.ArtifactLocation(uri=artifact_uri(prefix + finding.path), uri_base_id="%SRCROOT%"),
            region=sarif.Region(
                start_line=span.line,
                start_column=span.column,
                end_line=span.end_line,
                end_column=max(span.end_column, span.column + 1) if span.end_line == span.line else span.end_column,
            ),
        )
    )
    suppressions = None
    if finding.suppressed:
        kind = "inSource" if finding.suppressed == "inline" else "external"
        suppressions = [sarif.Suppression(kind=kind, justification=f"{finding.suppressed} suppression")]
    return sarif.Result(
        rule_id=finding.rule,
        rule_index=index,
        level=_LEVEL[finding.severity],
        message=sarif.Message(text=f"{finding.message} [{finding.key}]" if finding.key else finding.message),
        locations=[location],
        partial_fingerprints={"primaryLocationLineHash": finding.fingerprint},
        suppressions=suppressions,
    )


def render(result: Result, *, color: bool = False) -> str:
    import sarif_om as sarif
    from jschema_to_python.to_json import to_json

    rules = list(catalog.load().values())
    index = {rule.id: i for i, rule in enumerate(rules)}
    prefix = _repository_prefix()
    findings = result.findings[:MAX_RESULTS]
    notifications = [
        sarif.Notification(message=sarif.Message(text=problem), level="error") for problem in result.problems
    ]
    if len(result.findings) > MAX_RESULTS:
        text = f"{len(result.findings)} findings; only the first {MAX_RESULTS} are in this file (GitHub's limit)"
        notifications.append(sarif.Notification(message=sarif.Message(text=text), level="warning"))
    run = sarif.Run(
        tool=sarif.Tool(
            driver=sarif.ToolComponent(
                name="yamlsecretlint",
                version=__version__,
                semantic_version=__version__,
                information_uri=INFORMATION_URI,
                rules=[_rule(sarif, rule) for rule in rules],
            )
        ),
        results=[_result(sarif, f, index[f.rule], prefix) for f in findings],
        invocations=[
            sarif.Invocation(
                execution_successful=not result.problems,
                tool_execution_notifications=notifications or None,
            )
        ],
        original_uri_base_ids={"%SRCROOT%": sarif.ArtifactLocation(description=sarif.Message(text="repository root"))},
        column_kind="unicodeCodePoints",
    )
    log = sarif.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])
    serialised: str = to_json(log)
    return serialised + "\n"

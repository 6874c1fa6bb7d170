"""SARIF 2.1.0 for code scanning, built with sarif-om (imported only for this format).

GitHub's code scanning rules are followed: ``tool.driver.rules`` from the
catalogue with help text, tags and a ``security-severity`` score as a string;
results with ``ruleIndex``, a relative ``artifactLocation.uri`` under
``%SRCROOT%`` and the region; and our own
``partialFingerprints.primaryLocationLineHash`` (rule, path, key path, keyed
value hash) — otherwise GitHub's upload action hashes the flagged line, which
holds the secret. No ``snippet`` is ever written. A run whose online check
could not run says ``executionSuccessful: false``.

Baselined and inline-suppressed findings are left out, as in every format:
GitHub code scanning does not read ``suppressions`` and opens an alert for
every result it is given, while a result that leaves the file closes its alert
as fixed. ``--sarif-suppressed`` keeps them, marked ``suppressions`` (status
accepted, so no status is written; every other result then has an empty list), for the consumers that
read the mark: SARIF viewers, DefectDojo, a dismiss-alerts step.
"""

from __future__ import annotations

from typing import Any

from yamlsecretlint import __version__, catalog
from yamlsecretlint.model import Finding
from yamlsecretlint.report import Result
from yamlsecretlint.report.paths import from_root

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = catalog.HOME
#: GitHub code scanning accepts at most this many results per run.
MAX_RESULTS = 25_000
_PRECISION = {"plaintext": "high", "placeholder": "very-high", "arn": "very-high", "online": "very-high"}
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


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
        help_uri=catalog.help_uri(rule),
        default_configuration=sarif.ReportingConfiguration(level=_LEVEL[rule.severity]),
        properties=properties,
    )


def _result(sarif: Any, finding: Finding, index: int, marked: bool) -> Any:
    span = finding.span
    location = sarif.Location(
        physical_location=sarif.PhysicalLocation(
            artifact_location=sarif.ArtifactLocation(
                uri=artifact_uri(from_root(finding.path)), uri_base_id="%SRCROOT%"
            ),
            region=sarif.Region(
                start_line=span.line,
                start_column=span.column,
                end_line=span.end_line,
                end_column=max(span.end_column, span.column + 1) if span.end_line == span.line else span.end_column,
            ),
        )
    )
    suppressions = None
    if marked:  # every result or none (SARIF 3.27.23): an empty list says "checked, not suppressed"
        suppressions = []
        if finding.suppressed:
            kind = "inSource" if finding.suppressed == "inline" else "external"
            justification = f"{finding.suppressed} suppression"
            # No status: absent means accepted, and sarif-om 1.0.4 knows only a draft's "state".
            suppressions = [sarif.Suppression(kind=kind, justification=justification)]
    properties = None
    if finding.commit:  # a history scan's finding: the commit that first recorded it (the location is its file)
        properties = sarif.PropertyBag()
        properties.commit = finding.commit
        properties.removed = finding.removed
    return sarif.Result(
        rule_id=finding.rule,
        rule_index=index,
        level=_LEVEL[finding.severity],
        message=sarif.Message(text=f"{finding.message} [{finding.key}]" if finding.key else finding.message),
        locations=[location],
        partial_fingerprints={"primaryLocationLineHash": finding.fingerprint},
        suppressions=suppressions,
        properties=properties,
    )


def render(result: Result, *, color: bool = False) -> str:
    """``result`` holds suppressed findings only when they are to be kept, marked."""
    import sarif_om as sarif
    from jschema_to_python.to_json import to_json

    rules = list(catalog.load().values())
    index = {rule.id: i for i, rule in enumerate(rules)}
    marked = any(f.suppressed for f in result.findings)
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
        results=[_result(sarif, f, index[f.rule], marked) for f in findings],
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

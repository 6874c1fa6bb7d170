"""Inline suppressions: a comment on the line, or alone on the line above.

    key: value  # yamlsecretlint: ignore
    # yamlsecretlint: ignore[YSL106,YSL104]
    key: value
    key: value  # pragma: allowlist secret          (detect-secrets)
    # pragma: allowlist nextline secret             (detect-secrets)
    key: value

A directive on a block scalar's key line (``key: |``), or alone above it, covers
the whole block: a PEM under ``tls_key: |`` is reported on a line inside it.

A directive names the rules it covers (ids or prefixes; none means all). One
that covers no finding is itself reported (YSL801), so stale ignores do not
pile up — unless a rule it names is switched off, where silence proves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from yamlsecretlint import lazyre
from yamlsecretlint.model import Directive, Finding

UNUSED_RULE = "YSL801"
_DIRECTIVE = lazyre.compile(
    r"#\s*(?:yamlsecretlint:\s*ignore(?![\w-])(?:\[(?P<rules>[A-Za-z0-9_, ]*)\])?"
    r"|pragma:\s*allowlist\s+(?P<nextline>nextline\s+)?secret(?![\w-]))",
)
_LINE = lazyre.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
#: A line that opens a block scalar: `key: |`, `- key: >-`, `key: |2 # note`.
_BLOCK_HEADER = lazyre.compile(r":[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _block_end(lines: list[str], target: int) -> int:
    """The last line of the block scalar opened on line ``target`` (1-based), or ``target``."""
    if not 1 <= target <= len(lines) or not _BLOCK_HEADER.search(lines[target - 1].rstrip("\r\n")):
        return target
    header = lines[target - 1]
    indent = len(header) - len(header.lstrip(" "))
    last = target
    for number in range(target + 1, len(lines) + 1):
        body = lines[number - 1].rstrip("\r\n")
        if not body.strip():
            continue
        if len(body) - len(body.lstrip(" ")) <= indent:
            break
        last = number
    return last


def directives(text: str) -> list[Directive]:
    if "yamlsecretlint:" not in text and "allowlist" not in text:
        return []
    found = []
    lines: list[str] | None = None
    for number, match in enumerate(_LINE.finditer(text), start=1):
        line = match.group()
        if "#" not in line:
            continue
        directive = _DIRECTIVE.search(line)
        if directive is None:
            continue
        alone = not line[: directive.start()].strip()
        target = number + 1 if alone or directive.group("nextline") else number
        rules = tuple(r.strip().upper() for r in (directive.group("rules") or "").split(",") if r.strip())
        if lines is None:
            lines = _LINE.findall(text)  # numbered as the loop numbers them
        last = _block_end(lines, target)
        found.append(Directive(number, directive.start() + 1, directive.end() + 1, target, rules, last))
        if match.end() == len(text):
            break
    return found


def apply(
    findings: list[Finding], found: Sequence[Directive], enabled: Callable[[str], bool]
) -> tuple[list[Finding], list[Directive]]:
    """Findings with inline suppressions marked, and the directives (of their file) that covered nothing."""
    if not found:
        return findings, []
    by_line: dict[int, list[Directive]] = {}
    for directive in found:
        for line in range(directive.target, max(directive.last, directive.target) + 1):
            by_line.setdefault(line, []).append(directive)
    used: set[Directive] = set()
    marked = []
    for finding in findings:
        for directive in by_line.get(finding.span.line, ()):
            if not directive.rules or finding.rule.startswith(directive.rules):
                used.add(directive)
                finding = finding._replace(suppressed="inline")
                break
        marked.append(finding)
    unused = [d for d in found if d not in used and all(enabled(rule) for rule in d.rules or ("YSL",))]
    return marked, unused

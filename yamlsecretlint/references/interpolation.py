"""Malformed GitHub expressions and ``${VAR`` interpolation (YSL207).

- GitHub Actions ``${{ secrets.NAME }}``: an unterminated expression
  (``${{ secrets.X }``), the singular ``secret.X`` context, and secret names
  GitHub cannot store (letters, digits and ``_`` only, not starting with a
  digit or ``GITHUB_``).
- ``${VAR`` without its ``}`` in a compose file or a dotenv value: compose
  rejects the file, most dotenv loaders keep the text as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.checks.base import Check, TriggeredCheck
from yamlsecretlint.model import Hit, Scalar

_EXPRESSION = lazyre.compile(r"\$\{\{(?P<body>(?:(?!\}\}|\$\{\{).)*)(?P<end>\}\}|\}(?!\})|$)", re.S)
_SINGULAR = lazyre.compile(r"(?<![\w.])secret\.(?P<name>[A-Za-z_][\w-]*)")
_SECRETS = lazyre.compile(r"(?<![\w.])secrets\.(?P<name>[A-Za-z0-9_][\w-]*)")
_GITHUB_NAME = lazyre.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: The expression's context (a closed vocabulary) and property path, the only text an unclosed one is named by.
_CONTEXT = lazyre.compile(
    r"(?:github|env|vars|job|jobs|steps|runner|secrets|strategy|matrix|needs|inputs)(?:\.[A-Za-z_][\w-]*)*"
)
_UNTERMINATED = lazyre.compile(r"\$\{(?!\{)(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<rest>[^}]*)$")


class InterpolationCheck(TriggeredCheck):
    triggers = ("${",)

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role not in ("value", "line"):
            return
        value = scalar.value
        if "${{" in value and self.context.kind == "yaml":
            for match in _EXPRESSION.finditer(value):
                yield from self._expression(scalar, match)
        if "${" in value and "${{" not in value and self.context.dialect in ("compose", "dotenv"):
            # Only text after the last '}' can hold an unclosed ${: one linear search.
            after = value.rfind("}") + 1
            unterminated = _UNTERMINATED.search(value, after)
            if unterminated is not None:
                name = redact.name(unterminated.group("name"))
                message = f"'${{{name}' is not closed: write ${{{name}}}"
                yield Hit("YSL207", scalar, unterminated.start(), len(value), message)

    def _expression(self, scalar: Scalar, match: re.Match[str]) -> Iterator[Hit]:
        start, end = match.span()
        body = match.group("body")
        if match.group("end") != "}}":
            context = _CONTEXT.match(body.strip())
            shown = f" {redact.name(context.group())}" if context else ""
            yield Hit("YSL207", scalar, start, end, f"'${{{{{shown}' is not closed with }}}}")
            return
        for singular in _SINGULAR.finditer(body):
            name = redact.name(singular.group("name"))
            yield Hit("YSL207", scalar, start, end, f"the context is 'secrets', not 'secret': write secrets.{name}")
        for used in _SECRETS.finditer(body):
            name = used.group("name")
            if name == "GITHUB_TOKEN":  # GitHub's own token, provided to every workflow
                continue
            if not _GITHUB_NAME.match(name) or name.upper().startswith("GITHUB_"):
                why = "starts with GITHUB_" if name.upper().startswith("GITHUB_") else "has characters GitHub forbids"
                yield Hit(
                    "YSL207",
                    scalar,
                    start,
                    end,
                    f"secret name '{redact.name(name)}' {why}: "
                    "names are letters, digits and _, not starting with a digit",
                )


def make(rules: list[Rule]) -> list[Check]:
    return [InterpolationCheck()] if any(r.id == "YSL207" for r in rules) else []

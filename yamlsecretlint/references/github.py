"""GitHub Actions workflows and actions: ``${{ secrets.NAME }}`` expressions (YSL207).

An unterminated expression (``${{ secrets.X }``), the singular ``secret.X``
context, and secret names GitHub cannot store (letters, digits and ``_`` only,
not starting with a digit or ``GITHUB_``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, TriggeredCheck
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.references.dialect import Dialect, file_name

#: GitHub's ``${{`` is not Jinja's ``{{``: an unclosed one is reported, so the tempered regex (linear) stays.
_EXPRESSION = lazyre.compile(r"\$\{\{(?P<body>(?:(?!\}\}|\$\{\{).)*)(?P<end>\}\}|\}(?!\})|$)", re.S)
_SINGULAR = lazyre.compile(r"(?<![\w.])secret\.(?P<name>[A-Za-z_][\w-]*)")
_SECRETS = lazyre.compile(r"(?<![\w.])secrets\.(?P<name>[A-Za-z0-9_][\w-]*)")
_GITHUB_NAME = lazyre.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: The expression's context (a closed vocabulary) and property path, the only text an unclosed one is named by.
_CONTEXT = lazyre.compile(
    r"(?:github|env|vars|job|jobs|steps|runner|secrets|strategy|matrix|needs|inputs)(?:\.[A-Za-z_][\w-]*)*"
)


def _detect(path: str, text: str) -> bool:
    name = file_name(path)
    return "/.github/workflows/" in f"/{path}" or name == "action.yml" or "${{" in text


DIALECT = Dialect(
    "github",
    detect=_detect,
    hint=lambda name: f"store it as a repository secret and write ${{{{ secrets.{name.upper()} }}}}",
)


class ExpressionCheck(TriggeredCheck):
    triggers = ("${{",)

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role not in ("value", "line") or self.context.kind != "yaml":
            return
        for match in _EXPRESSION.finditer(scalar.value):
            yield from self._expression(scalar, match)

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
    return [ExpressionCheck()] if any(r.id == "YSL207" for r in rules) else []

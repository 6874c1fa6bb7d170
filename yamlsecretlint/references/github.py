"""GitHub Actions workflows and actions: ``${{ secrets.NAME }}`` expressions (YSL207), and AWS secrets.

An unterminated expression (``${{ secrets.X }``), the singular ``secret.X``
context, and secret names GitHub cannot store (letters, digits and ``_`` only,
not starting with a digit or ``GITHUB_``).

A step that ``uses: aws-actions/aws-secretsmanager-get-secrets`` reads the
Secrets Manager secrets its ``secret-ids:`` lines name (aws-actions/
aws-secretsmanager-get-secrets, README "Usage"): a name or an ARN, optionally
after ``ALIAS,``; a trailing ``*`` is a prefix the action lists secrets by,
not one secret, so it is not a reference. The action reads them in the
region its credentials step configured: --region, else the SDK's chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from types import MappingProxyType

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context, TriggeredCheck
from yamlsecretlint.model import Fix, Hit, Reference, RefHit, Scalar
from yamlsecretlint.policy import Policy
from yamlsecretlint.references.dialect import Dialect, file_name
from yamlsecretlint.references.secret_names import secret_id_hit
from yamlsecretlint.sources.facts import holds

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
    return "/.github/workflows/" in f"/{path}" or name == "action.yml" or holds(text, "${{")


DIALECT = Dialect(
    "github",
    detect=_detect,
    hint=lambda name: f"store it as a repository secret and write ${{{{ secrets.{name.upper()} }}}}",
    default_region=lambda region, env: "",
    reader="the aws-secretsmanager-get-secrets step",
)
_GET_SECRETS = "aws-secretsmanager-get-secrets"


def _step_keys(name: str, policy: Policy) -> bool:
    return name in ("uses", "secret-ids")


def _parent(key: str) -> str:
    return key.rsplit(".", 1)[0] if "." in key else ""


class GetSecretsCheck(Check):
    """``secret-ids:`` of an aws-secretsmanager-get-secrets step: one reference per line."""

    hints: tuple[str, ...] = ()
    names = staticmethod(_step_keys)
    roles = frozenset({"value"})

    def applies(self, context: Context) -> bool:
        return context.dialect == "github" and holds(context.text, _GET_SECRETS)

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._steps: set[tuple[int, str]] = set()
        self._ids: list[Scalar] = []

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        if scalar.name == "uses" and _GET_SECRETS in scalar.value:
            self._steps.add((scalar.doc, _parent(scalar.key)))
        elif scalar.name == "secret-ids":
            self._ids.append(scalar)
        return ()

    def finish(self) -> Iterator[Hit]:
        for scalar in self._ids:
            if (scalar.doc, _parent(_parent(scalar.key))) in self._steps:
                yield from self._lines(scalar)
        self._ids = []

    def _lines(self, scalar: Scalar) -> Iterator[Hit]:
        for line in re.finditer(r"[^\r\n]+", scalar.value):
            entry = line.group()
            start = line.start() + len(entry) - len(entry.lstrip())
            if "," in entry:
                start = line.start() + entry.index(",") + 1
            secret_id = scalar.value[start : line.end()].strip()
            if not secret_id or secret_id.endswith("*") or "${{" in secret_id:
                continue  # a prefix the action lists by, or an expression filled in by the run
            start += len(scalar.value[start : line.end()]) - len(scalar.value[start : line.end()].lstrip())
            end = start + len(secret_id)
            region, invalid = secret_id_hit(scalar, start, end, secret_id)
            if invalid is not None:
                yield invalid
                continue
            ref = Reference("github", "aws-secretsmanager", secret_id, region=region)
            self.found.append(RefHit(ref, scalar, start, end))


def _holds_expression(value: str, policy: Policy) -> bool:
    """``${{`` shares its mark with ``${``: whether the value holds an expression at all."""
    return "${{" in value


class ExpressionCheck(TriggeredCheck):
    triggers = ("${{",)
    confirms = MappingProxyType({"${{": _holds_expression})

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
            at = match.start("body") + singular.start()
            fix = Fix(at, at + len("secret"), "secrets")
            message = f"the context is 'secrets', not 'secret': write secrets.{name}"
            yield Hit("YSL207", scalar, start, end, message, fix=fix)
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
    made: list[Check] = [ExpressionCheck()] if any(r.id == "YSL207" for r in rules) else []
    if any(r.id == "YSL202" for r in rules):
        made.append(GetSecretsCheck())
    return made

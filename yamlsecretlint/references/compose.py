"""docker-compose files: ``${VAR}`` interpolation from the deploy environment (YSL207).

``${VAR`` without its ``}`` in a compose file or a dotenv value: compose
rejects the file, most dotenv loaders keep the text as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, TriggeredCheck
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.policy import Policy
from yamlsecretlint.references.dialect import Dialect, file_name
from yamlsecretlint.sources.facts import holds

_UNTERMINATED = lazyre.compile(r"\$\{(?!\{)(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<rest>[^}]*)$")


def _detect(path: str, text: str) -> bool:
    name = file_name(path)
    return name.startswith(("docker-compose", "compose.")) or ("\nservices:" in text[:4096] and holds(text, "image:"))


DIALECT = Dialect(
    "compose",
    detect=_detect,
    hint=lambda name: f"write ${{{name.upper()}}} and provide it at deploy time (or use a compose secret)",
)


def _may_be_open(value: str, policy: Policy) -> bool:
    """What a value whose only trigger is ``${`` holds for ``_scan`` to find one unclosed:
    a ``${`` after the last ``}``."""
    return value.rfind("${") > value.rfind("}")


class UnterminatedCheck(TriggeredCheck):
    """Also dotenv values: the same ``${VAR}`` syntax, read by the same kind of loader."""

    triggers = ("${",)
    confirms = MappingProxyType({"${": _may_be_open})

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        value = scalar.value
        if scalar.role not in ("value", "line") or "${{" in value or self.context.dialect not in ("compose", "dotenv"):
            return
        # Only text after the last '}' can hold an unclosed ${: one linear search.
        after = value.rfind("}") + 1
        unterminated = _UNTERMINATED.search(value, after)
        if unterminated is not None:
            name = redact.name(unterminated.group("name"))
            message = f"'${{{name}' is not closed: write ${{{name}}}"
            yield Hit("YSL207", scalar, unterminated.start(), len(value), message)


def make(rules: list[Rule]) -> list[Check]:
    return [UnterminatedCheck()] if any(r.id == "YSL207" for r in rules) else []

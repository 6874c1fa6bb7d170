"""YSL105: a password inside a URL, DSN or connection string.

``postgres://user:pass@host``, ``redis://:pass@host``, ``mongodb+srv://…``,
JDBC ``?password=…``, ADO.NET ``Password=…;`` and Azure ``AccountKey=…``,
unless the password part is a reference (``${DB_PASSWORD}``, ``{{ … }}``) or a
dummy. ``user:user@localhost`` (RabbitMQ's ``guest:guest``) is a documented
local default, not a credential.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import MappingProxyType

from yamlsecretlint import lazyre
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check
from yamlsecretlint.checks.values import benign
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.policy import Policy
from yamlsecretlint.redact import preview
from yamlsecretlint.references import hint_for
from yamlsecretlint.references.inline import references
from yamlsecretlint.sources.marks import has_word

RULE = "YSL105"
_URL = lazyre.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{1,30})://(?P<user>[^\s:/@'\"?#]*):(?P<secret>[^\s/'\"?#]+)@(?P<host>[^\s/'\"?#:@]+)"
)
_PARAM = lazyre.compile(
    r"(?i)(?:[?&;]|^|\s)(?:password|passwd|pwd|pass|accountkey|sharedaccesskey)\s*=\s*(?P<secret>[^&;\s'\"]+)"
)
#: Every keyword of _PARAM holds one of these: `in` on the lower-cased value is a cheap prefilter.
_PARAM_HINTS = ("pass", "pwd", "accountkey", "accesskey")
_LOCAL = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "host.docker.internal"})  # noqa: S104


def _may_hold_password(value: str, policy: Policy) -> bool:
    """The test in front of ``_scan``: a URL with a user part, or ``=`` and a parameter word."""
    return ("://" in value and "@" in value) or ("=" in value and has_word(value, _PARAM_HINTS))


class DsnCheck(Check):
    triggers = ("://", "=")
    confirms = MappingProxyType({"://": _may_hold_password, "=": _may_hold_password})

    def __init__(self, rule: Rule) -> None:
        self.message = rule.message

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        # A plain function in front of the generator: most scalars stop at this gate.
        value = scalar.value
        if scalar.role == "key" or not _may_hold_password(value, self.context.policy):
            return ()
        return list(self._scan(scalar))

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        value = scalar.value
        if scalar.role == "key" or ("://" not in value and "=" not in value):
            return
        if "://" in value and "@" in value:
            for match in _URL.finditer(value):
                secret = match.group("secret")
                if match.group("user") == secret and match.group("host").lower() in _LOCAL:
                    continue
                yield from self._check(scalar, match.start("secret"), match.end("secret"), secret)
        lowered = value.lower() if "=" in value else ""
        if lowered and any(hint in lowered for hint in _PARAM_HINTS):
            for match in _PARAM.finditer(value):
                yield from self._check(scalar, match.start("secret"), match.end("secret"), match.group("secret"))

    def _check(self, scalar: Scalar, start: int, end: int, secret: str) -> Iterator[Hit]:
        if (
            references(secret).found
            or "$" in secret
            or "{" in secret
            or benign(secret, "", self.context.policy) is not None
        ):
            return
        message = self.message.format(preview=preview(secret))
        yield Hit(
            RULE,
            scalar,
            start,
            end,
            f"{message}; {hint_for(self.context.dialect, scalar)}",
        )


def make(rules: list[Rule]) -> list[Check]:
    return [DsnCheck(r) for r in rules if r.id == RULE]

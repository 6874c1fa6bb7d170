"""YSL106: the value of a secret-named key, written in clear.

A password is a password whatever its entropy, so this check reads the key,
not the randomness of the value: ``pg_password: hunter2hunter2X9`` and
``DB_PASSWORD=Summer8864!`` are findings; ``${DB_PASSWORD}``,
``{{ aws_secret_var('db') }}``, ``changeme`` and ``/run/secrets/db`` are not.
A literal default inside a reference (``${DB_PASSWORD:-s3cr3t}``) is.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from types import MappingProxyType

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context
from yamlsecretlint.checks.keys import is_secret_name
from yamlsecretlint.checks.values import benign
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.policy import Policy
from yamlsecretlint.redact import preview
from yamlsecretlint.references import fix_hint
from yamlsecretlint.references.inline import references
from yamlsecretlint.sources.facts import holds
from yamlsecretlint.sources.keypaths import last_key
from yamlsecretlint.sources.marks import has_word

RULE = "YSL106"
#: Tags whose value is still a literal string; any other local tag (``!Ref``,
#: ``!GetAtt``, ``!vault``, ``!secret``, ``!ENV``) makes it a reference or ciphertext.
_LITERAL_TAGS = frozenset({"", "!Sub", "!unsafe", "!!binary"})
#: ``key: value`` or ``KEY=value`` inside a comment: a commented-out line.
_COMMENTED = lazyre.compile(
    r"""^(?:-\s+)?(?:export\s+)?["']?(?P<key>[A-Za-z_][\w.-]*)["']?\s*(?::\s+|=)\s*(?P<q>["']?)(?P<value>\S+?)(?P=q)"""
    r"""(?:\s+\#.*)?\s*$"""  # `# password: x  # the staging DB`: a comment after the commented-out pair
)
#: A list item that is a pair: compose's list-form ``environment: [- KEY=value]``, ``args: [--key=value]``.
_ITEM_PAIR = lazyre.compile(r"^(?:--?)?(?P<key>[A-Za-z_][\w.-]*)=(?P<value>.*)$", re.S)
#: ``--requirepass s3cr3t``, ``mysql --password s3cr3t``: a long option and its value after a blank.
_FLAG = lazyre.compile(
    r"""(?:^|(?<=\s))--(?P<key>[A-Za-z][\w-]*)[ \t]+(?P<q>["']?)(?P<value>[^\s"'$-][^\s"',;]*)(?P=q)""", re.M
)
_INLINE_COMMENT = lazyre.compile(r"\s#")


def _without_comment(line: str) -> str:
    """The line before a ``#`` that follows a blank (``\\s+#.*$`` backtracks over long runs of blanks)."""
    found = _INLINE_COMMENT.search(line)
    return line if found is None else line[: found.start()].rstrip()


_TRAVIS_CIPHERTEXT = lazyre.compile(r"^[A-Za-z0-9+/]{100,}={0,2}$")
#: ``key=value``, ``key: value``, ``"key": "value"`` and ``--key=value`` written inside a
#: longer value: a script in ``run: |``, a properties block, a JSON string, a JAAS line.
_EMBEDDED = lazyre.compile(
    r"""(?:^|(?<=[\s{,;(]))(?:--|\$)?["']?(?P<key>[A-Za-z_][\w.-]*)["']?[ \t]*"""
    # `=`, Go templates' `:=`, `: `, minified JSON's `":"`, and a blank before a quote
    r"""(?::?=|:[ \t]|:(?=["'])|[ \t](?=["']))[ \t]*"""
    r"""(?P<q>["']?)(?P<value>[^\s"',;}]+)(?P=q)""",
    re.M,
)
#: A template variable set to a quoted literal and nothing else (filters aside): Helm's
#: `{{- $pw := "…" }}`, Jinja's `{% set password = "…" %}`. `$x := include "…" (dict …)` is code.
_ASSIGNMENT = lazyre.compile(
    r"""(?:\$|\bset\s+)(?P<key>[A-Za-z_]\w*)\s*:?=\s*(?P<q>["'`])(?P<value>[^"'`\n]+)(?P=q)\s*(?:\|[^|}%]*)*-?[}%]\}"""
)
_ESCAPE = lazyre.compile(r"\\[nrt]")
_BLANK = lazyre.compile(r"\s")
#: Names whose value is judged by a rule of its own (Docker's auth, CloudFormation's Default, Travis's secure).
_SPECIAL_NAMES = frozenset({"auth", "Default", "secure"})
#: Words that make a multi-token value worth reading for embedded pairs.
_HINT_WORDS = ("pass", "pwd", "secret", "token", "key", "cred", "auth", "curl")
#: curl's `-u user:password` / `--user "user:password"`: the part after the colon is the password.
_CURL_USER = lazyre.compile(r"""(?:^|(?<=\s))(?:-u|--user)[ \t]+(?P<q>["']?)[^\s:"'$]*:(?P<value>[^\s"'$]+)(?P=q)""")
#: Fields of prose: the pairs in them are documentation.
_PROSE_KEYS = frozenset(
    "description summary help doc docs documentation example examples comment comments note notes title message".split()
)
#: In code, ``token = event.authorizationToken`` assigns a variable, not a secret.
_CODE_VALUE = lazyre.compile(r"[()\[\]`]|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
_IDENTIFIER = lazyre.compile(r"^(?:[a-z]+(?:_[a-z]+)+|[a-z]+(?:[A-Z][a-z]+)+)$")
#: Kubernetes kinds whose secret-named keys name entries of other Secrets (External
#: Secrets' ``secretKey``) or hold ciphertext; a ``Secret``'s own data is YSL107's.
_POINTER_KINDS = frozenset(
    {
        "ExternalSecret",
        "ClusterExternalSecret",
        "PushSecret",
        "SecretStore",
        "ClusterSecretStore",
        "SealedSecret",
        "SecretProviderClass",  # the CSI driver's: `secretKey`, `objectName` name entries in a store
    }
)
#: Folders of translation files (Rails, Vue, Symfony, Django).
_TRANSLATIONS = lazyre.compile(r"(?:^|/)(?:locales?|i18n|l10n|lang|langs|translations?)/[^/]+$")
#: OpenAPI / JSON Schema documentation values.
_QUOTED_SEGMENT = lazyre.compile(r'\["(?:[^"\\]|\\.)*"\]')
_EXAMPLE_SEGMENT = lazyre.compile(r"(?:^|\.)(?:example|examples|x-example)(?:\.|\[|$)")


def _binary(value: str) -> str | None:
    try:
        return base64.b64decode("".join(value.split()), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _embedded_pairs(value: str) -> Iterator[re.Match[str]]:
    """``_EMBEDDED`` and ``_FLAG`` matches on the lines that hold a hint word: a pair never
    spans lines, and a long script is mostly lines without one."""
    lowered = value.lower()
    if len(lowered) != len(value):  # lower-casing moved the offsets: read it all
        yield from _EMBEDDED.finditer(value)
        yield from _FLAG.finditer(value)
        return
    lines = set()
    for word in _HINT_WORDS:
        at = lowered.find(word)
        while at >= 0:
            end = lowered.find("\n", at)
            end = len(lowered) if end < 0 else end
            lines.add((lowered.rfind("\n", 0, at) + 1, end))
            at = lowered.find(word, end)
    for start, end in sorted(lines):
        yield from _EMBEDDED.finditer(value, start, end)
        if "--" in value:
            yield from _FLAG.finditer(value, start, end)


@lru_cache(maxsize=4096)  # asked of every value a run builds, over a few thousand names
def _wanted_name(name: str, policy: Policy) -> bool:
    return name in _SPECIAL_NAMES or is_secret_name(name, policy)


def _may_pair(value: str, policy: Policy) -> bool:
    """Whether the gate in ``scalar()`` could read a value holding ``=`` that no name or word wants:
    a hint word in any case, or a ``KEY=value`` item with a secret name (most values with ``=``
    are version ranges, hashes and flags)."""
    if has_word(value, _HINT_WORDS):
        return True
    pair = _ITEM_PAIR.match(value)
    return pair is not None and is_secret_name(pair.group("key"), policy)


class SecretKeyCheck(Check):
    #: A list item holding ``=`` may be a ``KEY=value`` pair (the walker yields no other unnamed item).
    hints = ("=", '":"')
    confirms = MappingProxyType({"=": _may_pair})
    roles = frozenset({"value", "comment", "line", "template"})
    words = _HINT_WORDS
    names = staticmethod(_wanted_name)
    root_keys = frozenset({"kind"})

    def __init__(self, rule: Rule) -> None:
        self.message = rule.message

    def applies(self, context: Context) -> bool:
        # A translation file (`locales/nl.yml`: `password: Wachtwoord`) names secrets in words.
        return _TRANSLATIONS.search(context.path) is None

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._kinds: dict[int, str] = {}
        #: Hits on `data`/`stringData` of a document whose `kind` comes later (kubectl sorts keys).
        self._deferred: list[Hit] = []

    def finish(self) -> Iterator[Hit]:
        for hit in self._deferred:
            kind = self._kinds.get(hit.scalar.doc)
            if kind not in _POINTER_KINDS and kind != "Secret":
                yield hit
        self._deferred = []

    def _skipped(self, scalar: Scalar) -> bool:
        kind = self._kinds.get(scalar.doc)
        if kind in _POINTER_KINDS:
            return True
        if kind == "Secret" and scalar.key.startswith(("data", "stringData")):
            return True
        if "example" not in scalar.key:
            return False
        return _EXAMPLE_SEGMENT.search(_QUOTED_SEGMENT.sub("", scalar.key)) is not None

    def _name(self, scalar: Scalar) -> str:
        name = scalar.name or last_key(scalar.key)
        # A CloudFormation parameter's Default is the value of that parameter.
        if name == "Default" and scalar.key.startswith("Parameters."):
            return scalar.key.split(".")[1]
        # Travis CI's `password: {secure: …}` holds ciphertext; plain words there are not.
        if name == "secure" and not _TRAVIS_CIPHERTEXT.match(scalar.value):
            return last_key(scalar.key.rsplit(".", 1)[0])
        return name

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        # A plain function in front of the generator: most scalars stop at this gate.
        role = scalar.role
        if role == "value":
            if scalar.key == "kind":
                self._kinds[scalar.doc] = scalar.value
            value = scalar.value
            if not _wanted_name(scalar.name, self.context.policy) and not (
                # ';' joins shell assignments (`A=1;DB_PASSWORD=…`, which dotenv reads as A's value)
                (" " in value or "\n" in value or ";" in value or '":"' in value) and has_word(value, _HINT_WORDS)
            ):
                if scalar.name or "=" not in value or not scalar.key.endswith("]"):
                    return ()
                pair = _ITEM_PAIR.match(value)
                if pair is None or not is_secret_name(pair.group("key"), self.context.policy):
                    return ()
            if (
                scalar.key.startswith(("data", "stringData"))
                and scalar.doc not in self._kinds
                and holds(self.context.text, "kind")
            ):
                self._deferred.extend(self._scan(scalar))
                return ()
        elif role == "comment":
            if _COMMENTED.match(scalar.value) is None:
                return ()
        elif role == "template":
            # A tag on a line of its own that sets a variable: Helm's `{{- $pw := "…" }}`, Jinja's
            # `{% set password = "…" %}`; the literal is rendered wherever the variable is.
            if ":=" not in scalar.value and "set" not in scalar.value:
                return ()
            return list(self._pairs(scalar, _ASSIGNMENT.finditer(scalar.value)))
        elif role != "line":
            return ()
        return list(self._scan(scalar))

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if scalar.role == "value" or scalar.role == "line":
            if self._skipped(scalar):
                return
            value = scalar.value
            if scalar.role == "value" and (_BLANK.search(value.strip()) or '":"' in value or ";" in value):
                yield from self._embedded(scalar)
            name = self._name(scalar)
            value, offset = scalar.value, 0
            if scalar.role == "line":
                value = _without_comment(value)
            elif not name and scalar.key.endswith("]"):
                pair = _ITEM_PAIR.match(value)
                if pair is None:
                    return
                name, value, offset = pair.group("key"), pair.group("value"), pair.start("value")
        elif scalar.role == "comment":
            commented = _COMMENTED.match(scalar.value)
            if commented is None:
                return
            name = commented.group("key").rsplit(".", 1)[-1]
            value, offset = commented.group("value"), commented.start("value")
        else:
            return
        if name == "auth" and scalar.role == "value":
            yield from self._docker_auth(scalar)
            return
        if not name or scalar.tag not in _LITERAL_TAGS or not is_secret_name(name, self.context.policy):
            return
        if scalar.tag == "!!binary":
            decoded = _binary(value)
            if decoded is None or benign(decoded, name, self.context.policy) in ("empty", "placeholder"):
                return
            yield self._hit(scalar, name, 0, len(scalar.value), decoded)
            return
        refs = references(value, spice=self.context.dialect == "spice")
        if refs.found:
            for default in refs.defaults:
                literal = value[default.start : default.end]
                if benign(literal, name, self.context.policy) is None and not references(literal).found:
                    yield self._hit(scalar, name, offset + default.start, offset + default.end, literal, default=True)
            return
        if benign(value, name, self.context.policy) is not None:
            return
        stripped = value.strip()
        start = offset + value.index(stripped)
        yield self._hit(scalar, name, start, start + len(stripped), stripped)

    def _embedded(self, scalar: Scalar) -> Iterator[Hit]:
        """Secret-named pairs inside a multi-token value, reported where each is written."""
        value = scalar.value
        if scalar.tag not in _LITERAL_TAGS or last_key(scalar.key).lower() in _PROSE_KEYS:
            return
        if "-u" in value and "curl" in value.lower():
            for user in _CURL_USER.finditer(value):
                literal = user.group("value")
                if benign(literal, "password", self.context.policy) is None and not references(literal).found:
                    yield self._hit(scalar, "password", user.start("value"), user.end("value"), literal)
        yield from self._pairs(scalar, _embedded_pairs(value))

    def _pairs(self, scalar: Scalar, pairs: Iterable[re.Match[str]]) -> Iterator[Hit]:
        for pair in pairs:
            name = pair.group("key").rsplit(".", 1)[-1]
            # An escape ends the value: `echo -e "pass: x\nuser: y"`.
            literal = _ESCAPE.split(pair.group("value"), 1)[0]
            if not is_secret_name(name, self.context.policy) or "$" in literal or "{" in literal:
                continue
            # `token = event.token` is code; `"access_token": "eyJ….eyJ….sig"` is a JWT, dots and all.
            if (_CODE_VALUE.search(literal) and not literal.startswith("eyJ")) or _IDENTIFIER.match(literal):
                continue
            if benign(literal, name, self.context.policy) is None and not references(literal).found:
                start = pair.start("value")
                yield self._hit(scalar, name, start, start + len(literal), literal)

    def _docker_auth(self, scalar: Scalar) -> Iterator[Hit]:
        """A Docker config ``auth`` is base64 of ``user:password``."""
        decoded = _binary(scalar.value)
        if decoded is None or ":" not in decoded:
            return
        password = decoded.split(":", 1)[1]
        if benign(password, "password", self.context.policy) is None:
            yield self._hit(scalar, "auth", 0, len(scalar.value), password)

    def _hit(self, scalar: Scalar, name: str, start: int, end: int, secret: str, default: bool = False) -> Hit:
        what = "default of a reference" if default else "value"
        message = self.message.format(preview=preview(secret), what=what, name=redact.name(name))
        if scalar.role == "comment":
            scalar = scalar._replace(key=name)  # report the commented-out key, not an empty path
        return Hit(RULE, scalar, start, end, f"{message}; {fix_hint(self.context.dialect, name, scalar.key)}")


def make(rules: list[Rule]) -> list[Check]:
    return [SecretKeyCheck(r) for r in rules if r.id == RULE]

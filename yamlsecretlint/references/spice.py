"""Spice: spicepods, their secret stores and ``${store:key}`` references (YSL202–YSL205).

Only spicepods (``kind: Spicepod`` or a file named ``spicepod.y*ml``): a
``${VAR}`` in a compose file is not Spice's. A reference is read as Spice's
own lexer reads it: ``${``, optional blanks, a store identifier, ``:``, a key
identifier (``[a-zA-Z][a-zA-Z0-9_-]*`` both), optional blanks, ``}``.
Stores are declared under ``secrets:``; with no such section an ``env`` store
exists, and ``secrets`` is reserved: it searches every store. Spice's AWS
store reads ``spice_<key>``, then ``<key>``.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from typing import NamedTuple

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context
from yamlsecretlint.model import Fix, Hit, Reference, RefHit, Scalar
from yamlsecretlint.references.dialect import Dialect, file_name
from yamlsecretlint.references.secret_names import name_hit
from yamlsecretlint.sources.facts import holds

_SPICEPOD = lazyre.compile(r"^kind:[ \t]*Spicepod\b", re.M)


def _detect(path: str, text: str) -> bool:
    name = file_name(path)
    return name.startswith("spicepod.") or (holds(text, "Spicepod") and _SPICEPOD.search(text) is not None)


DIALECT = Dialect(
    "spice",
    detect=_detect,
    hint=lambda name: f"store it in AWS Secrets Manager and write ${{aws:{name}}} (an aws_secrets_manager store)",
    key_names=lambda paths, key: (f"spice_{key}", key),
    # crates/runtime/src/secrets/stores/aws_secrets_manager.rs parse_json_to_hashmap: string values only.
    string_keys_only=True,
    # A store's `region` param is its client's region; without one, the SDK's chain decides.
    fixed_region=lambda region, env: region,
    default_region=lambda region, env: "",
    reader="Spice",
)
_IDENTIFIER = lazyre.compile(r"[a-zA-Z][a-zA-Z0-9_-]*")
_CANDIDATE = lazyre.compile(r"\$\{(?P<old>\{)?(?P<body>[^{}]*)\}(?P<close>\})?")
_STORE_KEY = lazyre.compile(r"^[ \t\r\n]*(?P<store>[^:]*?)[ \t\r\n]*:[ \t\r\n]*(?P<key>.*?)[ \t\r\n]*$", re.S)
_ENTRY = lazyre.compile(r"^secrets\[(?P<index>[0-9]+)\]\.(?P<field>from|name|params\.[\w-]+)$")
#: Store kinds and whether a selector after ``kind:`` is required (True), forbidden (False) or optional.
KINDS: dict[str, bool | None] = {
    "env": False,
    "keyring": False,
    "kubernetes": True,
    "aws_secrets_manager": True,
    "azure_keyvault": None,
    "hashicorp_vault": None,
}
_PROVIDERS = {
    "env": "env",
    "keyring": "keyring",
    "kubernetes": "kubernetes",
    "aws_secrets_manager": "aws-secretsmanager",
    "azure_keyvault": "azure-keyvault",
    "hashicorp_vault": "vault",
}
RESERVED = "secrets"


class Store(NamedTuple):
    name: str
    kind: str
    selector: str
    region: str


class SpiceCheck(Check):
    hints = ()

    def applies(self, context: Context) -> bool:
        return context.dialect == "spice"

    def sees_everything(self, context: Context) -> bool:
        return context.dialect == "spice"

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._entries: dict[int, dict[str, Scalar]] = {}
        self._uses: list[tuple[Scalar, re.Match[str]]] = []

    def scalar(self, scalar: Scalar) -> tuple[Hit, ...]:
        # Only gathers: a store may be declared after its first use.
        if self.context.dialect != "spice":
            return ()
        if scalar.role == "value":
            entry = _ENTRY.match(scalar.key)
            if entry:
                self._entries.setdefault(int(entry.group("index")), {})[entry.group("field")] = scalar
            if "${" in scalar.value:
                self._uses.extend((scalar, m) for m in _CANDIDATE.finditer(scalar.value))
        return ()

    def finish(self) -> Iterator[Hit]:
        stores = yield from self._stores()
        for scalar, match in self._uses:
            yield from self._use(scalar, match, stores)

    def _stores(self) -> Generator[Hit, None, dict[str, Store]]:
        stores: dict[str, Store] = {}
        for index in sorted(self._entries):
            fields = self._entries[index]
            source = fields.get("from")
            if source is None:
                anchor = next(iter(fields.values()))
                yield Hit("YSL205", anchor, 0, len(anchor.value), f"secret store #{index + 1} has no 'from'")
                continue
            kind, sep, selector = source.value.partition(":")
            kind = kind.strip()
            where = (source, 0, len(source.value))
            if kind not in KINDS:
                known = ", ".join(KINDS)
                yield Hit("YSL205", *where, f"unknown secret store kind '{redact.name(kind)}'; known kinds: {known}")
                continue
            rule = KINDS[kind]
            if rule is True and not selector:
                yield Hit("YSL205", *where, f"store '{kind}' needs a selector: from: {kind}:<name>")
            elif rule is False and sep:
                yield Hit("YSL205", *where, f"store '{kind}' takes no selector: write from: {kind}")
            name_scalar = fields.get("name")
            if name_scalar is None or not name_scalar.value:
                yield Hit("YSL205", *where, f"secret store '{redact.name(source.value)}' has no 'name'")
                continue
            name = name_scalar.value
            if name == RESERVED:
                message = f"'{RESERVED}' is reserved (it searches every store); give this store another name"
                yield Hit("YSL205", name_scalar, 0, len(name), message)
            elif not _IDENTIFIER.fullmatch(name):
                yield Hit("YSL205", name_scalar, 0, len(name), f"store name '{redact.name(name)}' cannot be referenced")
            elif name in stores:
                yield Hit("YSL205", name_scalar, 0, len(name), f"store name '{redact.name(name)}' is declared twice")
            if kind == "aws_secrets_manager" and selector:
                if selector.startswith("arn:"):
                    pass  # validated by the ARN check
                else:
                    invalid = name_hit(*where, selector)
                    if invalid is not None:
                        yield invalid
            region = ""
            for field in ("params.aws_region", "params.region"):
                if field in fields:
                    region = fields[field].value
            if "${" in region:
                region = ""  # `${ env:AWS_REGION }`: known when Spice starts; the SDK's chain here
            stores.setdefault(name, Store(name, kind, selector, region))
        # crates/runtime/src/secrets.rs load_from: when no store is loaded (no `secrets:`, or
        # `secrets: []`), the env store is the default.
        if not stores:
            stores["env"] = Store("env", "env", "", "")
        return stores

    def _use(self, scalar: Scalar, match: re.Match[str], stores: dict[str, Store]) -> Iterator[Hit]:
        start, end = match.span()
        text = match.group()
        if match.group("old"):
            # The pre-2024 `${{ secrets.X }}` read store `secrets`, key X: today's form is `${secrets:X}`.
            body = match.group("body").strip()
            fixed = "${" + (body.replace(".", ":", 1) if ":" not in body else body) + "}"
            message = f"'{redact.name(text)}' is the pre-2024 form; write {redact.name(fixed)}"
            # Certain only when the old form is closed as it opened (`${{ … }}`).
            fix = Fix(start, end, fixed) if match.group("close") else None
            yield Hit("YSL203", scalar, start, end, message, fix=fix)
            return
        parts = _STORE_KEY.match(match.group("body"))
        if parts is None:
            yield Hit("YSL203", scalar, start, end, f"'{redact.name(text)}' names no store; write ${{store:KEY}}")
            return
        store, key = parts.group("store"), parts.group("key")
        if not store or not key:
            yield Hit(
                "YSL203", scalar, start, end, f"'{redact.name(text)}' has an empty {'store' if not store else 'key'}"
            )
            return
        if not _IDENTIFIER.fullmatch(store):
            yield Hit(
                "YSL203",
                scalar,
                start,
                end,
                f"store '{redact.name(store)}' is not an identifier ([a-zA-Z][a-zA-Z0-9_-]*)",
            )
            return
        if not _IDENTIFIER.fullmatch(key):
            message = (
                f"key '{redact.name(key)}' is not an identifier ([a-zA-Z][a-zA-Z0-9_-]*): it never resolves, "
                "and Spice stops replacing references in the rest of this string"
            )
            yield Hit("YSL203", scalar, start, end, message)
            return
        # A store's own params are resolved with the env store Spice starts with, declared or not.
        bootstrap = store == "env" and _ENTRY.match(scalar.key) is not None
        if store != RESERVED and store not in stores and not bootstrap:
            declared = ", ".join(redact.name(s) for s in sorted(stores)) or "none"
            yield Hit(
                "YSL204", scalar, start, end, f"store '{redact.name(store)}' is not declared (declared: {declared})"
            )
            return
        target = stores.get(store)
        if target is None:  # `secrets` searches them all
            ref = Reference("spice", "any-store", key, store=store)
        else:
            ref = Reference(
                "spice",
                _PROVIDERS[target.kind],
                target.selector if target.kind == "aws_secrets_manager" else key,
                json_key=key if target.kind == "aws_secrets_manager" else "",
                region=target.region,
                store=store,
            )
        self.found.append(RefHit(ref, scalar, start, end))


def make(rules: list[Rule]) -> list[Check]:
    return [SpiceCheck()] if any(r.id in ("YSL203", "YSL204", "YSL205") for r in rules) else []

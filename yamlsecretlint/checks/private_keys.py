"""YSL103: a private key block: PEM, OpenSSH or PGP, however it was pasted.

Found in block scalars, quoted strings with ``\\n`` escapes (a service-account
JSON pasted into a value), base64 of a PEM file (``LS0tLS1CRUdJTi…``), and a
key's DER in base64 without armour, known by the bytes it opens with.
A header alone, or one with a placeholder body (``...``), is not a key. In
comments and in the raw lines of a broken file the body is on the following
lines, so those are gathered until the END line before the same judgement.
Public keys and certificates are never reported.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Sequence

from yamlsecretlint import lazyre
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.references import hint_for

RULE = "YSL103"
_HEADER = lazyre.compile(r"-----BEGIN (?P<kind>(?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----")
_END = lazyre.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_BODY_JUNK = lazyre.compile(r"\\[nr]|[\s\"',]|^[A-Za-z-]+: .*$", re.M)
_BASE64_PEM = lazyre.compile(r"LS0tLS1CRUdJTi[A-Za-z0-9+/=]{40,}")
#: A key's DER, base64 without PEM armour, by the fixed bytes it opens with: PKCS#8 RSA
#: (`MIIEvQIBADANBgkqhkiG9w0BAQEFAASC…`), PKCS#1 RSA (`MIIEowIBAAKCAQEA…`), PKCS#8 P-256 and
#: Ed25519, SEC1 P-256/P-384. A public key's DER opens otherwise (`MIIBIjANBgkq…AAOCAQ8A`).
_DER_OPENINGS = (
    "BgkqhkiG9w0BAQEFAAS",
    "IBAAKC",
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg",
    "MC4CAQAwBQYDK2VwBCIEI",
    "MHcCAQEEI",
    "MIGkAgEBBDA",
)
_DER_OPENING = lazyre.compile("|".join(_DER_OPENINGS))
_MIN_DER = 64
_BASE64_RUN = lazyre.compile(r"[A-Za-z0-9+/=]+")
_DER = lazyre.compile(
    r"(?<![A-Za-z0-9+/])(?:MII[A-Za-z0-9+/]{3}IBADANBgkqhkiG9w0BAQEFAAS|MII[A-Za-z0-9+/]{3}IBAAKC"
    r"|MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg|MC4CAQAwBQYDK2VwBCIEI|MHcCAQEEI|MIGkAgEBBDA)"
    r"[A-Za-z0-9+/]{40,}={0,2}"
)
#: A real key body is hundreds of base64 characters; a placeholder is a few.
_MIN_BODY = 64


def _has_body(text: str, start: int, stop: int | None = None) -> tuple[bool, int]:
    """A key body between ``start`` and its END line (or ``stop``: the next header).

    Bounded by the next header, every header's body is scanned once: headers
    repeated without END cost linear time, not a rescan of the rest of the text each.
    """
    stop = len(text) if stop is None else stop
    end = _END.search(text, start, stop)
    body = text[start : end.start() if end else stop]
    body = _BODY_JUNK.sub("", body)
    real = _BASE64_RUN.match(body)
    length = len(real.group()) if real else 0
    distinct = len(set(real.group())) if real else 0
    return length >= _MIN_BODY and distinct > 10, end.end() if end else len(text)


class PrivateKeyCheck(Check):
    hints = ("PRIVATE KEY", "LS0tLS1CRUdJTi", *_DER_OPENINGS)

    def __init__(self, rule: Rule) -> None:
        self.message = rule.message

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._open: tuple[Scalar, re.Match[str], list[str]] | None = None

    def _close(self) -> Iterator[Hit]:
        if self._open is not None:
            scalar, header, lines = self._open
            self._open = None
            if _has_body("\n".join(lines), 0)[0]:
                yield self._hit(scalar, header.start(), header.end(), header.group("kind").strip() or "PEM")

    def finish(self) -> Iterator[Hit]:
        yield from self._close()

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        # A plain function in front of the generator: most scalars stop at this gate.
        value = scalar.value
        if (
            self._open is None
            and "PRIVATE KEY" not in value
            and "LS0tLS1CRUdJTi" not in value
            # A key's DER is 64 characters and more and opens MI…, MC4C… or MHcC…: most values are not searched.
            and (
                len(value) < _MIN_DER
                or ("MI" not in value and "MC4C" not in value and "MHcC" not in value)
                or _DER_OPENING.search(value) is None
            )
        ):
            return ()
        return list(self._scan(scalar))

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        value = scalar.value
        by_line = scalar.role in ("comment", "line")
        if self._open is not None:
            if by_line and "PRIVATE KEY" not in value:
                self._open[2].append(value)
                return
            yield from self._close()
        if "PRIVATE KEY" in value:
            headers = list(_HEADER.finditer(value))
            for index, match in enumerate(headers):
                stop = headers[index + 1].start() if index + 1 < len(headers) else len(value)
                body, end = _has_body(value, match.end(), stop)
                if body:
                    yield self._hit(scalar, match.start(), end, match.group("kind").strip() or "PEM")
                elif by_line and _END.search(value, match.end(), stop) is None:
                    self._open = (scalar, match, [value[match.end() :]])
        if "LS0tLS1CRUdJTi" in value:
            for match in _BASE64_PEM.finditer(value):
                encoded = match.group()
                try:
                    decoded = base64.b64decode(encoded[: len(encoded) // 4 * 4]).decode("utf-8", "replace")
                except (binascii.Error, ValueError):
                    continue
                header = _HEADER.search(decoded)
                if header and _has_body(decoded, header.end())[0]:
                    yield self._hit(scalar, match.start(), match.end(), "base64-encoded PEM")
        # Inside armour the body's first line opens the same way: the PEM is what is reported.
        if "-----BEGIN" not in value and len(value) >= _MIN_DER and _DER_OPENING.search(value) is not None:
            for match in _DER.finditer(value):
                encoded = match.group()
                try:
                    base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
                except (binascii.Error, ValueError):
                    continue
                yield self._hit(scalar, match.start(), match.end(), "base64 DER (no PEM armour)")

    def _hit(self, scalar: Scalar, start: int, end: int, kind: str) -> Hit:
        message = self.message.format(kind=kind)
        return Hit(RULE, scalar, start, end, f"{message}; {hint_for(self.context.dialect, scalar)}")


def make(rules: list[Rule]) -> list[Check]:
    return [PrivateKeyCheck(r) for r in rules if r.id == RULE]

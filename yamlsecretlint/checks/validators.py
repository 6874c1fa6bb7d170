"""Named second looks at a pattern's match, for what a regex cannot say.

A rule file names one with ``validate:``; each returns True when the match is
a real credential.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from yamlsecretlint.checks.values import benign, public_jwt
from yamlsecretlint.policy import Policy


def _jwt(token: str, policy: Policy) -> bool:
    return not public_jwt(token)


def _basic_auth(header: str, policy: Policy) -> bool:
    encoded = header.split()[-1]
    try:
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    user, sep, password = decoded.partition(":")
    return bool(sep) and benign(password, "", policy) is None and not (user == password and user in ("guest", "admin"))


def _bearer(header: str, policy: Policy) -> bool:
    return benign(header.split()[-1], "", policy) is None


VALIDATORS: dict[str, Callable[[str, Policy], bool]] = {
    "jwt": _jwt,
    "basic-auth": _basic_auth,
    "bearer": _bearer,
}

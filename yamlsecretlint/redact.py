"""The only forms in which text from a linted file may leave the process.

Every piece of input text that reaches a message, a key path or a report goes
through one of these:

- ``preview(text)``: a few leading characters and the length — for a matched
  value, which is a secret by definition;
- ``name(text)``: text a message names (a secret name, a store, an argument, a
  key): whole when it reads as a name, else its preview;
- ``problem(text)``: a third party's message (the YAML parser's), whose quoted
  parts are previewed;
- ``Scrubber``: the engine's net under all of them — within a file, no text that
  a plaintext rule matched (a value or a mapping key) survives in any message or
  key path; it is replaced by its preview.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from yamlsecretlint import lazyre

#: Longest input text a message shows at all (Secrets Manager's longest name); past it, a preview.
NAME_LIMIT = 512
#: A run of name characters this long that mixes letters and digits reads as a token, not a name.
_TOKEN_RUN = 16
_RUN = lazyre.compile(rf"[A-Za-z0-9+=]{{{_TOKEN_RUN},}}")
_QUOTED = lazyre.compile(r"'([^']*)'|\"([^\"]*)\"")
_CONTROL = lazyre.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def preview(text: str) -> str:
    """A few leading characters and the length: enough to find it, not to use it.

    Short values show fewer characters so that a preview never reveals more
    than a quarter of the secret.
    """
    shown = min(4, len(text) // 4)
    return f"{escape(text[:shown])}… ({len(text)} chars)" if shown else f"({len(text)} chars)"


def is_token(run: str) -> bool:
    """True for a run of letters and digits that reads as generated key material, not as a word."""
    # Names are words (`KinesisFirehoseHttpEndpointAccessKey`, `MyDatabaseSecret2024`): a camel word
    # flips case twice and a number is one island. Key material is soup: digits scattered among
    # letters, or the case flipping at every other letter.
    islands = sum(1 for a, b in pairwise(run) if a.isdigit() != b.isdigit())
    if islands >= 4:
        return True
    upper = sum(c.isupper() for c in run)
    lower = sum(c.islower() for c in run)
    if islands and not lower:  # an upper-case id with digits (AKIA…): names have underscores
        return True
    flips = sum(1 for a, b in pairwise(run) if a.isalpha() and b.isalpha() and a.isupper() != b.isupper())
    return upper >= 4 and lower >= 4 and flips * 5 >= len(run) * 2


def name(text: str) -> str:
    """Input text that a message names (a secret name, an ARN, a store, a key).

    Shown as written, but every run that reads as a token is a preview:
    ``arn:aws:secretsmanager:…:secret:JBd0… (20 chars)``.
    """
    if len(text) > NAME_LIMIT:
        return preview(text)
    if len(text) >= _TOKEN_RUN:
        # A preview holds no control character, so escaping the whole afterwards leaves it as it is.
        text = _RUN.sub(lambda m: preview(m.group()) if is_token(m.group()) else m.group(), text)
    return escape(text)


def line(text: str, scrub: Scrubber) -> str:
    """A line of an input file shown whole (a --diff line): the file's known secrets and every run
    that reads as a token become previews, control characters are escaped."""
    text = scrub(text)
    if len(text) >= _TOKEN_RUN:
        text = _RUN.sub(lambda m: preview(m.group()) if is_token(m.group()) else m.group(), text)
    return escape(text)


def problem(text: str) -> str:
    """A third party's message (the YAML parser's) that may quote the file.

    A quoted character is shown (``found character '\\t'``); anything longer is
    raw input — an alias name after ``*`` can be the password itself — and shown
    as a preview.
    """

    def quoted(match: re.Match[str]) -> str:
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        return f"'{escape(inner)}'" if len(inner) <= 3 else f"'{preview(inner)}'"

    return escape(_QUOTED.sub(quoted, text))


def escape(text: str) -> str:
    """Control characters as ``\\xNN``: input text never moves a terminal's cursor or starts a line."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


class Scrubber:
    """Replaces, in any text, each of a file's secret texts by its preview.

    Secrets are the texts plaintext rules matched in the file. Checking a
    text costs one ``in`` per secret, so the engine builds one scrubber per
    scalar and per key path (what a finding's message and key can quote),
    not one per file.
    """

    __slots__ = ("_secrets",)

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first: a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, preview(secret))
        return text

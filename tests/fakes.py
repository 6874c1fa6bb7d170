"""Fake credentials, made at run time so the repository holds none as a literal.

Rule examples and tests write ``<fake:KIND>``; :func:`expand` puts a fresh
fake of that kind in its place. Each fake has the documented shape of the real
thing and random content, so it is found by shape, never by being known.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
from collections.abc import Callable

from yamlsecretlint.checks.values import JWT_IO_SIGNATURE

_UPPER = string.ascii_uppercase
_LOWER = string.ascii_lowercase
_ALNUM = string.ascii_letters + string.digits
_BASE32 = _UPPER + "234567"
_HEX = "0123456789abcdef"
_URLSAFE = _ALNUM + "-_"


#: Words a passphrase is drawn from (diceware-style: four of them make one).
_PHRASE_WORDS = "amber canyon velvet orbit maple quartz harbor tundra falcon pepper lantern meadow cobalt".split()


def _der(rng: random.Random, opening: str, size: int) -> str:
    """A key's DER opening bytes, then random ones, in base64."""
    return base64.b64encode(bytes.fromhex(opening) + bytes(rng.randrange(256) for _ in range(size))).decode()


def _pick(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def aws_access_key_id(rng: random.Random | None = None) -> str:
    return "AKIA" + _pick(rng or random.Random(), _BASE32, 16)


def aws_secret_access_key(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    # Always the secret key's full shape: upper, lower, digits, '/' and '+'.
    core = _pick(rng, _UPPER, 2) + _pick(rng, _LOWER, 2) + _pick(rng, string.digits, 2) + "/+"
    rest = _pick(rng, _ALNUM + "/+", 32)
    return "".join(rng.sample(core + rest, 40))


def aws_secret_access_key_plain(rng: random.Random) -> str:
    core = _pick(rng, _UPPER, 3) + _pick(rng, _LOWER, 3) + _pick(rng, string.digits, 3)
    return "".join(rng.sample(core + _pick(rng, _ALNUM, 31), 40))


def password(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    return _pick(rng, _LOWER, 4) + _pick(rng, string.digits, 3) + _pick(rng, _UPPER, 3) + _pick(rng, "!%^*+", 1) + "q7"


def token(rng: random.Random | None = None) -> str:
    """Generated key material with no vendor shape: letters and at least four digits."""
    rng = rng or random.Random()
    return "".join(rng.sample(_pick(rng, string.digits, 4) + _pick(rng, _UPPER, 4) + _pick(rng, _ALNUM, 16), 24))


def weak_password(rng: random.Random) -> str:
    word = rng.choice(["Autumn", "Winter", "Spring", "Monday", "Soccer", "Dragon"])
    return f"{word}{rng.randint(1000, 9999)}{rng.choice('!#?')}"


def _pem_body(rng: random.Random) -> list[str]:
    return ["MII" + _pick(rng, _ALNUM + "+/", 61)] + [_pick(rng, _ALNUM + "+/", 64) for _ in range(5)]


def _jwt(claims: dict[str, object], rng: random.Random) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{_pick(rng, _URLSAFE, 43)}"


def _pem_private(rng: random.Random) -> str:
    return "-----BEGIN PRIVATE KEY-----\n" + "\n".join(_pem_body(rng)) + "\n-----END PRIVATE KEY-----\n"


FAKES: dict[str, Callable[[random.Random], str]] = {
    "aws-access-key-id": aws_access_key_id,
    "aws-secret-access-key": aws_secret_access_key,
    "aws-secret-access-key-plain": aws_secret_access_key_plain,
    "password": password,
    "weak-password": weak_password,
    "token": token,
    "hex-password": lambda r: _pick(r, _HEX, 22),
    "alnum-key": lambda r: _pick(r, _ALNUM, 32),
    "passphrase": lambda r: " ".join(r.choice(_PHRASE_WORDS) for _ in range(4)),
    "base64-password": lambda r: base64.b64encode(password(r).encode()).decode(),
    "pem-body": lambda r: "\n    ".join(_pem_body(r)),
    "pem-body-escaped": lambda r: "\\n".join(_pem_body(r)),
    "pem-base64": lambda r: base64.b64encode(_pem_private(r).encode()).decode(),
    # A PKCS#8 RSA key's DER opening, then random bytes: base64 without the PEM armour.
    "der-private-key": lambda r: _der(r, "308204bd020100300d06092a864886f70d0101010500048204a7", 900),
    "der-public-key": lambda r: _der(r, "30820122300d06092a864886f70d01010105000382010f00", 270),
    "docker-auth": lambda r: base64.b64encode(f"deploy:{password(r)}".encode()).decode(),
    "travis-ciphertext": lambda r: base64.b64encode(bytes(r.randrange(256) for _ in range(256))).decode(),
}


#: The runs and structural shapes a token file's ``fakes:`` spec may use (token.schema.json says the same).
_ALPHABETS = {
    "alnum": _ALNUM,
    "upper": _UPPER,
    "lower": _LOWER,
    "letters": string.ascii_letters,
    "digits": string.digits,
    "hex": _HEX,
    "urlsafe": _URLSAFE,
    "base32": _BASE32,
    "upperdigits": _UPPER + string.digits,
}
_BUILDERS: dict[str, Callable[[random.Random], str]] = {
    "jwt": lambda r: _jwt({"sub": _pick(r, _ALNUM, 12), "iat": r.randint(1_600_000_000, 1_800_000_000)}, r),
    "jwt-anon": lambda r: _jwt({"iss": "supabase", "ref": _pick(r, _LOWER, 20), "role": "anon"}, r),
    # jwt.io's documented sample, rebuilt from its parts rather than written out.
    "jwt-io-sample": lambda r: (
        ".".join(
            base64.urlsafe_b64encode(json.dumps(part, separators=(",", ":")).encode()).decode().rstrip("=")
            for part in ({"alg": "HS256", "typ": "JWT"}, {"sub": "1234567890", "name": "John Doe", "iat": 1516239022})
        )
        + "."
        + JWT_IO_SIGNATURE
    ),
    "basic": lambda r: base64.b64encode(f"deploy:{password(r)}".encode()).decode(),
}
_RUN = re.compile(r"\{(?P<name>[a-z-]+)(?::(?P<count>[0-9]+))?\}")


def from_spec(spec: str) -> Callable[[random.Random], str]:
    """A generator for a token file's ``fakes:`` spec: literal text, {alphabet:count} runs, {builder}s."""

    def make(rng: random.Random) -> str:
        def run(match: re.Match[str]) -> str:
            name, count = match.group("name"), match.group("count")
            return _pick(rng, _ALPHABETS[name], int(count)) if count else _BUILDERS[name](rng)

        return _RUN.sub(run, spec)

    return make


def token_specs() -> dict[str, tuple[str, str]]:
    """fake name -> (token file id, spec), from every rules/tokens/*.yaml."""
    import yaml

    from yamlsecretlint.catalog import rules_dir

    specs: dict[str, tuple[str, str]] = {}
    for path in sorted((rules_dir() / "tokens").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, spec in data.get("fakes", {}).items():
            if name in specs:
                raise KeyError(f"fake {name!r} of {path.name} is defined twice")
            specs[name] = (data["id"], spec)
    return specs


_TOKEN_SPECS = token_specs()
if set(_TOKEN_SPECS) & set(FAKES):
    raise KeyError(f"token fakes named like built-in ones: {sorted(set(_TOKEN_SPECS) & set(FAKES))}")
FAKES.update({name: from_spec(spec) for name, (_, spec) in _TOKEN_SPECS.items()})

_PLACEHOLDER = re.compile(r"<fake:([a-z0-9-]+)>")


def expand(text: str, seed: int = 0) -> str:
    return expand_with_values(text, seed)[0]


def expand_with_values(text: str, seed: int = 0) -> tuple[str, list[str]]:
    """The text with fakes in place, and the fakes made (to check they never leak)."""
    rng = random.Random(seed)
    made: list[str] = []

    def fake(match: re.Match[str]) -> str:
        kind = match.group(1)
        if kind not in FAKES:
            raise KeyError(f"no fake for <fake:{kind}>; add one to tests/fakes.py")
        made.append(FAKES[kind](rng))
        return made[-1]

    return _PLACEHOLDER.sub(fake, text), made

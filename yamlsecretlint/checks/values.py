"""Is a value a credential written in clear, or something else?

:func:`benign` names why a value is *not* a plaintext credential (a reference,
a placeholder, a documented sample, ciphertext, a public value, a path…) or
returns None (the references written inside a value, and the defaults they
carry, are references/inline.py's). The policy is written out in the README ("What counts as a
plaintext credential").
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from functools import lru_cache

from yamlsecretlint import lazyre
from yamlsecretlint.check import wordset
from yamlsecretlint.checks.keys import STRONG, words
from yamlsecretlint.policy import DEFAULT, Policy
from yamlsecretlint.redact import is_token

# --- everything that is not a plaintext credential --------------------------

_SCHEMES = lazyre.compile(
    r"""(?ix)^(?:arn:|op://|vault:|vault://|ref\+|sm://|awssm|aws-sm:|ssm:|secretsmanager:|gcpsm://|gcp-sm:
    |azkv://|akv://|keyvault:|doppler://|infisical://|bws://|kms:|secret://|secrets://|env:|file:|sops:
    |k8s://|kubernetes:|onepassword:|conjur:|cyberark:|projects/[^/\s]+/secrets/|@microsoft\.keyvault\(
    |secrets::
    |os\.environ/       # LiteLLM's `api_key: os.environ/OPENAI_API_KEY`
    |<path:            # argocd-vault-plugin's `<path:secret/data/app#password>`
    |\#/               # a JSON pointer (`$ref`-style `#/components/schemas/…`)
    |![A-Za-z_][\w.-]*(?:\s|$)  # a YAML tag read as text (`!env_var X`, `!secret x`) in an embedded file
    )"""
)
#: A version or a decimal number (`2.5.0`, `0.0000015`, `v1.2.3-rc.1`): lockfiles and settings, never a secret.
_VERSION = lazyre.compile(r"^v?[0-9]+(?:\.[0-9]+)+(?:[-+][0-9A-Za-z.-]+)?$")
#: A regular expression (Vale's `token:`, linters' patterns): escapes no generated secret holds.
_PATTERN = lazyre.compile(r"\\[bdswBDSW]|^\(\?[imsx]")
#: Only a vendor's prefix, with nothing after it (`sk_test_`, `whsec_`): the value is still to be filled in.
_PREFIX_ONLY = lazyre.compile(r"^[A-Za-z]{2,8}(?:_(?:test|live))?_$")
#: A vendor's prefix and a word (`sk-local`, `sk-abc`, `xoxb-YOUR_BOT_TOKEN`): real tokens go on with
#: twenty and more generated characters.
_PREFIX_WORD = lazyre.compile(
    r"^(?:sk|pk|rk|sk-proj|sk-ant|xox[abpre]|gh[pousr]|github_pat|glpat|hf|npm|pypi|whsec)[-_]"
    r"(?:[A-Za-z]{1,12}|[A-Za-z_]*(?:YOUR|your|Your)[A-Za-z_]*)$"
)
_ENCRYPTED = lazyre.compile(
    r"""(?x)^(?:ENC\[[A-Z0-9_]+,|ENC\([A-Za-z0-9+/=]+\)$|encrypted:|\$ANSIBLE_VAULT;|EJ\[1:|vault:v[0-9]+:|AQICAH|
    -----BEGIN\ PGP\ MESSAGE-----|AgA[A-Za-z0-9+/]{100}|AgB[A-Za-z0-9+/]{100})"""
)
_PUBLIC = lazyre.compile(
    r"""(?x)^(?:pk_(?:live|test)_|phc_|pk\.eyJ|ssh-(?:rsa|ed25519|dss)\ AAAA|ecdsa-sha2-nistp|sk-ecdsa-sha2
    |-----BEGIN\ (?:CERTIFICATE|PUBLIC\ KEY|RSA\ PUBLIC\ KEY|PGP\ PUBLIC\ KEY\ BLOCK|X509\ CRL)-----)
    |\.apps\.googleusercontent\.com$"""
)
_PATH = lazyre.compile(
    r"""(?x)^(?:/|\./|\.\./|~/|[A-Za-z]:\\|file://)\S*$
    |^[\w.-]+(?:/[\w.-]+)*\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|truststore|txt|json|ya?ml|env|ppk|gpg|asc)$
    # a secret manager's path, with the field read from it: `prod/db:password`, `kv/app#token`
    |^[a-z][a-z0-9_-]*(?:/[a-z0-9][a-z0-9._-]*)+(?:[:#][A-Za-z][\w.-]*)?$"""
)
_URL = lazyre.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DIGEST = lazyre.compile(r"^(?:sha1|sha224|sha256|sha384|sha512|md5)[:-][0-9a-fA-F]{16,}$|@sha256:[0-9a-f]{64}$")
_LITERALS = wordset(
    """
    true false yes no on off y n null none nil ~ undefined read write
    """
)
_DUMMY_WORDS = wordset(
    """
    changeme changeit replaceme password passwd pass pwd secret secrets token tokens apikey key keys
    credential credentials example examples sample samples dummy fake test testing tests demo placeholder
    redacted hidden masked censored none null nil na tbd todo fixme xxx foo bar baz foobar qux string value
    values default empty unknown blank notasecret notsecret insecure unused ignored ignore any anything
    something blah setme fillme yourpassword yoursecret yourtoken yourapikey yourkey mypassword mysecret
    mytoken myapikey secretvalue passwordvalue tokenvalue secretkey secretpassword supersecret topsecret
    your mine notset unset empty none minioadmin guest bearer basic host hostname username user port
    database hunter2 replaced localstack userprovided providedbyuser replace
    ollama lmstudio notneeded nokey nokeyrequired sknokeyrequired anykey anyvalue
    """
)
#: Enumerated settings under a key that mentions a password (`update_password: on_create`,
#: `password_encryption: scram-sha-256`, `credentials: local`, `token-style: uuid`).
_OPTIONS = wordset(
    """
    always never oncreate onchange required optional auto automatic local plain plaintext md5 scramsha256
    sha256 sha512 bcrypt argon2 argon2id pbkdf2 uuid simpleuuid randomuuid internal builtin native prompt
    inherit system disabled enabled noop
    """
)
_DUMMY = lazyre.compile(
    r"""(?ix)^(?:(.)\1{2,}                          # xxx, ***, ..., 000
    |[x*•.\#_-]{3,}                                 # mixes of those
    |<[^<>]*>|\[[^\[\]]*\]|\{\s*[\w.-]*\s*\}        # <your-password>, [REDACTED], {password}
    |.*(?-i:xxx|XXXX|\*\*\*|\.\.\.).*              # ghp_xxx…, sk_live_****, abc...; `XXX` alone is random base32
    |.*changeme.*|.*change[_-]me.*
    |your[\W_].*|path/to/.*|.*(?:填写|你的|请输入|请填写|替换).*
    |.*(?:generate|random[_-]?string|you[_-]?must|configure[_-]?this).*
    |.*redacted.*|.*replace[_-]?(?:me|this|with).*|.*your[_-]?(?:own[_-]?)?(?:api[_-]?)?
       (?:key|token|secret|password|pass|pwd|pw|credential|id)s?(?:[_-]?here)?.*
    |(?:insert|enter|put|paste|add|set|fill)[_-]?(?:in[_-]?)?(?:your|the|a|in)?[_-]?[a-z_-]*
    |.*[_-]here|not[_-]?(?:a[_-]?)?(?:real[_-]?)?(?:secret|password|token|key)
    |your[a-z]*(?:key|token|secret|password|pass|pwd|id)s?   # YourServiceApiToken
    |change[_-]?(?:this|it)(?:[_-].*)?                       # change-this-value
    )$"""
)
#: Words that make a value a placeholder wherever they stand (`my-example-pass`, `sk_test_fake`)…
_DUMMY_WORD = lazyre.compile(r"(?i)example|sample|dummy|fake|placeholder")
#: …unless they stand inside generated key material by chance: the rest of the run is a long token.
_INSIDE = lazyre.compile(r"(?i)[a-z0-9](?:example|sample|dummy|fake|placeholder)[a-z0-9]")
_TOKEN_RUN = lazyre.compile(r"[A-Za-z0-9]{16,}")
_ENV_NAME = lazyre.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
# Compiled once: a module-level re.sub looks its pattern up in re's cache on every call.
_SEPARATORS = lazyre.compile(r"[\s_.-]+")
_WORD_BREAKS = lazyre.compile(r"[-_.]")
#: `ClientSecret`, `DbPassword`: a name in CamelCase, as a value.
_CAMEL_NAME = lazyre.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+$")
#: A run of three digits and a run of three letters: `123abc`, `abc123` (`123456` is a password).
_RUNS = lazyre.compile(
    r"^(?:(?:123|234|345|456|567|678|789)(?:abc|bcd|cde|def|xyz)|(?:abc|bcd|cde|def|xyz)(?:123|234|345|456|567|678|789))$"
)
_RESOURCE_NAME = lazyre.compile(r"^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+$")
_SECRET_WORDS = (*STRONG, "key", "pwd", "pass", "creds")
_RESOURCE_LAST = wordset(
    """
    secret secrets credential credentials creds tls cert certs certificate certificates token tokens key keys
    password passwords passwd auth apikey
    """
)
#: The signature of jwt.io's sample token, the most copied JWT in the world.
JWT_IO_SIGNATURE = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
_JWT = lazyre.compile(r"^eyJ[A-Za-z0-9_-]+\.(eyJ[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$")


#: Documented sample keys that tutorials copy: Azurite's (the Azure Storage emulator) account key.
_SAMPLES = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",)
_FILLER = lazyre.compile(
    r"^(?:my|your|our|some|the|a|strong|super|very|top|secure|default|new|random|complex|long|good|real|valid|"
    r"test|example|sample|dummy|fake|demo)+(?:password|passwd|pass|secret|token|key|apikey)+$"
)
_ASCENDING = "0123456789 abcdefghijklmnopqrstuvwxyz"
#: Keyboard rows: `asdf`, `qwerty`, `zxcvbn` are what a hand types when a value is asked for.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _sequence(text: str) -> bool:
    """``abcdefg``, ``1234567890…`` and ``SAK123456789``: typed, not generated."""
    lower = text.lower()
    if len(lower) >= 7 and lower in _ASCENDING:
        return True
    if 4 <= len(lower) <= 10 and any(lower in row for row in _ROWS):
        return True
    # A 9-long run of _ASCENDING starts with one of its characters followed by the next: most text has none.
    return any(lower[i : i + 9] in _ASCENDING for i in range(len(lower) - 8) if lower[i : i + 2] in _ASCENDING)


@lru_cache(maxsize=4096)
def _normal_name(name: str) -> str:
    """A key name, normalised: a file repeats its names, and each is asked of every value under it."""
    return _normal(name)


def _normal(value: str) -> str:
    return _SEPARATORS.sub("", value.lower())


def jwt_claims(token: str) -> dict[str, object] | None:
    match = _JWT.match(token)
    if match is None:
        return None
    payload = match.group(1)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, binascii.Error):
        return None
    return claims if isinstance(claims, dict) else None


def public_jwt(token: str) -> bool:
    """jwt.io's sample, or a Supabase anon key (public by design)."""
    if token.endswith(JWT_IO_SIGNATURE):
        return True
    claims = jwt_claims(token)
    return claims is not None and claims.get("role") == "anon"


def is_dummy(value: str, name: str = "", normal: str | None = None) -> bool:
    """``normal``: ``value`` already lower-cased without separators, when the caller has it."""
    if normal is None:
        normal = _normal(value)
    # One character repeated, separators aside: `00000000-0000-0000-0000-000000000000`.
    if (
        not normal
        or normal in _DUMMY_WORDS
        # numbered placeholders of fixtures: `secret1`, `secret2`, `test3`
        or (normal[-1].isdigit() and normal[:-1] in _DUMMY_WORDS and not normal[-2:-1].isdigit())
        or normal.count(normal[0]) == len(normal)
        or _DUMMY.match(value.strip())
        or _FILLER.match(normal)
    ):
        return True
    if _sequence(normal) or value.strip() in _SAMPLES:
        return True
    if _DUMMY_WORD.search(value) and not _by_chance(value):
        return True
    if len(normal) <= 8 and _RUNS.match(normal):
        return True
    # The value repeats its own key or its last words: POSTGRES_PASSWORD=postgres_password,
    # "GatewayPrivateKey": "privatekey". One word of the key is not enough: `POSTGRES_PASSWORD:
    # postgres` is the weak password it looks like.
    return bool(name) and len(normal) >= 6 and _normal_name(name).endswith(normal)


def _by_chance(value: str) -> bool:
    """A placeholder word inside generated key material (`k9Vfexample2Qx7…`): chance, not a placeholder.

    The word must sit inside a run of letters and digits, and what is left of the
    value without it must hold a 16-character run that reads as a token. AWS's
    samples (`…EXAMPLE`, `…CYEXAMPLEKEY`) end in the word or leave too little.
    """
    if not _INSIDE.search(value):
        return False
    rest = _DUMMY_WORD.sub("", value)
    return any(is_token(run) for run in _TOKEN_RUN.findall(rest))


def _names_a_secret(value: str) -> bool:
    """``DB_PASSWORD`` or ``postgres-credentials``: the name of a variable or a Secret.

    A lower-case resource name must end in the word a Secret's name ends in
    (``app-secrets``, ``shop-tls``, ``db-password``): ``baikal-rootpass`` and
    ``sa-secret-key123`` are passwords written as words.
    """
    if _ENV_NAME.match(value) or _CAMEL_NAME.match(value):
        return any(p.endswith(_SECRET_WORDS) for p in words(value))
    if not _RESOURCE_NAME.match(value):
        return False
    return words(value)[-1] in _RESOURCE_LAST


def _describes_a_secret(value: str) -> bool:
    """``api_key_for_elastic_search``, ``sentinel_specific_pass``: words that say what goes there.

    Three or more lower-case words, one of them a secret word, none holding a
    digit — or four and more whatever they hold (``this_is_a_secret_abc123``).
    """
    if not _RESOURCE_NAME.match(value):
        return False
    parts = words(value)
    if len(parts) < 3 or not any(p.endswith(_SECRET_WORDS) for p in parts):
        return False
    return len(_WORD_BREAKS.split(value)) >= 4 or not any(c.isdigit() for c in value)


#: What a value can be instead of a credential, tried in order. (Called through a lambda:
#: taking a lazy pattern's bound method here would compile every one at import.)
_KINDS: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("reference", lambda text: _SCHEMES.match(text)),
    ("encrypted", lambda text: _ENCRYPTED.match(text)),
    ("public", lambda text: _PUBLIC.search(text)),
    ("url", lambda text: _URL.match(text)),
    ("path", lambda text: _PATH.match(text)),
    ("digest", lambda text: _DIGEST.search(text)),
)
#: What of _KINDS a value of letters and digits alone can be.
_ALNUM_KINDS = _KINDS[:2]


#: Words of a sentence that says something about a value rather than being it.
_PROSE = wordset(
    """
    a an the to of for from in on at by with as is are be was not no none null any all same see use
    used using set unset via e.g eg i.e ie etc your my our this that here there required optional
    default defaults ask change env environment variable vault file from see later todo tbd fill
    password passwords passwd secret secrets key keys token tokens credential credentials value
    """
)
_PASS_WORDS = frozenset({"password", "passwd", "passphrase", "pass", "pwd", "pw", "secret"})
_PHRASE_WORD = lazyre.compile(r"^[A-Za-z0-9][A-Za-z0-9'!?.,&-]*$")


def passphrase(text: str, name: str) -> bool:
    """``correct horse battery staple`` under a password's key: words that are the password.

    Two to eight plain words, twelve characters or more, none of them a word of
    a sentence about the value (``see vault``, ``set in the env``).
    """
    if len(text) < 12 or not _PASS_WORDS.intersection(words(name)):
        return False
    parts = text.split()
    if not 2 <= len(parts) <= 8:
        return False
    return all(_PHRASE_WORD.match(p) and p.lower().strip("'!?.,&-") not in _PROSE for p in parts)


def _sentence(text: str) -> bool:
    """Words of which one belongs to a sentence about a value (`this`, `see`, `the`, `password`)."""
    return any(p.lower().strip("'!?.,&-:;()") in _PROSE for p in text.split()[:24])


def benign(value: str, name: str = "", policy: Policy = DEFAULT) -> str | None:
    """Why ``value`` is not a plaintext credential, or None if it may be one."""
    text = value.strip().strip("'\"")
    if len(text) < 4 or text.lower() in _LITERALS:
        return "empty"
    if policy.allowed_value(text):
        return "allowed"
    if text.isdigit() and len(text) < 6:
        return "number"
    if "." in text and _VERSION.match(text):
        return "number"
    # The longest option word is 11 letters: a longer value is not normalised here (is_dummy does it once).
    normal = _normal(text) if len(text) <= 64 else None
    if normal is not None and len(text) <= 16 and normal in _OPTIONS:
        return "option"
    if "\\" in text and _PATTERN.search(text):
        return "pattern"
    if len(text.split(None, 1)) > 1:  # a blank inside (the text is stripped); split() runs in C
        # A reference may hold blanks (`<path:a#b | jsonParse>`); prose may not be a credential
        # under a secret-named key, but is in a Secret's data, so the reference is said first.
        if _SCHEMES.match(text):
            return "reference"
        if _PUBLIC.search(text):
            return "public"
        if name and passphrase(text, name):
            return None
        # "THIS IS UNSAFE!", "see the vault": a sentence about the value, even as a Secret's content.
        return "sentence" if _sentence(text) else "prose"
    if "${" in text:
        return "reference"  # a malformed one (`${VAR` unclosed) is YSL207's, not a leaked value
    # Letters and digits alone (most passwords and tokens): no URL, path, digest, public prefix or
    # vendor prefix can be written so, and str.isalnum runs in C; those tests are skipped.
    alnum = text.isalnum()
    for reason, test in _ALNUM_KINDS if alnum else _KINDS:
        if test(text):
            return reason
    if text.startswith("eyJ") and public_jwt(text):
        return "public"
    if is_dummy(text, name, normal):
        return "placeholder"
    if not alnum and ((text.endswith("_") and _PREFIX_ONLY.match(text)) or _PREFIX_WORD.match(text)):
        return "placeholder"
    if _names_a_secret(text):
        return "name"
    if _describes_a_secret(text):
        return "placeholder"
    return None

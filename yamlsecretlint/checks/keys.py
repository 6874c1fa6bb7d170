"""Is a key's name the name of a secret?

A key is cut into words (``dbPassword`` → db, password; ``POSTGRES_PW`` →
postgres, pw; ``PGPASSWORD`` → pgpassword) and is secret-named when a word is
or ends with a secret word, or two words make one (api key, access key).
``pass`` run together with a name counts (``MYSQLPASS``, ``requirepass``), but
not in English words (``bypass``, ``compass``).
It is not secret-named when it names *where* or *what kind* a secret is
(``password_file``, ``token_url``, ``secret_name``, ``secretKeyRef``,
``*_arn``, ``existingSecret``): the value is then a pointer, not the secret.
"""

from __future__ import annotations

from functools import lru_cache

from yamlsecretlint import lazyre
from yamlsecretlint.check import wordset
from yamlsecretlint.policy import DEFAULT, Policy

_WORD = lazyre.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

#: Words that name a secret by themselves, also at the end of a run-together
#: word (``pgpassword``; ``dbpass`` counts through ``_NOT_PASS`` below).
STRONG = ("password", "passwd", "passphrase", "secret", "token", "credential", "credentials", "apikey")
#: Words that name a secret only as a whole word.
WEAK = frozenset({"pwd", "pw", "pass", "pat", "psk", "pswd", "psswd", "pword", "pwrd"})
#: ``pass`` run together with a name is a password (``MYSQLPASS``, Redis's ``requirepass``) but for
#: the English words that end in it.
_NOT_PASS = frozenset({"bypass", "compass", "encompass", "overpass", "underpass", "trespass", "surpass", "pass"})
#: Two words that together name a secret.
PAIRS = frozenset(
    {
        ("api", "key"),
        ("access", "key"),
        ("private", "key"),
        ("secret", "key"),
        ("auth", "key"),
        ("signing", "key"),
        ("encryption", "key"),
        ("master", "key"),
        ("app", "key"),
        ("client", "key"),
        ("account", "key"),
        ("shared", "key"),
        ("license", "key"),
        ("webhook", "key"),
        ("session", "key"),
        ("jwt", "key"),
        ("hmac", "key"),
        ("app", "secret"),
        ("auth", "header"),
    }
)
#: A word earlier in a name ending in ``key`` that makes it key material: ``fernet_key``,
#: ``aesRequestKey``, ``google_maps_key``, ``node_key``, ``totp_key`` (``sort_key``, ``primary_key``
#: and ``foreign_key`` name no secret).
KEY_KINDS = frozenset(
    {"fernet", "aes", "des", "hmac", "cipher", "crypt", "crypto", "totp", "otp", "mfa", "maps", "map", "geocoding",
     "recaptcha", "captcha", "node", "wallet", "seed", "rsa", "ed25519", "ecdsa", "gpg", "pgp", "ssh"}
)  # fmt: skip
#: A word after the secret word that says what the value is *about*, not that it
#: is the secret (``password_file``, ``token_url``, ``token_validity_in_seconds``).
POINTER_LAST = wordset(
    """
    file files path paths dir directory folder url uri urls endpoint host hostname port name names id ids
    sid arn arns ref refs reference references length len min max minimum maximum count size ttl expiry
    expires expiration lifetime timeout age enabled enable disabled required require type types mode policy
    policies format prefix suffix env var variable vars header headers field fields param params parameter
    parameters source sources store provider providers method methods algorithm algo alg rotation version
    versions location template templates regex pattern strength reset hint hash hashed salt command cmd
    script label description desc help title text prompt message manager backend engine service class
    handler plugin module mount volume encoding rules requirements complexity generator schema input output
    kms cache lookup query selector namespace annotation annotations config settings options opts spec meta
    metadata set list permissions permission scope scopes audience issuer claim claims subject user username
    login email when map mapping bucket region account project vault keyvault storage tag tags limit limits
    retry retries interval period duration delay seconds minutes hours days ms at time date until index
    number num flag check validation validate verify verification strategy status state level log logging
    debug secrets tokens passwords keys key_id kid keyid lock locked expired visible location_id generation
    arg args property properties attribute attributes ssm parameter_name secretsmanager usage used
    store_name resource resources enc encrypted response with start validity input box head endpoint
    lifespan style op action maps stdin encryption
    """
)
#: A first word that makes the key a switch or a pointer (``existingSecret``, ``usePasswordFiles``).
POINTER_FIRST = wordset(
    """
    existing use enable enabled disable disabled create generate generated auto require required allow
    allowed skip show hide mount external is has should no rotate reset forgot validate num min max random
    update public
    """
)
#: ``passwordKey: password`` names the entry of another Secret that holds the password.
_NAMES_AN_ENTRY = frozenset({"password", "passwd", "pwd", "token", "credentials", "credential", "apikey"})


_EXTENSIONS = frozenset(
    "yaml yml json txt key pem crt cer p12 pfx jks conf cfg ini toml xml env properties sh py js".split()
)
_PUBLIC_FRAMEWORKS = frozenset({"next", "nuxt", "expo", "vite", "gatsby"})
#: ``<owner>SecretKey`` in Helm values names the entry of the Secret that holds the owner's credential.
_ENTRY_OWNERS = frozenset({"ssh", "user", "existing", "tls", "git", "connection"})


#: Letters of other scripts drawn like Latin ones (`pаssword` with a Cyrillic а reads as password).
_CONFUSABLES = str.maketrans(
    "аеорсуххіјѕԁӏАВЕКМНОРСТХУЅІЈαεορτυνκχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxxijsdlABEKMHOPCTXYSIJaeoptuvkxABEZHIKMNOPTYX",
)


def words(name: str) -> list[str]:
    if not name.isascii():
        name = name.translate(_CONFUSABLES)
    return [w.lower() for w in _WORD.findall(name)]


def is_secret_name(name: str, policy: Policy = DEFAULT) -> bool:
    """A name that holds a secret: the built-in vocabulary, or the configuration's ``secret-keys``."""
    return _is_secret_name(name) or policy.extra_secret_key(name)


@lru_cache(maxsize=4096)
def _is_secret_name(name: str) -> bool:
    # A dotted key (Helm's `--set a.b.existingSecret`, Spring's `spring.datasource.password`)
    # is named by its last segment; a file name (`db-password.txt`) by all of it.
    head, dot, last = name.rpartition(".")
    parts = words(last if dot and head and last.lower() not in _EXTENSIONS else name)
    if not parts or parts[0] in POINTER_FIRST:
        return False
    # NEXT_PUBLIC_*, NUXT_PUBLIC_*, EXPO_PUBLIC_*: bundled into the browser, public by design.
    if len(parts) > 1 and parts[1] == "public" and parts[0] in _PUBLIC_FRAMEWORKS:
        return False
    if len(parts) >= 2 and parts[-1] == "key" and parts[-2] in _NAMES_AN_ENTRY:
        return False
    # Helm's camelCase `sshSecretKey: id_rsa`, `userSecretKey: postgresql-password` name an entry of
    # an existing Secret; a bare `secretKey` (MinIO, S3 clients) or `secret_key` holds the secret.
    if len(parts) == 3 and parts[1:] == ["secret", "key"] and parts[0] in _ENTRY_OWNERS and name.isalnum():
        return False
    last_secret = -1
    if parts[-1] == "key" and KEY_KINDS.intersection(parts[:-1]):
        last_secret = len(parts) - 1
    for index, part in enumerate(parts):
        if (
            part in WEAK
            or part.endswith(STRONG)
            or (index and (parts[index - 1], part) in PAIRS)
            or (part.endswith("pass") and part not in _NOT_PASS)
        ):
            last_secret = index
    if last_secret < 0:
        return False
    return not any(part in POINTER_LAST for part in parts[last_secret + 1 :])

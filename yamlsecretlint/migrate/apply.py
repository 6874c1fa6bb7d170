"""``migrate --apply``: create the plan's secrets, prove they can be read, then — only then — rewrite the files.

Per secret, ``CreateSecret`` with a client request token derived from the name
and a hash of the value (a retried call is the same request), the source file
and key as tags, and ``--kms-key-id``. A secret that already exists is compared
with the value in memory (``GetSecretValue``; the read value is dropped at once):
the same value is a re-run finishing its job; another value is refused unless
``--overwrite`` (``PutSecretValue``). Then the online verifier reads every new
reference as the files will write it. A file is rewritten only when every one
of its secrets was created and verified, in one atomic replace: each file is
either untouched or fully migrated, and a re-run creates nothing twice.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple

from yamlsecretlint import catalog
from yamlsecretlint.fixes import replace_file
from yamlsecretlint.migrate.plan import Move, Plan, scalars
from yamlsecretlint.model import FileRef, LocatedReference, Reference, Span
from yamlsecretlint.online.aws import Clients, Options, error_code, error_text
from yamlsecretlint.sources.text import decode, encoding_of

_TOKENS = uuid.UUID("6f0d3a52-2f27-4a8e-9a51-0c3b3a9d7c11")


class Applied(NamedTuple):
    created: list[str]
    existing: list[str]
    #: (secret name, why) of the secrets that could not be made; their files are left as they were.
    failed: list[tuple[str, str]]
    rewritten: list[str]
    untouched: list[str]


def token(name: str, value: str) -> str:
    """The same request for the same secret and value: CreateSecret's idempotency token (no value in it)."""
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return str(uuid.uuid5(_TOKENS, f"{name}\0{digest}"))


def apply(
    plan: Plan,
    values: dict[tuple[str, int], str],
    files: Mapping[str, FileRef],
    options: Options,
    *,
    kms_key_id: str = "",
    overwrite: bool = False,
    clients: Clients | None = None,
) -> Applied:
    clients = clients or Clients(options)
    clients.check_credentials()
    region = options.region or clients.default_region or ""
    sm = clients.client("secretsmanager", region)
    created: list[str] = []
    existing: list[str] = []
    failed: list[tuple[str, str]] = []
    for move in plan.moves:
        value = values.pop((move.path, move.start), None)
        if value is None:
            failed.append((move.secret_name, "its value moved since the plan was made"))
            continue
        outcome = _create(sm, move, value, kms_key_id, overwrite)
        del value
        if outcome == "created":
            created.append(move.secret_name)
        elif outcome == "existing":
            existing.append(move.secret_name)
        else:
            failed.append((move.secret_name, outcome))
    values.clear()
    bad = {name for name, _ in failed}
    bad |= _unverified([m for m in plan.moves if m.secret_name not in bad], options, region, clients)
    failed += [
        (name, "created, but the online check could not read it") for name in sorted(bad - {n for n, _ in failed})
    ]
    rewritten, untouched = _rewrite(plan, files, bad)
    return Applied(created, existing, failed, rewritten, untouched)


def _create(sm: Any, move: Move, value: str, kms_key_id: str, overwrite: bool) -> str:
    import botocore.exceptions

    request: dict[str, Any] = {
        "Name": move.secret_name,
        "SecretString": value,
        "ClientRequestToken": token(move.secret_name, value),
        "Description": f"moved by yamlsecretlint migrate from {move.path}",
        "Tags": [
            {"Key": "yamlsecretlint:source", "Value": move.path[:256]},
            {"Key": "yamlsecretlint:key", "Value": move.key[:256]},
        ],
    }
    if kms_key_id:
        request["KmsKeyId"] = kms_key_id
    try:
        sm.create_secret(**request).clear()
        return "created"
    except botocore.exceptions.ClientError as exc:
        if error_code(exc) != "ResourceExistsException":
            return f"secretsmanager:CreateSecret failed: {error_text(exc)}"
    except botocore.exceptions.BotoCoreError as exc:
        return f"secretsmanager:CreateSecret failed: {error_text(exc)}"
    finally:
        request.clear()
    try:
        response = sm.get_secret_value(SecretId=move.secret_name)
        same = hmac.compare_digest(str(response.pop("SecretString", "")).encode(), value.encode())
        response.clear()
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
        return f"it exists and cannot be compared: {error_text(exc)}"
    if same:
        return "existing"
    if not overwrite:
        return "it exists with another value (--overwrite replaces it)"
    try:
        sm.put_secret_value(
            SecretId=move.secret_name, SecretString=value, ClientRequestToken=token(move.secret_name, value)
        ).clear()
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
        return f"secretsmanager:PutSecretValue failed: {error_text(exc)}"
    return "created"


def _unverified(moves: list[Move], options: Options, region: str, clients: Clients) -> set[str]:
    """The names the online verifier could not read as the files will reference them."""
    from yamlsecretlint.online.run import run

    if not moves:
        return set()
    located = [
        LocatedReference(
            Reference(m.dialect, "aws-secretsmanager", m.secret_name), m.path, Span(m.line, 1, m.line, 1), m.key
        )
        for m in moves
    ]
    outcome = run(located, options._replace(region=region), catalog.load(), env={}, clients=clients)
    if outcome.problems:
        return {m.secret_name for m in moves}
    named = {(m.path, m.line): m.secret_name for m in moves}
    return {named[(f.path, f.span.line)] for f in outcome.findings if (f.path, f.span.line) in named}


def _rewrite(plan: Plan, files: Mapping[str, FileRef], bad: set[str]) -> tuple[list[str], list[str]]:
    rewritten, untouched = [], []
    for display in sorted({move.path for move in plan.moves}):
        moves = sorted((m for m in plan.moves if m.path == display), key=lambda m: m.start)
        if any(m.secret_name in bad for m in moves):
            untouched.append(display)
            continue
        path = files[display].path
        data = path.read_bytes()
        text = decode(data)
        regions = {s.start: s.end for s in scalars(text)}
        if any(regions.get(m.start) != m.end for m in moves):
            untouched.append(display)  # it changed since the plan was made: nothing is guessed
            continue
        for move in reversed(moves):
            text = text[: move.start] + move.replacement + text[move.end :]
        bom, codec = encoding_of(data)
        replace_file(path, bom + text.encode(codec))
        rewritten.append(display)
    return rewritten, untouched

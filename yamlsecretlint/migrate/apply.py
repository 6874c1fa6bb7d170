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
import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from yamlsecretlint import catalog
from yamlsecretlint.fixes import replace_file
from yamlsecretlint.migrate.ecs import arn_mark
from yamlsecretlint.migrate.kubernetes import secrets
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
    created: list[str] = []
    existing: list[str] = []
    failed: list[tuple[str, str]] = []
    bad = _to_env_files([m for m in plan.moves if m.env_file], values, failed)
    arns: dict[str, str] = {}
    in_aws = [m for m in plan.moves if not m.env_file]
    if in_aws:
        clients = clients or Clients(options)
        clients.check_credentials()
        region = options.region or clients.default_region or ""
        sm = clients.client("secretsmanager", region)
        groups: dict[str, list[Move]] = {}
        for move in in_aws:
            groups.setdefault(move.secret_name, []).append(move)
        for name, moves in groups.items():
            found = [values.pop((m.path, m.start), None) for m in moves]
            if any(value is None for value in found):
                failed.append((name, "a value moved since the plan was made"))
                continue
            # A Spice pod's values are one JSON secret (its store reads top-level string keys).
            secret = (
                json.dumps(dict(zip([m.json_key for m in moves], found, strict=True)))
                if moves[0].json_key
                else found[0]
            )
            found.clear()
            outcome = _create(sm, moves, str(secret), kms_key_id, overwrite)
            del secret
            if outcome == "created":
                created.append(name)
            elif outcome == "existing":
                existing.append(name)
            else:
                failed.append((name, outcome))
        failing = {name for name, _ in failed}
        arns = _arns(sm, [m for m in in_aws if m.dialect == "ecs" and m.secret_name not in failing], failed)
        failing = {name for name, _ in failed}
        unread = _unverified([m for m in in_aws if m.secret_name not in failing], options, region, clients, arns)
        failed += [(name, "created, but the online check could not read it") for name in sorted(unread - failing)]
        bad |= {name for name, _ in failed}
    values.clear()
    rewritten, untouched = _rewrite(plan, files, bad, arns)
    return Applied(created, existing, failed, rewritten, untouched)


def _create(sm: Any, moves: list[Move], value: str, kms_key_id: str, overwrite: bool) -> str:
    import botocore.exceptions

    move = moves[0]
    keys = ",".join(m.json_key for m in moves) if move.json_key else move.key
    request: dict[str, Any] = {
        "Name": move.secret_name,
        "SecretString": value,
        "ClientRequestToken": token(move.secret_name, value),
        "Description": f"moved by yamlsecretlint migrate from {move.path}",
        "Tags": [
            {"Key": "yamlsecretlint:source", "Value": move.path[:256]},
            {"Key": "yamlsecretlint:key", "Value": keys[:256]},
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
        held = str(response.pop("SecretString", ""))
        response.clear()
        same = hmac.compare_digest(held.encode(), value.encode()) or (bool(move.json_key) and _same_json(held, value))
        del held
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


def _same_json(held: str, value: str) -> bool:
    try:
        return bool(json.loads(held) == json.loads(value))
    except ValueError:
        return False


def _arns(sm: Any, moves: list[Move], failed: list[tuple[str, str]]) -> dict[str, str]:
    """The full ARN of each secret an ECS valueFrom names (DescribeSecret: it exists now)."""
    import botocore.exceptions

    found = {}
    for name in dict.fromkeys(m.secret_name for m in moves):
        try:
            found[name] = str(sm.describe_secret(SecretId=name)["ARN"])
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            failed.append((name, f"its ARN could not be read: {error_text(exc)}"))
    return found


def _ident(move: Move) -> str:
    """A move's name among the failures: a compose variable is one per .env, a secret one per account."""
    return f"{move.env_file}\0{move.secret_name}" if move.env_file else move.secret_name


def _to_env_files(moves: list[Move], values: dict[tuple[str, int], str], failed: list[tuple[str, str]]) -> set[str]:
    """compose: each .env gets its variables (never a second, different value); the failures' idents."""
    from yamlsecretlint.migrate import compose

    bad: set[str] = set()
    by_file: dict[str, list[Move]] = {}
    for move in moves:
        by_file.setdefault(move.env_file, []).append(move)
    for env_file, group in by_file.items():
        found = {m.secret_name: values.pop((m.path, m.start), None) for m in group}
        if any(value is None for value in found.values()):
            failed.extend((m.secret_name, "a value moved since the plan was made") for m in group)
            bad |= {_ident(m) for m in group}
            continue
        text, example, refused = compose.additions(Path(env_file), found)  # type: ignore[arg-type]
        found.clear()
        if refused:
            failed.extend((var, f"{Path(env_file).name} sets it to another value already") for var in refused)
            bad |= {_ident(m) for m in group}
            continue
        try:
            compose.write(Path(env_file), text, example)
        except OSError as exc:
            failed.extend((m.secret_name, f"cannot write {Path(env_file).name}: {exc.strerror or exc}") for m in group)
            bad |= {_ident(m) for m in group}
        del text
    return bad


def _with_arns(text: str, arns: dict[str, str]) -> str:
    for name, arn in arns.items():
        text = text.replace(arn_mark(name), arn)
    return text


def _unverified(moves: list[Move], options: Options, region: str, clients: Clients, arns: dict[str, str]) -> set[str]:
    """The names the online verifier could not read as the files will reference them."""
    from yamlsecretlint.online.run import run

    if not moves:
        return set()
    located = [
        LocatedReference(
            Reference(m.dialect, "aws-secretsmanager", arns.get(m.secret_name, m.secret_name), m.json_key),
            m.path,
            Span(m.line, 1, m.line, 1),
            m.key,
        )
        for m in moves
    ]
    outcome = run(located, options._replace(region=region), catalog.load(), env={}, clients=clients)
    if outcome.problems:
        return {m.secret_name for m in moves}
    named = {(m.path, m.line): m.secret_name for m in moves}
    return {named[(f.path, f.span.line)] for f in outcome.findings if (f.path, f.span.line) in named}


def _rewrite(
    plan: Plan, files: Mapping[str, FileRef], bad: set[str], arns: dict[str, str]
) -> tuple[list[str], list[str]]:
    rewritten, untouched = [], []
    for display in sorted({move.path for move in plan.moves}):
        moves = sorted((m for m in plan.moves if m.path == display), key=lambda m: m.start)
        if any(_ident(m) in bad for m in moves):
            untouched.append(display)
            continue
        path = Path(files[display].path)
        data = path.read_bytes()
        text = decode(data)
        regions = {s.start: s.end for s in scalars(text)}
        regions.update({d.start: d.end for d in secrets(text).values()})
        inserts = [i for i in plan.inserts if i.path == display]
        anchors = [m.anchor or (m.start, m.end) for m in moves]
        if any(regions.get(start) != end for start, end in anchors) or any(i.offset > len(text) for i in inserts):
            untouched.append(display)  # it changed since the plan was made: nothing is guessed
            continue
        edits = [(m.start, m.end, m.replacement) for m in moves] + [(i.offset, i.offset, i.text) for i in inserts]
        edits = [(start, end, _with_arns(new, arns)) for start, end, new in edits]
        for start, end, new in sorted(edits, reverse=True):
            text = text[:start] + new + text[end:]
        bom, codec = encoding_of(data)
        replace_file(path, bom + text.encode(codec))
        rewritten.append(display)
    return rewritten, untouched

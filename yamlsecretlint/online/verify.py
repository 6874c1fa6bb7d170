"""Check each unique secret of each region against Secrets Manager.

Per region (regions in parallel): ``sts:GetCallerIdentity`` first (who and
which account is checking), then ``BatchGetSecretValue`` on chunks of at most
20 ids (botocore does not enforce AWS's limit), falling back to one
``GetSecretValue`` per secret where the batch action itself is denied. A
reference that names a version stage or id is read at that version
(``GetSecretValue`` with ``VersionStage``/``VersionId``): its existence and
its JSON keys are those of that version. ``DescribeSecret`` only where needed:
the deletion date of a deleted secret, and Mage's secrets (its
aws-secretsmanager-caching client calls it).

A value is reduced to its JSON key paths the moment it arrives; the response
dict is cleared. A secret that could not be checked — a call that was
throttled, failed, timed out, or was not made before the deadline — is never
"clean": it makes the run end with exit 3. Every loop is bounded: pages, and
the one deadline of the online phase.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from yamlsecretlint.online.aws import (
    Clients,
    error_code,
    error_text,
    is_deleted,
    is_denied,
    is_kms,
)
from yamlsecretlint.online.plan import ACCOUNT_ID, Target
from yamlsecretlint.online.secret_keys import facts

BATCH = 20
#: What an endpoint without BatchGetSecretValue answers it with (AWS-compatible servers, older emulators).
_NO_BATCH = frozenset(
    {
        "UnknownOperationException",
        "InvalidAction",
        "NotImplemented",
        "NotImplementedException",
        "UnsupportedOperation",
        "404",
        "501",
    }
)
#: A batch of 20 ids fits one page; an endpoint that keeps answering NextToken is broken.
MAX_PAGES = 20
DEADLINE_REACHED = "the online deadline (--timeout) was reached before it was checked"
_BAD_CREDENTIALS = frozenset(
    {"InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "UnrecognizedClientException", "AuthFailure"}
)


class Status(NamedTuple):
    #: ok | missing | version (the named version does not exist) | deleted | denied | kms | unchecked
    state: str
    detail: str = ""
    keys: frozenset[str] | None = None
    describe_denied: bool = False
    #: Top-level keys holding strings, and what the text holds that would change YAML it is pasted into
    #: (online/secret_keys.py): facts, never the value.
    string_keys: frozenset[str] = frozenset()
    hazards: frozenset[str] = frozenset()
    #: A permission the check could not see (found and readable, but e.g. ``kms:Decrypt`` unknown).
    unseen: str = ""


#: The status of a secret nothing answered for: never clean.
NO_ANSWER = Status("unchecked", "no answer for this secret")


class RegionResult(NamedTuple):
    region: str
    account: str
    caller: str
    statuses: dict[Target, Status]
    #: Why this region could not be checked at all; empty when it was.
    failure: str = ""


def _status_from_error(code: str, message: str) -> Status:
    if code == "ResourceNotFoundException":
        return Status("missing")
    if is_deleted(code, message):
        return Status("deleted")
    if is_kms(code, message):
        return Status("kms", code)
    if is_denied(code):
        return Status("denied", code)
    return Status("unchecked", f"{code}: {message[:160]}")


def _requested(value: dict[str, Any], chunk: Sequence[str]) -> list[str]:
    """The requested ids a returned secret answers: its name, its ARN, or a partial ARN of it."""
    name, arn = value.get("Name", ""), value.get("ARN", "")
    return [
        secret_id
        for secret_id in chunk
        if secret_id in (name, arn) or (secret_id.startswith("arn:") and arn.startswith(secret_id + "-"))
    ]


def _read(value: dict[str, Any]) -> Status:
    """An "ok" status with what is kept of a returned secret; the value itself is removed from the response."""
    secret_string = value.pop("SecretString", None)
    value.pop("SecretBinary", None)
    if not isinstance(secret_string, str):
        return Status("ok")
    found = facts(secret_string)
    del secret_string
    return Status("ok", keys=found.paths, string_keys=found.string_keys, hazards=found.hazards)


class _RegionFailed(Exception):
    """This region cannot be checked; the message says why (no value in it)."""


class RegionVerifier:
    def __init__(self, clients: Clients, region: str) -> None:
        self.clients = clients
        self.region = region

    def _expired(self) -> bool:
        return self.clients.remaining() <= 0

    def identify(self) -> tuple[str, str]:
        import botocore.exceptions

        try:
            identity = self.clients.client("sts", self.region).get_caller_identity()
        except botocore.exceptions.ClientError as exc:
            if error_code(exc) in _BAD_CREDENTIALS:
                # Per region: a region not enabled for the account rejects keys the others accept.
                raise _RegionFailed(f"AWS rejected the credentials here ({error_text(exc)})") from None
            raise _RegionFailed(f"sts:GetCallerIdentity failed: {error_text(exc)}") from None
        except botocore.exceptions.BotoCoreError as exc:
            raise _RegionFailed(f"sts:GetCallerIdentity failed: {error_text(exc)}") from None
        return str(identity.get("Account", "")), str(identity.get("Arn", ""))

    def run(self, targets: Sequence[Target], describe: set[str]) -> RegionResult:
        """Statuses per target as the plan wrote it; ``${AWS::AccountId}`` is read as the caller's account."""
        try:
            account, caller = self.identify()
        except _RegionFailed as exc:
            return RegionResult(self.region, "", "", {}, str(exc))
        filled = {t: t._replace(secret_id=t.secret_id.replace(ACCOUNT_ID, account)) for t in targets}
        result = self._checked(list(dict.fromkeys(filled.values())), describe, account, caller)
        return result._replace(statuses={t: result.statuses.get(f, NO_ANSWER) for t, f in filled.items()})

    def _checked(self, targets: Sequence[Target], describe: set[str], account: str, caller: str) -> RegionResult:
        try:
            return self._run(targets, describe, account, caller)
        except Exception as exc:
            # Only the type: an unexpected error's text may quote a response body.
            return RegionResult(self.region, account, caller, {}, f"unexpected {type(exc).__name__}")

    def _run(self, targets: Sequence[Target], describe: set[str], account: str, caller: str) -> RegionResult:
        sm = self.clients.client("secretsmanager", self.region)
        ids = list(dict.fromkeys(t.secret_id for t in targets))
        by_id: dict[str, Status] = {}
        for start in range(0, len(ids), BATCH):
            self._batch(sm, ids[start : start + BATCH], by_id)
        for secret_id in ids:
            status = by_id.setdefault(secret_id, NO_ANSWER)
            if status.state == "deleted":
                by_id[secret_id] = status._replace(detail=self._deletion_date(sm, secret_id))
            elif status.state == "ok" and secret_id in describe:
                by_id[secret_id] = self._described(sm, secret_id, status)
        statuses: dict[Target, Status] = {}
        for target in targets:
            status = by_id[target.secret_id]
            if status.state == "ok" and (target.version_stage or target.version_id):
                version = self._version(sm, target)
                status = version._replace(describe_denied=status.describe_denied) if version.state == "ok" else version
            statuses[target] = status
        failures = [s.detail for s in statuses.values() if s.state == "unchecked"]
        return RegionResult(self.region, account, caller, statuses, failures[0] if failures else "")

    def _batch(self, sm: Any, chunk: list[str], statuses: dict[str, Status]) -> None:
        import botocore.exceptions

        token = None
        try:
            for _ in range(MAX_PAGES):
                if self._expired():
                    break
                kwargs: dict[str, Any] = {"SecretIdList": chunk}
                if token:
                    kwargs["NextToken"] = token
                response = sm.batch_get_secret_value(**kwargs)
                for value in response.get("SecretValues", []):
                    read = _read(value)
                    for requested in _requested(value, chunk):
                        statuses[requested] = read
                for error in response.get("Errors", []):
                    code, message = str(error.get("ErrorCode", "")), str(error.get("Message", ""))
                    statuses[str(error.get("SecretId", ""))] = _status_from_error(code, message)
                token = response.get("NextToken")
                response.clear()
                if not token:
                    return
            # A page loop that did not end: what it said so far is not trusted either.
            why = DEADLINE_REACHED if self._expired() else f"the endpoint paged past {MAX_PAGES} pages"
            for secret_id in chunk:
                statuses[secret_id] = Status("unchecked", why)
        except botocore.exceptions.ClientError as exc:
            if is_denied(exc) or error_code(exc) in _NO_BATCH:
                # The batch action itself is denied, or the endpoint (a Secrets Manager-compatible
                # server) lacks it; each secret may still be readable on its own.
                for secret_id in chunk:
                    if secret_id not in statuses:
                        statuses[secret_id] = self._single(sm, secret_id)
                return
            for secret_id in chunk:
                statuses.setdefault(secret_id, Status("unchecked", error_text(exc)))
        except botocore.exceptions.BotoCoreError as exc:
            for secret_id in chunk:
                statuses.setdefault(secret_id, Status("unchecked", error_text(exc)))
        except Exception as exc:
            for secret_id in chunk:
                statuses.setdefault(secret_id, Status("unchecked", f"unexpected {type(exc).__name__}"))

    def _single(self, sm: Any, secret_id: str, **version: str) -> Status:
        import botocore.exceptions

        if self._expired():
            return Status("unchecked", DEADLINE_REACHED)
        try:
            response = sm.get_secret_value(SecretId=secret_id, **version)
        except botocore.exceptions.ClientError as exc:
            message = str(exc.response.get("Error", {}).get("Message", ""))
            return _status_from_error(error_code(exc), message)
        except botocore.exceptions.BotoCoreError as exc:
            return Status("unchecked", error_text(exc))
        except Exception as exc:
            return Status("unchecked", f"unexpected {type(exc).__name__}")
        read = _read(response)
        response.clear()
        return read

    def _version(self, sm: Any, target: Target) -> Status:
        """The version a reference names: read at that version (its keys are that version's)."""
        version = {"VersionStage": target.version_stage} if target.version_stage else {}
        if target.version_id:
            version = {"VersionId": target.version_id}
        status = self._single(sm, target.secret_id, **version)
        # The secret exists (the unversioned read found it): not found now means the version.
        return Status("version", status.detail) if status.state == "missing" else status

    def _deletion_date(self, sm: Any, secret_id: str) -> str:
        import botocore.exceptions

        if self._expired():
            return ""
        try:
            deleted = sm.describe_secret(SecretId=secret_id).get("DeletedDate")
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
            return ""
        return deleted.date().isoformat() if hasattr(deleted, "date") else str(deleted or "")

    def _described(self, sm: Any, secret_id: str, status: Status) -> Status:
        """``status`` after the DescribeSecret Mage's client makes: denied, or not checked if it did not answer."""
        import botocore.exceptions

        if self._expired():
            return Status("unchecked", DEADLINE_REACHED)
        try:
            sm.describe_secret(SecretId=secret_id)
        except botocore.exceptions.ClientError as exc:
            if is_denied(exc):
                return status._replace(describe_denied=True)
            return Status("unchecked", f"secretsmanager:DescribeSecret failed: {error_text(exc)}")
        except botocore.exceptions.BotoCoreError as exc:
            return Status("unchecked", f"secretsmanager:DescribeSecret failed: {error_text(exc)}")
        except Exception as exc:
            return Status("unchecked", f"unexpected {type(exc).__name__}")
        return status


Verifier = Callable[[str, Sequence[Target], set[str]], RegionResult]


def verify_all(
    targets: dict[str, list[Target]], describe: dict[str, set[str]], verifier: Verifier, seconds: float
) -> list[RegionResult]:
    """Regions in parallel; one region's failure keeps the others' results.

    A region still being checked when ``seconds`` run out is "not checked": its
    thread is left to its own call's timeout, and the run goes on without it.
    """
    if not targets:
        return []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=min(8, len(targets)))
    futures = {
        region: pool.submit(verifier, region, region_targets, describe.get(region, set()))
        for region, region_targets in targets.items()
    }
    concurrent.futures.wait(futures.values(), timeout=max(0.0, seconds))
    pool.shutdown(wait=False, cancel_futures=True)
    results = []
    for region, future in futures.items():
        if future.done() and not future.cancelled():
            results.append(future.result())
        else:
            results.append(RegionResult(region, "", "", {}, DEADLINE_REACHED))
    return results

"""Check each unique secret of each region against Secrets Manager.

Per region (regions in parallel): ``sts:GetCallerIdentity`` first (who and
which account is checking), then ``BatchGetSecretValue`` on chunks of at most
20 ids (botocore does not enforce AWS's limit), falling back to one
``GetSecretValue`` per secret where the batch action itself is denied.
``DescribeSecret`` only where needed: the deletion date of a deleted secret,
and Mage's secrets (its aws-secretsmanager-caching client calls it).

A value is reduced to its JSON key paths the moment it arrives; the response
dict is cleared. A secret that could not be checked is never "clean": it
makes the run end with exit 3.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from yamlsecretlint.online.aws import (
    Clients,
    OnlineError,
    error_code,
    error_text,
    is_deleted,
    is_denied,
    is_kms,
)
from yamlsecretlint.online.secret_keys import key_paths

BATCH = 20
_BAD_CREDENTIALS = frozenset(
    {"InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "UnrecognizedClientException", "AuthFailure"}
)


class Status(NamedTuple):
    #: ok | missing | deleted | denied | kms | unchecked
    state: str
    detail: str = ""
    keys: frozenset[str] | None = None
    describe_denied: bool = False


class RegionResult(NamedTuple):
    region: str
    account: str
    caller: str
    statuses: dict[str, Status]
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


def _take_value(value: dict[str, Any]) -> frozenset[str] | None:
    """Key paths of a returned secret; the value itself is removed from the response."""
    secret_string = value.pop("SecretString", None)
    value.pop("SecretBinary", None)
    paths = key_paths(secret_string) if isinstance(secret_string, str) else None
    del secret_string
    return paths


class _RegionFailed(Exception):
    """This region cannot be checked; the message says why (no value in it)."""


class RegionVerifier:
    def __init__(self, clients: Clients, region: str) -> None:
        self.clients = clients
        self.region = region

    def identify(self) -> tuple[str, str]:
        import botocore.exceptions

        try:
            identity = self.clients.client("sts", self.region).get_caller_identity()
        except botocore.exceptions.NoCredentialsError:
            raise OnlineError("no AWS credentials found") from None
        except botocore.exceptions.ClientError as exc:
            if error_code(exc) in _BAD_CREDENTIALS:
                raise OnlineError(f"AWS rejected the credentials ({error_text(exc)})") from None
            raise _RegionFailed(f"sts:GetCallerIdentity failed: {error_text(exc)}") from None
        except botocore.exceptions.BotoCoreError as exc:
            raise _RegionFailed(f"sts:GetCallerIdentity failed: {error_text(exc)}") from None
        return str(identity.get("Account", "")), str(identity.get("Arn", ""))

    def run(self, secret_ids: Sequence[str], describe: set[str]) -> RegionResult:
        try:
            return self._run(secret_ids, describe)
        except OnlineError:
            raise
        except _RegionFailed as exc:
            return RegionResult(self.region, "", "", {}, str(exc))
        except Exception as exc:
            # Only the type: an unexpected error's text may quote a response body.
            return RegionResult(self.region, "", "", {}, f"unexpected {type(exc).__name__}")

    def _run(self, secret_ids: Sequence[str], describe: set[str]) -> RegionResult:
        account, caller = self.identify()
        sm = self.clients.client("secretsmanager", self.region)
        statuses: dict[str, Status] = {}
        for start in range(0, len(secret_ids), BATCH):
            self._batch(sm, list(secret_ids[start : start + BATCH]), statuses)
        for secret_id in secret_ids:
            status = statuses.setdefault(secret_id, Status("unchecked", "no answer for this secret"))
            if status.state == "deleted":
                statuses[secret_id] = status._replace(detail=self._deletion_date(sm, secret_id))
            elif status.state == "ok" and secret_id in describe:
                statuses[secret_id] = status._replace(describe_denied=self._describe_denied(sm, secret_id))
        failures = [s.detail for s in statuses.values() if s.state == "unchecked"]
        return RegionResult(self.region, account, caller, statuses, failures[0] if failures else "")

    def _batch(self, sm: Any, chunk: list[str], statuses: dict[str, Status]) -> None:
        import botocore.exceptions

        token = None
        try:
            while True:
                kwargs: dict[str, Any] = {"SecretIdList": chunk}
                if token:
                    kwargs["NextToken"] = token
                response = sm.batch_get_secret_value(**kwargs)
                for value in response.get("SecretValues", []):
                    keys = _take_value(value)
                    for requested in _requested(value, chunk):
                        statuses[requested] = Status("ok", keys=keys)
                for error in response.get("Errors", []):
                    code, message = str(error.get("ErrorCode", "")), str(error.get("Message", ""))
                    statuses[str(error.get("SecretId", ""))] = _status_from_error(code, message)
                token = response.get("NextToken")
                response.clear()
                if not token:
                    return
        except botocore.exceptions.ClientError as exc:
            if is_denied(exc):
                # The batch action itself is denied; each secret may still be readable on its own.
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

    def _single(self, sm: Any, secret_id: str) -> Status:
        import botocore.exceptions

        try:
            response = sm.get_secret_value(SecretId=secret_id)
        except botocore.exceptions.ClientError as exc:
            message = str(exc.response.get("Error", {}).get("Message", ""))
            return _status_from_error(error_code(exc), message)
        except botocore.exceptions.BotoCoreError as exc:
            return Status("unchecked", error_text(exc))
        except Exception as exc:
            return Status("unchecked", f"unexpected {type(exc).__name__}")
        keys = _take_value(response)
        response.clear()
        return Status("ok", keys=keys)

    def _deletion_date(self, sm: Any, secret_id: str) -> str:
        import botocore.exceptions

        try:
            deleted = sm.describe_secret(SecretId=secret_id).get("DeletedDate")
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
            return ""
        return deleted.date().isoformat() if hasattr(deleted, "date") else str(deleted or "")

    def _describe_denied(self, sm: Any, secret_id: str) -> bool:
        import botocore.exceptions

        try:
            sm.describe_secret(SecretId=secret_id)
        except botocore.exceptions.ClientError as exc:
            return is_denied(exc)
        except botocore.exceptions.BotoCoreError:
            return False
        return False


Verifier = Callable[[str, Sequence[str], set[str]], RegionResult]


def verify_all(targets: dict[str, list[str]], describe: dict[str, set[str]], verifier: Verifier) -> list[RegionResult]:
    """Regions in parallel; one region's failure keeps the others' results."""
    if not targets:
        return []
    with ThreadPoolExecutor(max_workers=min(8, len(targets))) as pool:
        futures = [pool.submit(verifier, region, ids, describe.get(region, set())) for region, ids in targets.items()]
        return [future.result() for future in futures]

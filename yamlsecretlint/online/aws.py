"""boto3 sessions and clients, and what AWS errors mean for a check.

Credentials come from boto3's default chain (environment, shared files with
``AWS_PROFILE``, SSO, web identity, container credentials, IMDSv2) or
``--profile``; ``--endpoint-url`` (and boto3's own ``AWS_ENDPOINT_URL*``
variables) point every client at a compatible endpoint.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    import boto3

#: Standard retries (throttling, 5xx, connection errors) with timeouts: a stalled
#: endpoint costs at most about attempts x (connect + read) seconds, and never
#: more than the online phase's deadline.
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 10
MAX_ATTEMPTS = 4
#: The whole online phase (credentials, every region, every call): --timeout.
DEADLINE = 60.0

WHERE_CREDENTIALS_ARE_LOOKED_FOR = (
    "the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN), "
    "the shared files (~/.aws/credentials and ~/.aws/config, AWS_PROFILE or --profile), "
    "AWS SSO, web identity (AWS_WEB_IDENTITY_TOKEN_FILE), container credentials "
    "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI) and the instance metadata service (IMDSv2)"
)


class OnlineError(Exception):
    """The online check cannot run at all (exit 3); the message says why, never a value."""


class Options(NamedTuple):
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    principal_arn: str | None = None
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    max_attempts: int = MAX_ATTEMPTS
    #: Seconds for the whole online phase; what is not checked by then is "not checked".
    deadline: float = DEADLINE


class Clients:
    """Makes boto3 clients for a region; tests hand in their own."""

    def __init__(self, options: Options) -> None:
        import boto3
        import botocore.config
        import botocore.exceptions

        self.options = options
        self.ends = time.monotonic() + options.deadline
        try:
            self.session: boto3.Session = boto3.Session(profile_name=options.profile)
        except botocore.exceptions.ProfileNotFound as exc:
            raise OnlineError(f"--profile: {exc}") from None
        except botocore.exceptions.BotoCoreError as exc:
            raise OnlineError(f"AWS configuration cannot be used ({type(exc).__name__})") from None
        self.config = botocore.config.Config(
            retries={"mode": "standard", "max_attempts": options.max_attempts},
            connect_timeout=min(options.connect_timeout, options.deadline),
            read_timeout=min(options.read_timeout, options.deadline),
        )

    def remaining(self) -> float:
        """Seconds left before the online phase's deadline."""
        return self.ends - time.monotonic()

    @property
    def default_region(self) -> str | None:
        try:
            region = self.session.region_name
        except Exception:  # a broken config file: no default region, said elsewhere
            return None
        return str(region) if region else None

    def check_credentials(self) -> None:
        """The credentials resolve, within the deadline, or OnlineError says why (never what they are)."""
        profile = f" (profile {self.options.profile!r})" if self.options.profile else ""
        try:
            credentials = self.session.get_credentials()
        except Exception as exc:
            # Only the type: a provider's message can quote a process's output or a file's line.
            raise OnlineError(f"AWS credentials could not be loaded{profile} ({type(exc).__name__})") from None
        if credentials is None:
            raise OnlineError(f"no AWS credentials found{profile}; looked in {WHERE_CREDENTIALS_ARE_LOOKED_FOR}")

    def client(self, service: str, region: str) -> Any:
        return self.session.client(
            service,
            region_name=region,
            endpoint_url=self.options.endpoint_url,
            config=self.config,
        )


class _BoundedPopen(subprocess.Popen[bytes]):
    """A credential_process that answers within the deadline, or is killed with its children."""

    def __init__(self, args: Any, *, ends: float, **kwargs: Any) -> None:
        #: The online phase's deadline (time.monotonic()), whenever in the phase the process starts.
        self.ends = ends
        super().__init__(args, start_new_session=True, **kwargs)

    def communicate(self, input: Any = None, timeout: float | None = None) -> tuple[Any, Any]:
        import botocore.exceptions

        try:
            return super().communicate(input, timeout=max(0.1, self.ends - time.monotonic()))
        except subprocess.TimeoutExpired:
            with suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)
            self.wait()
            raise botocore.exceptions.CredentialRetrievalError(
                provider="custom-process", error_msg="credential_process did not answer in time"
            ) from None


@contextmanager
def bounded_credential_process(seconds: float) -> Iterator[None]:
    """botocore runs ``credential_process`` with a Popen bound at import, and waits for it without limit.

    Every ProcessProvider botocore makes while this is in force (also those a role's
    ``source_profile`` chain builds, on first use) gets the bounded Popen instead; the
    online phase runs inside it.
    """
    import botocore.credentials

    init = botocore.credentials.ProcessProvider.__init__
    saved = init.__defaults__
    init.__defaults__ = (partial(_BoundedPopen, ends=time.monotonic() + seconds),)
    try:
        yield
    finally:
        init.__defaults__ = saved


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return type(exc).__name__


def error_text(exc: BaseException) -> str:
    """A one-line reason for a failed call; AWS error messages carry no secret values."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error", {})
        message = str(error.get("Message", "")).split("\n")[0][:200]
        return f"{error.get('Code', 'error')}: {message}" if message else str(error.get("Code", "error"))
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}".rstrip(": ")


def is_denied(exc_or_code: BaseException | str) -> bool:
    # moto answers a denial with the HTTP status as its code, AWS with AccessDeniedException.
    code = exc_or_code if isinstance(exc_or_code, str) else error_code(exc_or_code)
    return code in ("AccessDeniedException", "AccessDenied", "403", "UnauthorizedOperation")


def is_kms(code: str, message: str) -> bool:
    return code in ("DecryptionFailure", "KMSAccessDeniedException", "KMSInvalidStateException") or (
        is_denied(code) and "kms" in message.lower()
    )


def is_deleted(code: str, message: str) -> bool:
    lowered = message.lower()
    return code == "InvalidRequestException" and ("deleted" in lowered or "deletion" in lowered)

"""boto3 sessions and clients, and what AWS errors mean for a check.

Credentials come from boto3's default chain (environment, shared files with
``AWS_PROFILE``, SSO, web identity, container credentials, IMDSv2) or
``--profile``; ``--endpoint-url`` (and boto3's own ``AWS_ENDPOINT_URL*``
variables) point every client at a compatible endpoint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    import boto3

#: Standard retries (throttling, 5xx, connection errors) with timeouts: a stalled
#: endpoint costs at most about attempts x (connect + read) seconds.
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 10
MAX_ATTEMPTS = 4

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


class Clients:
    """Makes boto3 clients for a region; tests hand in their own."""

    def __init__(self, options: Options) -> None:
        import boto3
        import botocore.config
        import botocore.exceptions

        try:
            self.session: boto3.Session = boto3.Session(profile_name=options.profile)
        except botocore.exceptions.ProfileNotFound as exc:
            raise OnlineError(f"--profile: {exc}") from None
        self.options = options
        self.config = botocore.config.Config(
            retries={"mode": "standard", "max_attempts": options.max_attempts},
            connect_timeout=options.connect_timeout,
            read_timeout=options.read_timeout,
        )

    @property
    def default_region(self) -> str | None:
        region = self.session.region_name
        return str(region) if region else None

    def check_credentials(self) -> None:
        if self.session.get_credentials() is None:
            profile = f" (profile {self.options.profile!r})" if self.options.profile else ""
            raise OnlineError(f"no AWS credentials found{profile}; looked in {WHERE_CREDENTIALS_ARE_LOOKED_FOR}")

    def client(self, service: str, region: str) -> Any:
        return self.session.client(
            service,
            region_name=region,
            endpoint_url=self.options.endpoint_url,
            config=self.config,
        )


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

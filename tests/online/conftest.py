"""moto's server on 127.0.0.1, started by the tests, and a clean AWS environment.

Every online test talks HTTP to it; nothing here reaches outside this machine
(the instance metadata service is switched off, config files point nowhere).
"""

from __future__ import annotations

import json
import os
import random
import string
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, run_subprocess

moto_server = pytest.importorskip("moto.server")


def fake_credentials(seed: int = 0) -> dict[str, str]:
    """Made at run time: moto accepts any well-formed pair."""
    rng = random.Random(seed)
    return {
        "AWS_ACCESS_KEY_ID": "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16)),
        "AWS_SECRET_ACCESS_KEY": "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(40)),
    }


def clean_env(tmp_path: Path) -> dict[str, str]:
    """This process's environment without any AWS setting: no credentials, region, files or IMDS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(tmp_path / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-aws-credentials"),
        NO_COLOR="1",
    )
    return env


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _post(url: str, body: bytes = b"") -> None:
    # The tests' own loopback server: no other scheme or host reaches here.
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "text/plain"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass


@pytest.fixture
def aws(moto_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    _post(f"{moto_url}/moto-api/reset")
    env = {**clean_env(tmp_path), **fake_credentials(), "AWS_DEFAULT_REGION": "eu-west-1"}
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    yield Aws(moto_url, env)
    _post(f"{moto_url}/moto-api/reset-auth", b"inf")  # back to no authorisation checks


class Aws:
    """The moto endpoint and the environment a CLI run gets."""

    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.url = url
        self.env = env

    def client(self, service: str, region: str = "eu-west-1", **credentials: str) -> Any:
        import boto3

        keys = {
            "aws_access_key_id": credentials.get("AWS_ACCESS_KEY_ID", self.env["AWS_ACCESS_KEY_ID"]),
            "aws_secret_access_key": credentials.get("AWS_SECRET_ACCESS_KEY", self.env["AWS_SECRET_ACCESS_KEY"]),
        }
        return boto3.client(service, region_name=region, endpoint_url=self.url, **keys)

    def secret(self, name: str, value: str | dict[str, Any], region: str = "eu-west-1") -> str:
        text = value if isinstance(value, str) else json.dumps(value)
        arn: str = self.client("secretsmanager", region).create_secret(Name=name, SecretString=text)["ARN"]
        return arn

    def parameter(
        self, name: str, value: str, kind: str = "String", region: str = "eu-west-1", key_id: str = ""
    ) -> int:
        """A Parameter Store parameter (put again: a new version); its version number."""
        ssm = self.client("ssm", region)
        extra = {"KeyId": key_id} if key_id else {}
        version: int = ssm.put_parameter(Name=name, Value=value, Type=kind, Overwrite=True, **extra)["Version"]
        return version

    def enforce_iam(self) -> None:
        """moto checks IAM per action from now on (it checks no resource ARNs)."""
        _post(f"{self.url}/moto-api/reset-auth", b"0")

    def cli(self, cwd: Path, *argv: str, env: dict[str, str] | None = None, timeout: float = 120) -> Run:
        return run_subprocess(
            "--online",
            "--endpoint-url",
            self.url,
            *argv,
            cwd=cwd,
            env={**self.env, **(env or {})},
            timeout=timeout,
            inherit=False,
        )

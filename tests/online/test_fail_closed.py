"""What was not checked is never clean: faults of one call, versions, pseudo-parameters,
per-region credentials, broken credential set-ups, endless pages, one deadline.

Every test talks HTTP to moto's server, through the fault proxy where a fault is
needed, and must end inside its deadline with exit 3 (or the finding the real
deploy would meet) and no value in any output.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Run, run_subprocess, write
from tests.fakes import token
from tests.online.conftest import Aws
from tests.online.faults import FaultProxy

pytestmark = pytest.mark.slow  # stalled endpoints and deadlines: seconds each


def _rules(run: Run) -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for f in json.loads(run.out)["findings"]]


@pytest.fixture
def faulty(aws: Aws, request: pytest.FixtureRequest) -> Iterator[FaultProxy]:
    server = FaultProxy(aws.url, request.param).start()
    yield server
    server.stop()


def _no_value(run: Run, *values: str) -> None:
    for value in values:
        assert value[:8] not in run.out + run.err


@pytest.mark.parametrize(
    "faulty", [{"*/DescribeSecret": f} for f in ("throttle", "500", "503", "stall")], indirect=True
)
def test_mage_describe_that_does_not_answer_is_not_checked(aws: Aws, tmp_path: Path, faulty: FaultProxy) -> None:
    value = token()
    aws.secret("prod/db", {"password": value})
    write(tmp_path, "io_config.yaml", "default:\n  P: \"{{ aws_secret_var('prod/db') }}\"\n")
    began = time.monotonic()
    run = aws.cli(tmp_path, "--endpoint-url", faulty.url, "--timeout", "4", "--format", "json", ".", timeout=60)
    assert time.monotonic() - began < 20
    assert run.code == 3, run.err
    assert "not checked" in run.err
    assert _rules(run) == []
    _no_value(run, value)


def test_versions_are_checked_as_named(aws: Aws, tmp_path: Path) -> None:
    client = aws.client("secretsmanager")
    client.create_secret(Name="app/db", SecretString=json.dumps({"user": "app"}))
    client.put_secret_value(SecretId="app/db", SecretString=json.dumps({"user": "app", "rotated": "1"}))
    client.put_secret_value(SecretId="app/db", SecretString=json.dumps({"pending": "1"}), VersionStages=["AWSPENDING"])
    lines = [
        "{{resolve:secretsmanager:app/db:SecretString:user:AWSPREVIOUS}}",  # 4: exists
        "{{resolve:secretsmanager:app/db:SecretString:user:MADEUP}}",  # 5: no such stage
        "{{resolve:secretsmanager:app/db:SecretString:user::0123456789abcdef0123456789abcdef}}",  # 6: no such id
        "{{resolve:secretsmanager:app/db:SecretString:pending:AWSPENDING}}",  # 7: key only there
        "{{resolve:secretsmanager:app/db:SecretString:pending}}",  # 8: not in the current version
        "{{resolve:secretsmanager:app/db:SecretString:rotated:AWSPREVIOUS}}",  # 9: not in the previous one
    ]
    body = "".join(f"      P{i}: '{line}'\n" for i, line in enumerate(lines))
    write(tmp_path, "template.yaml", f"Resources:\n  A:\n    Properties:\n{body}")
    run = aws.cli(tmp_path, "--format", "json", ".")
    assert _rules(run) == [("YSL401", 5), ("YSL401", 6), ("YSL405", 8), ("YSL405", 9)], run.err
    assert run.code == 1


def test_pseudo_parameters_are_resolved_or_not_checked(aws: Aws, tmp_path: Path) -> None:
    value = token()
    aws.secret("stack/db", {"password": value})
    write(
        tmp_path,
        "template.yaml",
        "Resources:\n  A:\n    Properties:\n"
        "      Good: !Sub arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:stack/db\n"
        "      Gone: !Sub arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:stack/gone\n",
    )
    run = aws.cli(tmp_path, "--region", "eu-west-1", "--format", "json", ".")
    assert run.code == 1, run.err
    assert [rule for rule, _ in _rules(run)] == ["YSL401"]
    _no_value(run, value)
    write(
        tmp_path,
        "template.yaml",
        "Resources:\n  A:\n    Properties:\n"
        "      P: !Sub arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${DbSecretName}\n",
    )
    run = aws.cli(tmp_path, "--region", "eu-west-1", "--format", "json", ".")
    assert run.code == 3
    assert "filled in at deploy time" in run.err
    # A Mage name Jinja computes when it renders is valid, and unknown until then: not checked, never clean.
    (tmp_path / "template.yaml").unlink()
    write(tmp_path, "io_config.yaml", "default:\n  A: \"{{ aws_secret_var('app/' ~ env_var('STAGE') ~ '/db') }}\"\n")
    run = aws.cli(tmp_path, "--region", "eu-west-1", "--format", "json", ".")
    assert run.code == 3
    assert run.json()["findings"] == []
    assert "not checked" in run.err


@pytest.mark.parametrize("faulty", [{"us-east-1/GetCallerIdentity": "badtoken"}], indirect=True)
def test_one_region_rejecting_the_keys_keeps_the_others(aws: Aws, tmp_path: Path, faulty: FaultProxy) -> None:
    good = aws.secret("good/db", {"k": "v"}, region="eu-west-1")
    other = aws.secret("other/db", {"k": "v"}, region="us-east-1")
    missing = good.replace("good/db", "good/missing")
    write(tmp_path, "t.yaml", f"a: {good}\nb: {other}\nc: {missing}\n")
    run = aws.cli(tmp_path, "--endpoint-url", faulty.url, "--format", "json", ".")
    assert run.code == 3
    assert "region us-east-1" in run.err
    assert "InvalidClientTokenId" in run.err
    assert _rules(run) == [("YSL401", 3)]


def _config(tmp_path: Path, text: str) -> dict[str, str]:
    path = write(tmp_path, "aws-config", text)
    return {"AWS_CONFIG_FILE": str(path), "AWS_PROFILE": "broken"}


def _script(tmp_path: Path, name: str, body: str) -> Path:
    path = write(tmp_path, name, f"#!{sys.executable}\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _without_keys(aws: Aws, tmp_path: Path, *argv: str, **extra: str) -> Run:
    """A run whose environment has no access keys, only what ``extra`` sets."""
    env = {k: v for k, v in aws.env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    write(tmp_path, "repo/t.yaml", "a: arn:aws:secretsmanager:eu-west-1:123456789012:secret:x\n")
    return run_subprocess(
        "--online", "--endpoint-url", aws.url, *argv, ".", cwd=tmp_path / "repo", env={**env, **extra},
        inherit=False, timeout=60,
    )  # fmt: skip


def test_broken_credential_set_ups_exit_3(aws: Aws, tmp_path: Path) -> None:
    garbage = _script(tmp_path, "garbage.py", "print('not json')")
    setups = [
        _config(tmp_path, f"[profile broken]\ncredential_process = {garbage}\n"),
        _config(tmp_path, "[profile broken]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = nope\n"),
        {"AWS_ACCESS_KEY_ID": aws.env["AWS_ACCESS_KEY_ID"]},
    ]
    for extra in setups:
        run = _without_keys(aws, tmp_path, **extra)
        assert run.code == 3, (extra, run.err)
        assert "internal error" not in run.err
        assert "credentials" in run.err


def test_hanging_credential_process_is_bounded_and_killed(aws: Aws, tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    hang = _script(tmp_path, "hang.py", f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                   "time.sleep(120)")  # fmt: skip
    began = time.monotonic()
    run = _without_keys(
        aws, tmp_path, "--timeout", "3", **_config(tmp_path, f"[profile broken]\ncredential_process = {hang}\n")
    )
    assert time.monotonic() - began < 15
    assert run.code == 3, run.err
    pid = int(pid_file.read_text())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.parametrize("faulty", [{"*/BatchGetSecretValue": "endless"}], indirect=True)
def test_endless_pages_end(aws: Aws, tmp_path: Path, faulty: FaultProxy) -> None:
    arn = aws.secret("paged/db", {"k": "v"})
    write(tmp_path, "t.yaml", f"a: {arn}\n")
    began = time.monotonic()
    run = aws.cli(tmp_path, "--endpoint-url", faulty.url, "--format", "json", ".", timeout=60)
    assert time.monotonic() - began < 30
    assert run.code == 3, run.err
    assert "pages" in run.err


@pytest.mark.parametrize("faulty", [{"eu-west-1/BatchGetSecretValue": "stall"}], indirect=True)
def test_one_deadline_for_the_whole_phase(aws: Aws, tmp_path: Path, faulty: FaultProxy) -> None:
    values = [token() for _ in range(10)]
    arns = [aws.secret(f"slow/{i}", {"k": value}) for i, value in enumerate(values)]
    write(tmp_path, "t.yaml", "".join(f"s{i}: {arn}\n" for i, arn in enumerate(arns)))
    began = time.monotonic()
    run = aws.cli(tmp_path, "--endpoint-url", faulty.url, "--timeout", "5", "--format", "json", ".", timeout=60)
    elapsed = time.monotonic() - began
    assert run.code == 3, run.err
    assert elapsed < 12, elapsed
    assert "not checked" in run.err
    _no_value(run, *values)


def test_no_references_no_call_exit_0(aws: Aws, tmp_path: Path) -> None:
    """The pre-push hook of a developer without AWS access: nothing referenced, nothing asked, not blocked."""
    env = {k: v for k, v in aws.env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    write(tmp_path, "repo/t.yaml", "a: 1\npassword: ${DB_PASSWORD}\n")
    argv = ("--online", "--endpoint-url", "http://127.0.0.1:9", ".")
    run = run_subprocess(*argv, cwd=tmp_path / "repo", env=env, inherit=False, timeout=60)
    assert run.code == 0, run.err
    assert "0 references to check" in run.err
    # With a reference and no credentials, it still fails closed.
    assert _without_keys(aws, tmp_path).code == 3

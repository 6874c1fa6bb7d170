"""Online faults: retries happen, timeouts hold, exit 3 in bounded time, nothing unchecked is clean."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write
from tests.online.conftest import Aws
from tests.online.faults import FaultProxy

pytestmark = pytest.mark.slow  # stalled and failing endpoints: seconds each


@pytest.fixture
def tree(aws: Aws, tmp_path: Path) -> Path:
    good = aws.secret("good/db", {"password": "x"}, region="eu-west-1")
    bad = aws.secret("bad/db", {"password": "x"}, region="us-east-1")
    missing = good.replace("good/db", "good/missing")
    write(
        tmp_path,
        "template.yaml",
        f"Resources:\n  A:\n    Properties:\n      Good: {good}\n      Bad: {bad}\n      Missing: {missing}\n"
        "      Password: hunter2hunter2X9\n",
    )
    return tmp_path


@pytest.fixture
def proxy(aws: Aws, request: pytest.FixtureRequest) -> Iterator[FaultProxy]:
    fault = request.param
    server = FaultProxy(aws.url, {"us-east-1": fault}).start()
    yield server
    server.stop()


@pytest.mark.parametrize("proxy", ["stall", "close", "500", "503", "throttle"], indirect=True)
def test_a_failing_region_keeps_the_others_and_exits_3(aws: Aws, tree: Path, proxy: FaultProxy) -> None:
    started = time.monotonic()
    run = aws.cli(tree, "--endpoint-url", proxy.url, "--timeout", "5", "--format", "json", ".", timeout=90)
    elapsed = time.monotonic() - started
    assert run.code == 3, run.err
    assert elapsed < 45
    assert "region us-east-1" in run.err
    assert "not checked" in run.err
    findings = [(f["rule"], f["line"]) for f in json.loads(run.out)["findings"]]
    assert findings == [("YSL401", 6), ("YSL106", 7)]  # the healthy region and the offline finding kept
    bad_requests = [fault for region, fault in proxy.requests if region == "us-east-1"]
    if proxy.faults["us-east-1"] != "stall":
        assert len(bad_requests) >= 2  # retried


def test_sarif_says_the_run_did_not_succeed(aws: Aws, tree: Path) -> None:
    server = FaultProxy(aws.url, {"us-east-1": "503"}).start()
    try:
        run = aws.cli(tree, "--endpoint-url", server.url, "--timeout", "5", "--format", "sarif", ".", timeout=90)
    finally:
        server.stop()
    assert run.code == 3
    invocation = json.loads(run.out)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False

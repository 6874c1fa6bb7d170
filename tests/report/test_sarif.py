"""SARIF 2.1.0: valid against the OASIS schema, what code scanning needs, no secret in it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SCHEMAS, RunCli, write
from tests.fakes import expand_with_values
from yamlsecretlint import catalog
from yamlsecretlint.model import Finding, Span
from yamlsecretlint.report import Result, render

SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"


def validate(log: dict[str, Any]) -> None:
    import jsonschema

    errors = list(jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).iter_errors(log))
    assert errors == [], [e.message for e in errors[:5]]


def test_examples_sarif_is_valid_and_holds_no_secret(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    run = cli("--format", "sarif", "examples/")
    assert run.code == 1
    log = json.loads(run.out)
    validate(log)
    for secret in ("AKIAQ3EGUR7XK2MWPN4D", "k9Vx2mQ7rT4w", "Autumn2024!"):
        assert secret not in run.out
    assert "snippet" not in run.out
    [sarif_run] = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "yamlsecretlint"
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(catalog.load())
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["help"]["markdown"]
        assert rule["helpUri"].startswith(driver["informationUri"] + "/blob/v")
        assert rule["helpUri"].endswith(".yaml")
        assert "security" in rule["properties"]["tags"]
        assert isinstance(rule["properties"]["security-severity"], str)
        assert rule["properties"]["precision"]
    for result in sarif_run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("examples/")
        assert location["region"]["startLine"] >= 1
        assert len(result["partialFingerprints"]["primaryLocationLineHash"]) == 32
    assert sarif_run["invocations"][0]["executionSuccessful"] is True


def test_suppressed_findings_are_left_out_or_kept_marked(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Code scanning opens an alert for every result it is given, suppressions or not.
    text, values = expand_with_values(
        "token: <fake:password>\npassword: <fake:password>  # yamlsecretlint: ignore\napi_key: <fake:password>\n"
    )
    write(tmp_path, "app.yaml", text)
    monkeypatch.chdir(tmp_path)
    baseline = cli("--write-baseline", "base.json", "--select", "YSL106", "app.yaml")
    assert baseline.code == 0
    write(tmp_path, "app.yaml", text.replace("token:", "secret:"))  # a new finding on line 1
    run = cli("--format", "sarif", "--baseline", "base.json", "app.yaml")
    log = json.loads(run.out)
    validate(log)
    [result] = log["runs"][0]["results"]
    assert "suppressions" not in result
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    marked = cli("--format", "sarif", "--sarif-suppressed", "--baseline", "base.json", "app.yaml")
    log = json.loads(marked.out)
    validate(log)
    results = {r["locations"][0]["physicalLocation"]["region"]["startLine"]: r for r in log["runs"][0]["results"]}
    assert results[1]["suppressions"] == []  # all results have the property, or none (SARIF 3.27.23)
    assert [s["kind"] for s in results[2]["suppressions"]] == ["inSource"]  # no status: accepted
    assert [s["kind"] for s in results[3]["suppressions"]] == ["external"]
    for value in values:
        assert value not in run.out + marked.out
    assert run.code == marked.code == 1  # the unsuppressed one


def _finding(i: int) -> Finding:
    return Finding("YSL106", "plaintext", "error", f"f{i}.yaml", Span(1, 1, 1, 2), "k", "m", f"{i:032x}")


def test_online_failure_marks_the_run_unsuccessful() -> None:
    log = json.loads(render("sarif", Result([_finding(1)], [], 1, ("region eu-west-1: 1 secret(s) not checked",))))
    validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "not checked" in invocation["toolExecutionNotifications"][0]["message"]["text"]


@pytest.mark.slow
def test_stays_under_githubs_result_limit() -> None:
    from yamlsecretlint.report import sarif

    log = json.loads(render("sarif", Result([_finding(i) for i in range(sarif.MAX_RESULTS + 3)], [], 1)))
    assert len(log["runs"][0]["results"]) == sarif.MAX_RESULTS
    assert "only the first" in json.dumps(log["runs"][0]["invocations"])


def test_paths_are_relative_to_the_repository_root(cli: RunCli, in_subfolder: Path) -> None:
    log = json.loads(cli("--format", "sarif", ".").out)
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "sub/dir/app.yaml"
    )


HOSTILE_NAMES = [
    "co:lon.yaml", "hash#.yaml", "query?.yaml", "space name.yaml", "per%25cent.yaml", "new\nline.yaml",
    "tab\t.yaml", "back\\slash.yaml", "é-ünïcode.yaml", "semi;colon.yaml", "[brackets].yaml", "at@.yaml",
    "amp&.yaml",
]  # fmt: skip


def test_hostile_file_names_are_valid_uris(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    from urllib.parse import unquote

    monkeypatch.chdir(tmp_path)
    for name in HOSTILE_NAMES:
        write(tmp_path, f"d/{name}", expand_with_values("password: <fake:password>\n")[0])
    run = cli("--format", "sarif", "d")
    log = json.loads(run.out)
    validate(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert sorted(unquote(uri) for uri in uris) == sorted(f"d/{name}" for name in HOSTILE_NAMES)
    for uri in uris:
        assert re.fullmatch(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+", uri), uri

"""--fix and --diff: each fixable rule's fix, re-linted; bytes outside the spans never change."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import RunCli, write
from tests.fakes import expand_with_values
from tests.helpers import lint_text
from yamlsecretlint import catalog

#: (rule, file, text before, text after): one per fixable rule.
CASES = [
    (
        "YSL201",
        "io_config.yaml",
        "default:\n  # the caching client\n  A: \"{{ aws_secrets_var('prod/db') }}\"  # keep\n",
        "default:\n  # the caching client\n  A: \"{{ aws_secret_var('prod/db') }}\"  # keep\n",
    ),
    (
        "YSL203",
        "spicepod.yaml",
        "kind: Spicepod\nversion: v1\nname: p\ndatasets:\n  - from: x\n    params:\n      pw: '${{ env.PW }}'\n",
        "kind: Spicepod\nversion: v1\nname: p\ndatasets:\n  - from: x\n    params:\n      pw: '${env:PW}'\n",
    ),
    (
        "YSL206",
        "template.yaml",
        "Resources:\n  Db:\n    Properties:\n      P: '{{resolve:secretmanager:prod/db:SecretString:pw}}'\n",
        "Resources:\n  Db:\n    Properties:\n      P: '{{resolve:secretsmanager:prod/db:SecretString:pw}}'\n",
    ),
    (
        "YSL207",
        ".github/workflows/ci.yml",
        'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo "${{ secret.TOKEN }}"\n',
        'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo "${{ secrets.TOKEN }}"\n',
    ),
    (
        "YSL303",
        "task.yaml",
        "Secret: arn:aws:secretsmanager:eu-west-1b:123456789012:secret:prod/db-AbCdEf\n",
        "Secret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf\n",
    ),
]


def test_every_fixable_rule_has_a_case() -> None:
    assert {rule.id for rule in catalog.load().values() if rule.fix} == {case[0] for case in CASES}


@pytest.mark.parametrize(("rule", "name", "before", "after"), CASES, ids=[c[0] for c in CASES])
def test_fix_then_relint(
    rule: str, name: str, before: str, after: str, tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "project", name, before)
    found = lint_text(tmp_path / "check", name, before)
    assert rule in {f.rule for f in found}
    monkeypatch.chdir(tmp_path / "project")
    diff = cli("--diff", "--no-gitignore", ".")
    assert diff.code == 1
    assert diff.out.startswith(f"--- a/{name}\n+++ b/{name}\n")
    assert path.read_text(encoding="utf-8") == before  # --diff writes nothing
    run = cli("--fix", "--no-gitignore", "--format", "json", ".")
    assert "fixed 1 finding(s) in 1 file(s)" in run.err
    assert path.read_bytes() == after.encode()
    again = {(f.rule, f.span.line) for f in lint_text(tmp_path / "again", name, after)}
    assert again == {(f.rule, f.span.line) for f in found if f.rule != rule}  # gone, and nothing new


def test_bom_crlf_and_utf16_are_kept(tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    _, name, before, after = CASES[2]
    crlf = write(tmp_path, "a/" + name, codecs.BOM_UTF8 + before.replace("\n", "\r\n").encode())
    wide = write(tmp_path, "b/" + name, codecs.BOM_UTF16_LE + before.encode("utf-16-le"))
    monkeypatch.chdir(tmp_path)
    run = cli("--fix", "--no-gitignore", ".")
    assert "fixed 2 finding(s) in 2 file(s)" in run.err
    assert crlf.read_bytes() == codecs.BOM_UTF8 + after.replace("\n", "\r\n").encode()
    assert wide.read_bytes() == codecs.BOM_UTF16_LE + after.encode("utf-16-le")


def test_no_fix_where_the_text_is_written_otherwise(
    tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An escape inside the replaced text: the value reads 'secretmanager', the file does not say it."""
    text = 'Resources:\n  Db:\n    Properties:\n      P: "{{resolve:secret\\x6danager:prod/db:SecretString:pw}}"\n'
    path = write(tmp_path, "template.yaml", text)
    monkeypatch.chdir(tmp_path)
    run = cli("--fix", "--no-gitignore", ".")
    assert "fixed 0 finding(s)" in run.err
    assert run.code == 1  # the finding stays
    assert path.read_text(encoding="utf-8") == text


def test_a_diff_line_never_shows_a_secret(tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    text, values = expand_with_values(
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - run: curl -u admin:<fake:password> \"${{ secret.TOKEN }}\" -H 'X-Key: <fake:token>'\n"
    )
    write(tmp_path, ".github/workflows/ci.yml", text)
    monkeypatch.chdir(tmp_path)
    run = cli("--diff", "--no-gitignore", ".")
    assert "secrets.TOKEN" in run.out
    for value in values:
        assert value not in run.out + run.err


_FILLER = st.lists(
    st.sampled_from(["# a comment\n", "\n", "other: 'value'  # c\n", "x: [1, 2]\n", "y: |\n  block\n"]), max_size=6
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=_FILLER, tail=_FILLER, crlf=st.booleans(), case=st.sampled_from([c for c in CASES if c[0] != "YSL203"]))
def test_fixing_changes_nothing_outside_the_spans(
    tmp_path_factory: pytest.TempPathFactory, head: list[str], tail: list[str], crlf: bool, case: tuple[str, ...]
) -> None:
    from yamlsecretlint import fixes
    from yamlsecretlint.engine import Linter, Settings
    from yamlsecretlint.model import FileRef

    _, name, before, after = case
    lines = before.splitlines(keepends=True)
    # Filler goes before and after the whole document (top-level keys), never inside its nesting.
    text = "".join(head) + "".join(lines) + "".join(tail)
    expected = "".join(head) + after + "".join(tail)
    if crlf:
        text, expected = text.replace("\n", "\r\n"), expected.replace("\n", "\r\n")
    root = tmp_path_factory.mktemp("prop")
    path = write(root, name, text)
    result = Linter(Settings()).lint(FileRef(path, name, "yaml"))
    fixes.apply(result.findings, {name: path}, write=True)
    assert path.read_bytes() == expected.encode()

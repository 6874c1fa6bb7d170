"""The command line: formats, exit codes, options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.fakes import aws_access_key_id, password

K = aws_access_key_id()


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(
        tmp_path,
        "mage/io_config.yaml",
        "version: 0.1.1\ndefault:\n  # {{ env_var('UNUSED') }}\n"
        f"  AWS_ACCESS_KEY_ID: {K}\n"
        "  AWS_SECRET_ACCESS_KEY: {{ aws_secret_var('aws_secret_access_key') }}\n"
        "  POSTGRES_PASSWORD: {{ json_value(aws_secret_var('db'), 'password') }}\n",
    )
    write(tmp_path, ".env", f"# deploy\nexport AWS_KEY={K}\n")
    write(tmp_path, "broken.yaml", "a: 1\nb: [1, 2\nc: 3\n")
    write(tmp_path, "clean.yml", "a: 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_json_report_of_a_tree(cli: RunCli, tree: Path) -> None:
    run = cli("--format", "json", ".")
    assert run.code == 1
    data = run.json()
    assert data["version"] == 1
    assert data["summary"] == {"files": 4, "findings": 3}
    got = [(f["rule"], f["path"], f["line"], f["column"], f["end_column"], f["key"]) for f in data["findings"]]
    assert got == [
        ("YSL101", ".env", 2, 16, 36, "AWS_KEY"),
        ("YSL901", "broken.yaml", 3, 2, 3, ""),
        ("YSL101", "mage/io_config.yaml", 4, 22, 42, "default.AWS_ACCESS_KEY_ID"),
    ]
    first = data["findings"][0]
    assert list(first) == [
        "rule", "category", "severity", "path", "line", "column",
        "end_line", "end_column", "key", "message", "fingerprint",
    ]  # fmt: skip
    assert K not in run.out
    assert K not in run.err


def test_text_report(cli: RunCli, tree: Path) -> None:
    run = cli("mage", ".env")
    assert run.code == 1
    assert run.out.splitlines() == [
        ".env:2:16: YSL101 error: AWS access key id AKIA… (20 chars) written in plaintext; keep the file out of git"
        " (add it to .gitignore; commit a .env.example with a placeholder) and set the value in the deploy"
        " environment or load it from AWS Secrets Manager [AWS_KEY]",
        "mage/io_config.yaml:4:22: YSL101 error: AWS access key id AKIA… (20 chars) written in plaintext; store it in"
        " AWS Secrets Manager and write \"{{ aws_secret_var('aws_access_key_id') }}\" [default.AWS_ACCESS_KEY_ID]",
        "Found 2 findings in 2 files (2 files checked).",
    ]
    assert "\033[" not in run.out


def test_clean_file_exits_0(cli: RunCli, tree: Path) -> None:
    run = cli("clean.yml")
    assert (run.code, run.out) == (0, "No findings (1 file checked).\n")


def test_output_file(cli: RunCli, tree: Path) -> None:
    run = cli("--format", "json", "--output", "report.json", ".env")
    assert (run.code, run.out) == (1, "")
    assert json.loads((tree / "report.json").read_text())["summary"]["findings"] == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--format", "xml"], "invalid choice"),
        (["--jobs", "0"], "--jobs"),
        (["--select", "nope"], "--select: 'NOPE' is not a rule id"),
        (["--ignore", "YSL999"], "--ignore: unknown rule YSL999"),
        (["does-not-exist.yaml"], "does-not-exist.yaml: no such file or directory"),
        (["--max-file-size", "lots"], "--max-file-size"),
        (["--output", "no/such/dir/report.json", "clean.yml"], "--output"),
    ],
)
def test_usage_errors_exit_2_with_one_line(cli: RunCli, tree: Path, argv: list[str], message: str) -> None:
    run = cli(*argv)
    assert run.code == 2
    assert message in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert run.out == ""


def test_select_and_ignore(cli: RunCli, tree: Path) -> None:
    assert {f["rule"] for f in cli("--format", "json", "--select", "YSL9").json()["findings"]} == {"YSL901"}
    assert {f["rule"] for f in cli("--format", "json", "--ignore", "YSL1,YSL901").json()["findings"]} == set()


def test_explicit_file_with_any_name_is_yaml(cli: RunCli, tree: Path) -> None:
    write(tree, "config.txt", f"key: {K}\n")
    data = cli("--format", "json", "config.txt").json()
    assert [(f["rule"], f["key"]) for f in data["findings"]] == [("YSL101", "key")]


def test_version_and_help(cli: RunCli) -> None:
    from yamlsecretlint import __version__

    run = cli("--version")
    assert (run.code, run.out.strip()) == (0, f"yamlsecretlint {__version__}")
    assert cli("--help").code == 0


def test_color_only_on_a_tty(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yamlsecretlint import console as cli_module

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert cli_module.use_color(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli_module.use_color(Tty())


def test_jobs_give_the_same_result(cli: RunCli, tree: Path) -> None:
    for i in range(60):
        write(tree, f"many/f{i:02}.yaml", f"k{i}: {aws_access_key_id()}\n" if i % 7 == 0 else f"k{i}: v\n")
    one = cli("--format", "json", "--jobs", "1", ".")
    two = cli("--format", "json", "--jobs", "2", ".")
    assert one.out == two.out
    assert one.json()["summary"] == {"files": 64, "findings": 12}
    # Folders with configurations of their own: each worker lints each file with its own settings.
    write(tree, "many/.yamlsecretlint.yaml", "severity: {YSL101: warning}\n")
    one = cli("--format", "json", "--jobs", "1", ".")
    two = cli("--format", "json", "--jobs", "2", ".")
    assert one.out == two.out
    severities = {f["path"].split("/")[0]: f["severity"] for f in two.json()["findings"]}
    assert severities["many"] == "warning"
    assert "error" in {f["severity"] for f in two.json()["findings"]}


def test_json_report_is_what_json_dumps_writes(tmp_path: Path) -> None:
    """The JSON report is built a finding at a time; it is byte for byte the one-document dump."""
    import json as jsonlib

    from yamlsecretlint.model import Finding, LocatedReference, Reference, Span
    from yamlsecretlint.report import Result
    from yamlsecretlint.report import json as report

    finding = Finding("YSL101", "plaintext", "error", "a.yaml", Span(1, 2, 3, 4), "k.é", 'say "x"', "f" * 32)
    found = LocatedReference(Reference("mage", "aws-secretsmanager", "db"), "a.yaml", Span(1, 2, 1, 9), "k")
    for result in (Result([finding, finding], [found], 3), Result([], [], 0), Result([finding], [], 1)):
        document: dict[str, object] = {"version": 1, "findings": [report.finding_dict(f) for f in result.findings]}
        summary: dict[str, int] = {"files": result.files, "findings": len(result.findings)}
        if result.references:
            document["references"] = [report.reference_dict(r) for r in result.references]
            summary["references"] = len(result.references)
        document["summary"] = summary
        assert report.render(result) == jsonlib.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_show_files_and_the_skipped_count(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "app.yml.j2", "a: 1\n")
    write(tmp_path, "package-lock.json", '{"lockfileVersion": 3}')
    shown = cli("--show-files", ".")
    assert shown.code == 0
    assert shown.out.splitlines() == [
        "lint  app.yml.j2 (yaml)",
        "skip  package-lock.json: JSON without CloudFormation, ECS or Docker markers in its first 64 KB",
    ]
    run = cli(".")
    assert run.out.strip() == "No findings (1 file checked, 1 skipped: --show-files lists them)."
    assert cli("--format", "json", ".").json()["summary"] == {"files": 1, "findings": 0, "skipped": 1}


def test_warnings_are_marked_and_fail_only_when_strict(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ".yamlsecretlint.yaml", "severity:\n  YSL106: warning\n")
    write(tmp_path, "app.yaml", f"db:\n  password: {password()}\n")
    run = cli("app.yaml")
    assert run.code == 0
    assert run.out.startswith("app.yaml:2:13: YSL106 warning: value of secret-named key")
    assert cli("--strict", "app.yaml").code == 1


def test_ecosystem_conventions(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "app.yaml", f"db:\n  password: {password()}\n  token: {password()}\n")
    assert cli("--exit-zero", "app.yaml").code == 0
    quiet = cli("--quiet", "app.yaml")
    assert quiet.code == 1
    assert len(quiet.out.splitlines()) == 2
    assert "Found" not in quiet.out
    stats = cli("--statistics", "--quiet", "app.yaml")
    assert stats.out.splitlines()[-1].split() == ["2", "YSL106", "secret-named-key"]
    assert "\033[" in cli("--color", "always", "app.yaml").out
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\033[" in cli("app.yaml").out
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli("app.yaml").out.startswith("::error file=app.yaml,line=2")
    assert cli("--format", "text", "app.yaml").out.startswith("app.yaml:2:")


def test_standard_input_is_read_as_the_name_given(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.chdir(tmp_path)
    data = f"DB_PASSWORD={password()}\n".encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    run = cli("--stdin-filename", "deploy/.env", "-")
    assert run.code == 1
    assert run.out.startswith("deploy/.env:1:13: YSL106 error:")
    assert cli("--stdin-filename", "x.yaml", "app.yaml").code == 2


def test_did_you_mean(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("--formt", "json", ".")
    assert run.code == 2
    assert "did you mean --format?" in run.err
    write(tmp_path, ".yamlsecretlint.yaml", "selcet: [YSL1]\n")
    run = cli(".")
    assert run.code == 2
    assert "did you mean 'select'?" in run.err
    assert len(run.err.strip().splitlines()) == 1

"""Hostile input: a clear finding or message, never a traceback, within 5 s and 200 MB each."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write

LIMIT_SECONDS = 5.0
LIMIT_MB = 200
# VmHWM, not ru_maxrss: the latter carries the forking parent's peak across exec.
_WRAPPER = (
    "import sys\n"
    "from yamlsecretlint.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "peak = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
    "sys.stderr.write(f'\\nPEAK_KB={peak}\\n')\n"
    "sys.exit(code)\n"
)


def bounded(cwd: Path, *argv: str) -> tuple[int, dict[str, Any], str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, "--format", "json", "--jobs", "1", *argv],
        cwd=cwd,
        capture_output=True,
        timeout=60,
        env=env,
    )
    elapsed = time.monotonic() - started
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    peak_mb = int(err.rsplit("PEAK_KB=", 1)[1].split()[0]) / 1024
    assert elapsed < LIMIT_SECONDS, f"{elapsed:.1f} s"
    assert peak_mb < LIMIT_MB, f"{peak_mb:.0f} MB"
    out = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc.returncode, out, err


def rules(out: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in out.get("findings", [])}


YAML_CASES: dict[str, bytes] = {
    "billion-laughs": (
        "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 12))
    ).encode(),
    "deep-flow-sequence": b"[" * 10_000 + b"]" * 10_000,
    "deep-flow-mapping": b"{a: " * 10_000 + b"1" + b"}" * 10_000,
    "deep-block-sequence": "".join(" " * i + "-\n" for i in range(0, 20_000, 2)).encode(),
    "deep-block-mapping": "".join(" " * i + f"k{i}:\n" for i in range(10_000)).encode(),
    "wide-mapping": "".join(f"key{i}: value{i}\n" for i in range(100_000)).encode(),
    "huge-scalar": b"k: " + b"x" * (4_900_000) + b"\n",
    "one-megabyte-line": b"k: [" + b"a, " * 350_000 + b"b]\n",
    "unknown-tags": b"a: !Custom thing\nb: !!weird 1\nc: !<tag:example.com,2000:x> y\n",
    "duplicate-keys": b"a: 1\na: 2\na: 3\n",
    "tab-indentation": b"a:\n\tb: 1\n",
    "only-comments": b"# one\n# two\n",
    "empty": b"",
    "crlf": b"a: 1\r\nb: 2\r\n",
    "cr-only": b"a: 1\rb: 2\r",
    "utf16-bom": codecs.BOM_UTF16_LE + "a: é\n".encode("utf-16-le"),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_hostile_yaml(tmp_path: Path, case: str) -> None:
    write(tmp_path, f"{case}.yaml", YAML_CASES[case])
    code, out, _ = bounded(tmp_path, ".")
    assert code in (0, 1)
    assert rules(out) <= {"YSL901", "YSL903"}


def test_unsafe_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    payload = (
        f"a: !!python/object/apply:os.system ['touch {marker}']\n"
        f"b: !!python/object/new:subprocess.call [['touch', '{marker}']]\n"
        f"c: !!python/name:os.system\n"
    )
    write(tmp_path, "evil.yaml", payload)
    code, _, _ = bounded(tmp_path, ".")
    assert code == 0
    assert not marker.exists()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("nul.yaml", b"a: 1\x00\x00", "YSL903"),
        ("latin1.yaml", b"a: caf\xe9\n", "YSL903"),
        ("bad-utf16.yaml", codecs.BOM_UTF16_LE + b"\x00\xd8", "YSL903"),
    ],
)
def test_unreadable_bytes(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    write(tmp_path, name, data)
    code, out, _ = bounded(tmp_path, ".")
    assert (code, rules(out)) == (1, {expected})


DOTENV_CASES = {
    "unterminated": b'A="open\nB=2\n',
    "export-alone": b"export\nexport \n",
    "odd-keys": b"K-E.Y=1\n\xc3\xa9=2\n=3\n  =x\n",
    "many-lines": b"".join(f"KEY_{i}=value{i}\n".encode() for i in range(10_000)),
}


@pytest.mark.parametrize("case", sorted(DOTENV_CASES))
def test_hostile_dotenv(tmp_path: Path, case: str) -> None:
    write(tmp_path, f"{case}.env", DOTENV_CASES[case])
    code, out, _ = bounded(tmp_path, ".")
    assert code in (0, 1)
    assert rules(out) <= {"YSL902"}


def test_hostile_file_system(tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", "a: 1\n")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "again").symlink_to(tmp_path / "loop")
    (tmp_path / "self.yaml").symlink_to(tmp_path / "self.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    write(tmp_path, "x.yaml/inner.yml", "b: 2\n")
    write(tmp_path, "big.yaml", b"k: " + b"y" * 2_000)
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.yaml"
    with open(raw, "wb") as fh:
        fh.write(b"a: 1\n")
    code, out, err = bounded(tmp_path, "--max-file-size", "1k", ".")
    assert code == 1
    reported = {(f["path"], f["rule"]) for f in out["findings"]}
    assert reported == {
        ("self.yaml", "YSL903"),
        ("pipe.yaml", "YSL903"),
        ("big.yaml", "YSL903"),
    }, (reported, err)
    assert out["summary"]["files"] == 6


def test_file_vanishing_and_unreadable_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yamlsecretlint.engine import Linter, Settings
    from yamlsecretlint.files import Walker

    write(tmp_path, "gone.yaml", "a: 1\n")
    write(tmp_path, "locked.yaml", "a: 1\n")
    found = Walker(cwd=str(tmp_path)).collect(["."])
    (tmp_path / "gone.yaml").unlink()
    real_open = os.open

    def deny(path: str | Path, flags: int, *args: int) -> int:
        if str(path).endswith("locked.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)  # root reads a chmod 000 file: the denial is simulated
    linter = Linter(Settings())
    messages = {ref.display: linter.lint(ref).findings[0].message for ref in found.files}
    assert "No such file" in messages["gone.yaml"]
    assert "Permission denied" in messages["locked.yaml"]

"""The C walker (sources/_walker.c) against its Python reference (YamlSource._walk_python).

Every text here is walked twice, gated as a run gates and with every scalar
wanted, once by each walker; the scalars, the errors and the bookkeeping the
comments and template passes read afterwards must be equal. Where the
extension is not built (no libyaml headers or compiler at install) these
tests skip and say so; the product then runs the reference itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from tests.conftest import REPO, SHARED
from tests.fakes import expand
from tests.test_engine import SPELLED, TRICKY
from tests.test_properties import FUZZ, YAMLISH
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.model import Interest
from yamlsecretlint.sources import native
from yamlsecretlint.sources.yaml import YamlSource

BUILT = native.WALKER
pytestmark = pytest.mark.skipif(BUILT is None, reason="the C walker is not built here (no libyaml headers?)")

GATE = Linter(Settings()).interest
EVERYTHING = Interest(everything=True)

#: Texts that reach the walker's rare paths: errors of each kind, anchors, BOM, pairs, templates.
HOSTILE = {
    "bom": "\ufeffversion: 1\ncommon:\n  password: hunter2hunter2\n",
    "bom-broken": "\ufeffa: 1\nb:\n  - x\n  y: 2\n",
    "reader": "a: 1\nb: \x07bell\n",
    "scanner": "a: 'unterminated\n",
    "parser": "a: [1, 2\nb: 3\n",
    "undefined-alias": "a: *nowhere\n",
    "aliases": "base: &b {password: s3cr3t-value}\npassword: *b\nlist: [&x one, *x]\n? *b\n: v\n",
    "complex-key": "? [a, b]\n: token\n? {password: x}\n: y\n",
    "pairs": "env:\n  - value: v1-secret-value\n    name: DB_PASSWORD\n  - value: alone\n  - name: X\n    value: y\n",
    "root": "12345678901234567890\n",
    "multi": "---\na: &a 1\n...\n---\nb: *a\n",
    "non-ascii": "clé: «valeur» 🙂\npassword: pässwörd-123\n",
    "escapes": 'k: "\\x41KIA\\u0041 tab\\t"\n',
    "templated": "password: {{ env_var('PW') }}\nurl: \"{{ x }}\"\n{{- if y }}\nz: 1\n{{- end }}\n",
    "templated-broken": "a: {{ b\nc: }}\nd: [1\n",
    "flow-deep": "[" * 200 + "]" * 200 + "\n",
    "empty": "",
    "comments": "a: 'x # not a comment'\n# password: hunter22\nb: c # trailing\n",
}


@contextmanager
def _walker(module: Any) -> Iterator[None]:
    saved = native.WALKER
    native.WALKER = module
    try:
        yield
    finally:
        native.WALKER = saved


def _walk(text: str, interest: Interest) -> tuple[Any, ...]:
    source = YamlSource(text)
    scalars = list(source.scalars(interest))
    return (
        scalars,
        source.errors,
        source._broken,
        sorted(source.used_templates),
        sorted(source._inside),
        source._doc,
        source._parsed_to,
        source._last_end,
    )


def _same(text: str) -> None:
    for interest in (GATE, EVERYTHING):
        with _walker(None):
            reference = _walk(text, interest)
        with _walker(BUILT):
            compiled = _walk(text, interest)
        assert compiled == reference, f"the C walker differs ({'everything' if interest.everything else 'gated'})"


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_inputs(name: str) -> None:
    _same(SPELLED.get(name, str)(expand(TRICKY[name])))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_inputs(name: str) -> None:
    _same(HOSTILE[name])


def test_key_paths() -> None:
    """Keys the C walker joins itself (one `.` between) and keys it hands to keypaths.key_segment
    (a dot, a bracket, a quote, any blank of any script, empty): the same paths either way."""
    keys = ["a", "é", "\U0001f600", "a.b", "a[0]", "a]", 'a"b', "a'b", "a b", "a\tb", "a\u00a0b", "a\u2028b"]
    keys += ["a\u3000b", "a\x1cb", "", "-", "0", "\u00e9\u20ac"]
    for outer in keys:
        for inner in keys:
            text = json.dumps({outer: [{inner: {"password": "x"}}], "x": {inner: "y"}}, ensure_ascii=False)
            _same(text)


def test_errors_are_pyyamls_own() -> None:
    """The message, marks and class a YSL901 is made from come out as PyYAML's CParser gives them."""
    with _walker(BUILT):
        errors = [YamlSource(HOSTILE[name]) for name in ("scanner", "parser", "undefined-alias", "reader")]
        for source in errors:
            list(source.scalars())
    messages = [source.errors[0].message for source in errors]
    assert "found unexpected end of stream" in messages[0]
    assert "started at line" in messages[1]
    assert "undefined alias" in messages[2]
    assert "U+0007" in messages[3]


@FUZZ
@given(YAMLISH)
def test_random_text(text: str) -> None:
    _same(text)


def _corpus_files(root: Path) -> list[Path]:
    return [p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix.lower() in (".yml", ".yaml")]


def test_repository_files() -> None:
    files = [*_corpus_files(REPO / "examples"), *_corpus_files(REPO / "rules"), REPO / "action.yml"]
    assert len(files) > 100
    for path in files:
        _same(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("corpus", ["real", "wild"])
def test_corpora(corpus: str) -> None:
    root = SHARED / "corpus" / corpus
    if not root.is_dir():
        pytest.skip(f"corpus not present at {root} (a user's clone)")
    files = _corpus_files(root)
    assert len(files) > 100
    for path in files:
        _same(path.read_text(encoding="utf-8", errors="replace"))


def test_turned_off_by_the_environment() -> None:
    code = "from yamlsecretlint.sources import compiled, native; print(native.WALKER is compiled.MARKS is None)"
    for value, expected in (("python", "True"), ("", "False")):
        env = {**os.environ, "YAMLSECRETLINT_WALKER": value}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == expected


@pytest.mark.slow
def test_a_failed_compile_leaves_a_working_wheel(tmp_path: Path) -> None:
    """No C compiler: the wheel is built without the extensions and lints with the references."""
    # A copy without build products: an extension built before would be packaged as it is.
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "rules", source / "rules")
    shutil.copytree(REPO / "yamlsecretlint", source / "yamlsecretlint", ignore=shutil.ignore_patterns("*.so", "__py*"))
    env = {**os.environ, "CC": "/bin/false", "LDSHARED": "/bin/false"}
    argv = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)]
    subprocess.run([*argv, str(source)], env=env, check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("yamlsecretlint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert not [n for n in archive.namelist() if n.endswith((".so", ".pyd"))]
        archive.extractall(tmp_path / "site")
    (tmp_path / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    code = "from yamlsecretlint.sources import compiled, native; print(native.WALKER is compiled.MARKS is None)"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    out = subprocess.run([sys.executable, "-P", "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"

"""Our dotenv grammar reads every file exactly as python-dotenv's own parser does.

python-dotenv is a test dependency only: these tests are the proof that
replacing its parser (for its cost, not its grammar) changed nothing.
"""

from __future__ import annotations

import io
from itertools import pairwise
from pathlib import Path

import pytest
from dotenv.parser import parse_stream
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, SHARED
from yamlsecretlint.files import kind_of
from yamlsecretlint.sources.dotenv_grammar import bindings

Parsed = list[tuple[str | None, str | None, str, bool]]


def theirs(text: str) -> Parsed:
    return [(b.key, b.value, b.original.string, b.error) for b in parse_stream(io.StringIO(text))]


def ours(text: str) -> Parsed:
    return [(b.key, b.value, text[b.start : b.end], b.error) for b in bindings(text)]


def _dotenv_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and kind_of(p.name) == "dotenv")


CASES = [
    "",
    "A=1",
    "A=1\nB=2\n",
    "export A=1\n",
    "export  A = 'x y' # c\n",
    'A="line one\nline two"\n',
    'A="esc \\" \\n \\t \\\\ \\u00e9"\n',
    "A='it\\'s'\n",
    "A=unquoted # comment\n",
    "A=x#not-a-comment\n",
    "A\n",
    "A B=1\n",
    "=1\n",
    "'quoted key'=1\n",
    "'open=1\n",
    'A="open\n',
    "A='x' trailing\n",
    "\r\nA=1\r\nB=2\r",
    "\n\n  \n# only a comment\n\n",
    "export \n",
    "export",
    "A=\nB=\t\n",
    "  # indented comment\nA=1",
    "A=1 \\\nB=2\n",
    "\x0bA=1\x0c\n\x85B=2\u2028C=3\n",
    "{% if prod %}\nA=1\n{% endif %}\n",
    # python-dotenv 1.2.4: a note after `= ` is a comment, `=#` a value; `\\` before a quote; a BOM.
    "KEY= # openssl rand -hex 32\nB=#novalue\nC=\t#tab\n",
    "A=\"ends with \\\\\"\nB='x\\\\'\n",
    "\ufeffA=1\nB=2\n",
]


@pytest.mark.parametrize("text", CASES)
def test_same_as_python_dotenv(text: str) -> None:
    assert ours(text) == theirs(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"AB=#'\"\\ \t\r\nxe$ {}\x85\u2028", "export ", "\\n"]), max_size=30))
def test_same_as_python_dotenv_on_generated_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert ours(text) == theirs(text)


def test_spans_tile_the_text() -> None:
    text = "A=1\n\n# c\nbroken line\nB='x\ny'\n"
    spans = [(b.start, b.end) for b in bindings(text)]
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text)
    assert all(end == start for (_, end), (start, _) in pairwise(spans))


def test_every_dotenv_file_of_the_tests_and_examples() -> None:
    files = _dotenv_files(REPO / "examples") + _dotenv_files(REPO / "tests")
    assert files, "no dotenv files found to compare"
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert ours(text) == theirs(text), path


@pytest.mark.parametrize("corpus", ["real", "wild"])
def test_every_dotenv_file_of_the_corpora(corpus: str) -> None:
    root = SHARED / "corpus" / corpus
    if not root.is_dir():
        pytest.skip(f"corpus not present at {root} (a user's clone)")
    files = _dotenv_files(root)
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert ours(text) == theirs(text), path

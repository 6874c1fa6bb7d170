"""The C text scans (sources/_marks.c) against their Python references.

``Needles.scan`` must give what :meth:`Marker._each` gives, sorted, and
``hash_starts`` what ``hash_starts_python`` gives, for texts of each string
width: ASCII, Latin-1, two-byte and four-byte characters around the needles.
Where the extension is not built these tests skip and say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import REPO, SHARED
from tests.fakes import expand
from tests.test_engine import SPELLED, TRICKY
from tests.test_properties import FUZZ, YAMLISH
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.sources import compiled
from yamlsecretlint.sources.comments import hash_starts, hash_starts_python
from yamlsecretlint.sources.marks import Marker

pytestmark = pytest.mark.skipif(compiled.MARKS is None, reason="the C scans are not built here (no C compiler?)")


def _marker() -> Marker:
    marker = Linter(Settings()).interest.marker
    assert isinstance(marker, Marker)
    return marker


MARKER = _marker()
#: Characters of every width, put around the texts: the C loop reads each width apart.
WIDTHS = ("", "é", "€", "\U0001f600")


def _same(text: str) -> None:
    for wide in WIDTHS:
        for variant in (text, f"{wide}{text}", f"{text}{wide}#", f"#{wide} {text.replace(' ', wide + ' ')}"):
            assert MARKER.scan(variant) == sorted(MARKER._each(variant))
            assert hash_starts(variant) == hash_starts_python(variant)


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_inputs(name: str) -> None:
    _same(SPELLED.get(name, str)(expand(TRICKY[name])))


def test_edges() -> None:
    """A needle at the very start and end, cut short by the end, overlapping itself, one character long."""
    marker = Marker(["ab", "abc", "b", "bb", "x${"])
    for text in ("", "a", "ab", "abc", "bbb", "ab#ab", "x$", "x${", "é x${ #", "\U0001f600bb"):
        assert marker.scan(text) == sorted(marker._each(text)), text
        assert hash_starts(text) == hash_starts_python(text)
    assert marker.scan("bbb") == [(0, marker.bits(["b"])), (1, marker.bits(["b"])), (2, marker.bits(["b"]))]


@FUZZ
@given(YAMLISH)
def test_random_yaml(text: str) -> None:
    _same(text)


@FUZZ
@given(st.text(alphabet=st.sampled_from("#$ {}\t\n_-:=aAghps€é\U0001f600"), max_size=80))
def test_random_characters(text: str) -> None:
    _same(text)


def _files(root: Path) -> list[Path]:
    return [p for p in sorted(root.rglob("*")) if p.is_file()]


@pytest.mark.parametrize("where", ["repository", "real", "wild"])
def test_files(where: str) -> None:
    if where == "repository":
        files = [*_files(REPO / "examples"), *_files(REPO / "rules"), *_files(REPO / "yamlsecretlint")]
    else:
        root = SHARED / "corpus" / where
        if not root.is_dir():
            pytest.skip(f"corpus not present at {root} (a user's clone)")
        files = _files(root)
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert MARKER.scan(text) == sorted(MARKER._each(text)), path
        assert hash_starts(text) == hash_starts_python(text), path

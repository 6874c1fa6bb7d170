"""The C text scans (sources/_marks.c) against their Python references.

``Needles.scan`` must give what :meth:`Marker._each` gives, sorted,
``hash_starts`` what ``hash_starts_python`` gives, and ``comments`` the
scalars and spans ``comments_python`` gives (gated, everything, unmarked; some
``#`` inside scalars; the whole text and a prefix), for texts of each string
width: ASCII, Latin-1, two-byte and four-byte characters around the needles.
Where the extension is not built these tests skip and say so.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes import expand
from tests.helpers import texts_of
from tests.test_engine import SPELLED, TRICKY
from tests.test_properties import FUZZ, YAMLISH
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.model import Interest
from yamlsecretlint.sources import compiled, facts
from yamlsecretlint.sources.comments import comments, comments_python, hash_starts, hash_starts_python
from yamlsecretlint.sources.frames import MAX_DEPTH, _flow_depth, too_deep_python
from yamlsecretlint.sources.marks import Marker

pytestmark = pytest.mark.skipif(compiled.MARKS is None, reason="the C scans are not built here (no C compiler?)")


def _marker() -> Marker:
    marker = Linter(Settings()).interest.marker
    assert isinstance(marker, Marker)
    return marker


MARKER = _marker()
OTHER = Marker(["ghp_", "kind"])
GATES = (Linter(Settings()).interest, Interest(everything=True), Interest())


def _same_comments(text: str) -> None:
    starts = hash_starts_python(text)
    inside = set(starts[1::3])  # as if every third `#` were inside a scalar
    found = MARKER.scan(text)
    marks = [at for at, _ in found]
    for gate in GATES:
        for bits in ([bit for _, bit in found], None):
            for limit in (len(text), len(text) // 2):
                spans: list[tuple[int, int]] = []
                reference: list[tuple[int, int]] = []
                got = list(comments(text, limit, starts, inside, gate, marks, bits, spans))
                assert got == list(comments_python(text, limit, starts, inside, gate, marks, bits, reference))
                assert spans == reference


#: Characters of every width, put around the texts: the C loop reads each width apart.
WIDTHS = ("", "é", "€", "\U0001f600")


def _same_depth(text: str) -> None:
    """The C depth scan against the reference's pieces at small depths, and against the reference at MAX_DEPTH."""
    assert compiled.MARKS is not None
    for depth in (1, 2, 3, 5):
        lines = re.match(f"[ \\t?:-]{{{depth}}}", text) or re.search(f"\\n[ \\t?:-]{{{depth}}}", text)
        expected = _flow_depth(text) > depth or lines is not None
        assert compiled.MARKS.too_deep(text, depth) == expected, (text, depth)
    assert compiled.MARKS.too_deep(text, MAX_DEPTH) == too_deep_python(text)


#: The literals the linter asks of whole texts, and some that overlap, repeat or end a text.
LITERALS = ("{{", "{%", "{#", "Secret", "SecretStore", "\napiVersion:", "kind:", "${{", "allowlist", "a", "aa", "#")


def _same_facts(text: str) -> None:
    """facts.holds answers as `in` does, for a text met once and met again; and the marks the same
    scan finds for the partner marker are the marker's own."""
    copy = "".join(list(text))  # a text the scan has not met
    for _ in range(2):
        for literal in LITERALS:
            assert facts.holds(copy, literal) == (literal in copy), (copy, literal)
    facts.partner(MARKER)
    other = text + "\n# other"  # a new object: short strings may be shared
    assert facts.marks_of(other, MARKER) is None  # not scanned yet: the marker scans it itself
    assert facts.holds(other, "kind:") == ("kind:" in other)
    assert MARKER._compiled is not None
    own = MARKER._compiled.scan(other)  # held equal to the reference by _same
    assert facts.marks_of(other, MARKER) == own
    assert facts.marks_of(other, OTHER) is None  # another marker's needles were not looked for
    assert MARKER.scan(other) == own


def test_marks_come_from_the_literal_scan() -> None:
    """A text the literals were scanned for is not scanned again for the marker's triggers."""
    marker = _marker()
    text = "kind: Secret\ntoken: ghp_" + "x" * 36 + "\n"
    marker.scan("a: 1\n")  # the marker becomes the partner of the next scans
    assert facts.holds(text, "kind:")  # (a literal first asked about is answered with `in`)
    assert facts.holds(text, "kind:")

    class Counting:
        def __init__(self, inner: object) -> None:
            self.inner, self.calls = inner, 0

        def scan(self, text: str) -> object:
            self.calls += 1
            return self.inner.scan(text)  # type: ignore[attr-defined]

    counting = Counting(marker._compiled)
    marker._compiled = counting
    assert marker.scan(text) == sorted(marker._each(text))
    assert counting.calls == 0
    assert marker.scan(text + "x") == sorted(marker._each(text + "x"))  # a text the literals were not scanned for
    assert counting.calls == 1


def test_facts_learn_literals() -> None:
    """A literal first asked about mid-text is answered, and then scanned for; past the cap, `in` answers."""
    text = "kind: Secret\napiVersion: v1\n"
    for literal in ("{{", "kind:"):
        assert facts.holds(text, literal) == (literal in text)
    for fresh in ("Secret\napi", "v2", "zzz-never-asked"):
        assert facts.holds(text, fresh) == (fresh in text)
        assert facts.holds(text, "kind:")
        assert facts.holds(text, fresh) == (fresh in text)
        assert facts.holds(text + "v2", fresh) == (fresh in text + "v2")
    saved = dict(facts._bits)
    try:
        for index in range(facts.MAX_LITERALS + 2):
            assert facts.holds(text, f"n{index}") is False
        assert len(facts._bits) == facts.MAX_LITERALS
        assert facts.holds(text, "apiVersion: v1")
    finally:
        facts._bits.clear()
        facts._bits.update(saved)
        facts._scanner = None


def _same(text: str) -> None:
    _same_facts(text)
    for wide in WIDTHS:
        for variant in (text, f"{wide}{text}", f"{text}{wide}#", f"#{wide} {text.replace(' ', wide + ' ')}"):
            assert MARKER.scan(variant) == sorted(MARKER._each(variant))
            assert hash_starts(variant) == hash_starts_python(variant)
            _same_comments(variant)
            _same_depth(variant)


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


def test_depth_edges() -> None:
    """Runs and nestings at the very start, after the last line break, one short, broken by another
    character, closed before opened, of every width."""
    deep = " -?:\t" * MAX_DEPTH
    nested = "[{" * MAX_DEPTH
    for wide in WIDTHS:
        texts = [deep, f"a\n{deep}", f"a\n{deep[: MAX_DEPTH - 1]}", f"{wide}{deep}"]
        texts += [f"a\n{deep[:250]}{wide}{deep[:250]}"]
        texts += [nested, nested[: MAX_DEPTH - 1], f"]}}{nested[:MAX_DEPTH]}", f"{nested[:300]}]]{wide}{nested[:300]}"]
        texts += [f"{nested[:MAX_DEPTH]}{wide}]{nested[:1]}", "}" * MAX_DEPTH + nested[:MAX_DEPTH]]
        for text in texts:
            _same_depth(text)
            _same_depth(text.replace("\n", "\r"))


@FUZZ
@given(YAMLISH)
def test_random_yaml(text: str) -> None:
    _same(text)


def test_commented_keys() -> None:
    """The C test in front of the regex never drops what the regex would take."""
    keys = ["password", "- password", "export password", "- export 'password'", '"api.token" ', "pass word"]
    texts = [f"a: 1\n# {key}{sep} x\n" for key in keys for sep in (":", "=", " :", "\x1c=")]
    texts += ["# - - password: x\n", "#: x\n", "# é password: x\n", "# x, password: y\n", "#\tpassword\t=\tv\n"]
    for text in texts:
        _same_comments(text)


@FUZZ
@given(st.text(alphabet=st.sampled_from("#$ {}[]\t\n\r_-:=?aAghps€é\U0001f600\x1c\"'"), max_size=80))
def test_random_characters(text: str) -> None:
    _same(text)


@pytest.mark.parametrize("where", ["repository", "real", "wild"])
def test_files(where: str) -> None:
    for path, text in texts_of(where, "yamlsecretlint"):
        assert MARKER.scan(text) == sorted(MARKER._each(text)), path
        assert hash_starts(text) == hash_starts_python(text), path
        _same_comments(text)
        _same_depth(text)
        _same_facts(text)

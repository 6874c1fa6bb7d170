"""sources.marks: every trigger found where it is written, with its own bit, both ways.

A marker finds needles with str.find until it has scanned enough text to pay
for compiling its patterns; each test runs both ways (compile_after=0: the
patterns from the first text on).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes import FAKES
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.sources.marks import Marker, _holding_none, needle_of

WAYS = pytest.mark.parametrize("compile_after", [1 << 16, 0], ids=["find", "patterns"])


def _found(marker: Marker, text: str) -> dict[int, int]:
    return dict(marker.scan(text))


def _bits_over(marker: Marker, text: str, start: int, size: int) -> int:
    total = 0
    for at, bit in marker.scan(text):
        if start <= at < start + size:
            total |= bit
    return total


@WAYS
def test_each_trigger_is_found_where_it_is_with_its_bit(compile_after: int) -> None:
    marker = Marker(["ghp_", "glpat-", "${", "arn:", "AKIA"], compile_after)
    text = "a: ghp_x\nb: glpat-y\nc: ${Z}\nd: arn:aws\ne: AKIA"
    found = marker.scan(text)
    assert [at for at, _ in found] == sorted(at for at, _ in found)
    for trigger in ("ghp_", "glpat-", "${", "arn:", "AKIA"):
        start = text.index(trigger)
        bits = [bit for at, bit in found if start <= at < start + len(trigger)]
        assert bits == [marker.bits([trigger])], trigger


@WAYS
def test_needles_ending_on_the_same_anchor_both_get_their_bit(compile_after: int) -> None:
    # One regex branch matches per position: the other needle must still be told.
    marker = Marker(["xa_b", "a_bc"], compile_after)
    assert _bits_over(marker, "q xa_bc q", 2, 5) == marker.bits(["xa_b", "a_bc"])


@WAYS
def test_a_trigger_with_a_blank_is_found_by_its_longest_piece(compile_after: int) -> None:
    # Folding turns "Basic\n  dXNlcg==" into "Basic dXNlcg==": the text holds no "Basic ".
    assert needle_of("Basic ") == "Basic"
    marker = Marker(["Basic "], compile_after)
    assert _found(marker, "auth: >\n  Basic\n  dXNlcg==\n")


@WAYS
def test_a_needle_that_holds_another_shares_its_bit(compile_after: int) -> None:
    marker = Marker(["${", "${ssm"], compile_after)
    assert marker.bits(["${ssm"]) == marker.bits(["${"])
    assert len(marker.scan("x: ${ssm:/a}")) == 1


@WAYS
def test_needles_behind_a_common_anchor_are_told_apart(compile_after: int) -> None:
    # Enough needles end on "-" for the trie's class gate; prefixes nest (sk-, sk-ant-).
    needles = ["glpat-", "glcbt-", "gldt-", "xoxb-", "xoxp-", "sk-", "tk-us-", "sk-ant-", "-atlas", "pplx-"]
    marker = Marker(needles, compile_after)
    text = "x glpat-1 sk-ant-2 xoxp-3 re-use xoxa- -atlas a-b tk-us-4 pplx-"
    for needle in needles:
        start = text.find(needle)
        if start < 0:
            continue
        held = [bit for at, bit in marker.scan(text) if start <= at < start + len(needle)]
        assert any(bit & marker.bits([needle]) for bit in held), needle
    marked = {at for at, _ in marker.scan(text)}
    assert text.index("re-use") + 2 not in marked
    assert text.index("a-b") + 1 not in marked


NEEDLES = st.lists(st.text("ab-_.", min_size=2, max_size=6), min_size=1, max_size=12)


@given(st.lists(st.text("ab-_.", min_size=1, max_size=6), max_size=20, unique=True))
def test_the_needles_kept_are_those_that_hold_no_other(needles: list[str]) -> None:
    needles.sort()
    assert _holding_none(needles) == [n for n in needles if not any(o != n and o in n for o in needles)]


@WAYS
@given(NEEDLES, st.text("ab-_. ", max_size=80))
def test_every_occurrence_is_marked_and_every_mark_is_an_occurrence(
    compile_after: int, needles: list[str], text: str
) -> None:
    marker = Marker(needles, compile_after)
    found = marker.scan(text)
    for needle in set(needles):
        bit = marker.bits([needle])
        for start in (i for i in range(len(text)) if text.startswith(needle, i)):
            assert any(b & bit for at, b in found if start <= at < start + len(needle)), (needle, start)
    for at, bits in found:
        covering = {n for n in needles if any(text.startswith(n, s) for s in range(at - len(n) + 1, at + 1) if s >= 0)}
        assert bits & ~_or_bits(marker, covering) == 0, (at, bits)


def _or_bits(marker: Marker, needles: set[str]) -> int:
    total = 0
    for needle in needles:
        total |= marker.bits([needle])
    return total


@WAYS
def test_every_check_trigger_of_the_catalogue_is_found_in_its_fake(compile_after: int) -> None:
    built = Linter(Settings()).interest.marker
    assert isinstance(built, Marker)
    marker = Marker(built.needles, compile_after)
    rng = random.Random(7)
    for kind in ("github-pat", "gitlab-pat", "slack-bot-token", "stripe-live", "google-api-key", "npm-token",
                 "pypi-token", "sendgrid", "twilio-api-key", "huggingface", "digitalocean", "anthropic"):  # fmt: skip
        value = FAKES[kind](rng)
        assert marker.scan(f"key: {value}\n"), kind

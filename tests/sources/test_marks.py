"""sources.marks: every trigger found where it is written, with its own bit."""

from __future__ import annotations

import random

from tests.fakes import FAKES
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.sources.marks import Marker, needle_of


def _found(marker: Marker, text: str) -> dict[int, int]:
    return dict(marker.scan(text))


def test_each_trigger_is_found_at_its_anchor_with_its_bit() -> None:
    marker = Marker(["ghp_", "glpat-", "${", "arn:", "AKIA"])
    text = "a: ghp_x\nb: glpat-y\nc: ${Z}\nd: arn:aws\ne: AKIA"
    found = marker.scan(text)
    assert [at for at, _ in found] == sorted(at for at, _ in found)
    for trigger in ("ghp_", "glpat-", "${", "arn:", "AKIA"):
        start = text.index(trigger)
        bits = [bit for at, bit in found if start <= at < start + len(trigger)]
        assert bits == [marker.bits([trigger])], trigger


def test_needles_ending_on_the_same_anchor_both_get_their_bit() -> None:
    # One regex branch matches per position: the other needle must still be told.
    marker = Marker(["xa_b", "a_bc"])
    assert set(_found(marker, "q xa_bc q").values()) == {marker.bits(["xa_b", "a_bc"])}


def test_a_trigger_with_a_blank_is_found_by_its_longest_piece() -> None:
    # Folding turns "Basic\n  dXNlcg==" into "Basic dXNlcg==": the text holds no "Basic ".
    assert needle_of("Basic ") == "Basic"
    marker = Marker(["Basic "])
    assert _found(marker, "auth: >\n  Basic\n  dXNlcg==\n")


def test_a_needle_that_holds_another_shares_its_bit() -> None:
    marker = Marker(["${", "${ssm"])
    assert marker.bits(["${ssm"]) == marker.bits(["${"])
    assert len(marker.scan("x: ${ssm:/a}")) == 1


def test_every_check_trigger_of_the_catalogue_is_found_in_its_fake() -> None:
    marker = Linter(Settings()).interest.marker
    assert marker is not None
    rng = random.Random(7)
    for kind in ("github-pat", "gitlab-pat", "slack-bot-token", "stripe-live", "google-api-key", "npm-token",
                 "pypi-token", "sendgrid", "twilio-api-key", "huggingface", "digitalocean", "anthropic"):  # fmt: skip
        value = FAKES[kind](rng)
        assert marker.scan(f"key: {value}\n"), kind

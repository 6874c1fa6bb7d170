from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from yamlsecretlint.references.cloudformation import resources_line

_REFERENCE = re.compile(r"^Resources:\s*$", re.M)
#: Pieces that make and break the line: line ends of every kind, blanks re and str both count, others.
_PIECES = st.sampled_from(["Resources:", "Resources", ":", "\n", "\r", "\r\n", " ", "\t", "\x0b", "\x1c", "\u2028",
                           "\u3000", "\xa0", "x", "  Resources:", "#", "\x00"])  # fmt: skip


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_a_resources_line_is_found_as_the_multiline_regex_finds_it(text: str) -> None:
    assert resources_line(text) == (_REFERENCE.search(text) is not None)


def test_a_resources_line() -> None:
    assert resources_line("AWSTemplate: x\nResources:\n  Bucket:\n")
    assert resources_line("Resources:   \r\n")
    assert resources_line("Resources:")
    assert not resources_line("  Resources:\n")  # indented: a key of something else
    assert not resources_line("Resources: {}\n")
    assert not resources_line("x: Resources:\nResources: a\n")

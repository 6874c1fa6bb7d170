from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.helpers import lint_text
from yamlsecretlint.sources.text import Unreadable, decode


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "k: é\n".encode(),
        codecs.BOM_UTF16_LE + "k: é\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "k: é\n".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "k: é\n".encode("utf-32-le"),
    ],
)
def test_decodes_byte_order_marks(data: bytes) -> None:
    assert decode(data) == "k: é\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"k: \xff\xfe\xfa\n", "not valid UTF-8"),
        (b"k: v\x00\x00", "binary file"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "not valid UTF-16"),
    ],
)
def test_unreadable(data: bytes, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        decode(data)


def test_too_large_is_ysl903(tmp_path: Path) -> None:
    [finding] = lint_text(tmp_path, "big.yaml", "k: " + "x" * 100 + "\n", max_file_size=50)
    assert finding.rule == "YSL903"
    assert "larger than --max-file-size" in finding.message
    assert (finding.span.line, finding.span.column) == (1, 1)

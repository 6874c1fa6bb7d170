from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.helpers import lint_text
from yamlsecretlint.sources import text
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


@pytest.mark.parametrize("told", [0, 5, 11, 12, 40])
@pytest.mark.parametrize("limit", [3, 11, 12, 1 << 21])
def test_reads_the_whole_file_whatever_stat_said(tmp_path: Path, told: int, limit: int) -> None:
    """A file that grew or shrank since stat() is read to its end, or to one byte past the limit."""
    data = bytes(range(97, 97 + 12)) * ((1 << 21) // 12 if limit > 12 else 1)
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    assert text._read(path, told, limit) == data[: limit + 1]


def test_a_file_at_the_limit_is_read_and_one_past_it_is_not(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"k: v\n")
    assert text.read_text(path, 5) == "k: v\n"
    with pytest.raises(Unreadable, match="larger than"):
        text.read_text(path, 4)

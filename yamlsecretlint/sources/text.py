"""Read a file into text, or say in one line why it cannot be read."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class Unreadable(Exception):
    """The file is not text we can lint; the message says why, never its content."""


def not_regular(path: str) -> str:
    """Why ``path`` (a name the walk would lint) is not a regular file it can read."""
    link = "a symlink to " if os.path.islink(path) else ""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "dangling symlink" if link else "vanished while being read"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    for test, what in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return f"not a regular file: {link}{what}"
    return f"not a regular file: {link}something else" if link else "not a regular file"


def read_text(path: Path, max_size: int) -> str:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        # Opening a FIFO or a device would block or read forever.
        raise Unreadable(not_regular(str(path)))
    if st.st_size > max_size:
        raise Unreadable(f"larger than --max-file-size ({st.st_size} > {max_size} bytes)")
    try:
        with open(path, "rb") as fh:
            # A buffer of the size stat() gave (read(max_size) would allocate megabytes per file);
            # one byte past it tells whether the file grew since, and then up to the limit.
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += fh.read(max_size + 1 - len(data))
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_size:
        raise Unreadable(f"larger than --max-file-size (> {max_size} bytes)")
    return decode(data)


def encoding_of(data: bytes) -> tuple[bytes, str]:
    """The BOM and codec :func:`decode` reads ``data`` with (to write a fixed file back the same way)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    return b"", "utf-8"


def decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise Unreadable(f"not valid {encoding.upper()} (at byte {exc.start + len(bom)})") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise Unreadable(f"binary file (NUL byte at offset {nul})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None

"""Read a file into text, or say in one line why it cannot be read."""

from __future__ import annotations

import codecs
import os
import stat

from yamlsecretlint.model import StrPath

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


#: Binary on Windows, where a descriptor opens in text mode (CRLF translated, Ctrl-Z an end); the
#: descriptor is not inherited by child processes whatever the platform (PEP 446).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


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


def read_text(path: StrPath, max_size: int) -> str:
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
        data = _read(path, st.st_size, max_size)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_size:
        raise Unreadable(f"larger than --max-file-size (> {max_size} bytes)")
    return decode(data)


def _read(path: StrPath, size: int, max_size: int) -> bytes:
    """The file's bytes to its end, or to one byte past ``max_size``.

    A raw descriptor, not ``open()``: a buffered file object costs a run of
    thousands of small files more than their reading (~6 us a file, an fstat
    and two objects). The first read asks for one byte more than stat() gave,
    so that the usual file is whole after it and one empty read; a file that
    grew since is read on, up to the limit.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        first = os.read(fd, min(size, max_size) + 1)
        more: list[bytes] = []
        got = len(first)
        while got <= max_size:
            # In pieces of at most 1 MiB: os.read allocates what it is asked for.
            chunk = os.read(fd, min(max_size + 1 - got, 1 << 20))
            if not chunk:
                break
            more.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    return b"".join([first, *more]) if more else first


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

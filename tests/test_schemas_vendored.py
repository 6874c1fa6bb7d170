"""The vendored schemas are the upstream files named in tests/schemas/SOURCES.md, byte for byte."""

from __future__ import annotations

import hashlib
import re

from tests.conftest import SCHEMAS


def test_vendored_schemas_match_their_sources() -> None:
    rows = re.findall(
        r"^\| `([^`]+)` \|[^|]+\|[^|]+\|[^|]+\| ([0-9a-f]{64}) \|", (SCHEMAS / "SOURCES.md").read_text(), re.M
    )
    assert len(rows) == 4
    for name, digest in rows:
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == digest, name

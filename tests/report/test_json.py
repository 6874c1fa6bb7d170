"""The JSON report writes what ``json.dumps(…, indent=2, ensure_ascii=False)`` writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from yamlsecretlint.report import json as report

_SCALARS = st.one_of(
    st.text(st.characters(codec=None)),  # every code point, lone surrogates and controls included
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
)
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3), st.dictionaries(st.text(), _SCALARS, max_size=3))


@given(st.dictionaries(st.text(st.characters(codec=None)), _VALUES, max_size=12), st.integers(1, 3))
def test_an_object_is_indented_as_json_dumps_would(value: dict[str, Any], depth: int) -> None:
    expected = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * depth)
    assert report._indented(value, depth) == expected


def test_the_flat_path_takes_the_objects_findings_are() -> None:
    """Findings and references are flat: they never reach json.dumps's per-call encoder."""
    assert report._flat({"rule": "YSL101", "line": 3, "ok": True, "no": False, "commit": None}, "  ") is not None
    assert report._flat({"ratio": 0.5}, "  ") is None
    assert report._flat({"list": []}, "  ") is None

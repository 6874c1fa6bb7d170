"""Key paths written by the walker read back into their keys."""

from __future__ import annotations

import pytest

from yamlsecretlint.sources.keypaths import key_segment, last_key, segments


@pytest.mark.parametrize(
    "keys", [["Resources", "Db", "Properties"], ["a.b", "Fn::Sub", "x y"], ['q"uote', "[", "0"], ["only"]]
)
def test_key_paths_read_back(keys: list[str]) -> None:
    path = ""
    for key in keys:
        path = key_segment(path, key)
    assert segments(path + "[3]") == [*keys, "3"]
    assert last_key(path) == keys[-1]

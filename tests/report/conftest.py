"""Fixtures the report tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write
from tests.fakes import expand_with_values


@pytest.fixture
def in_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a finding in sub/dir/app.yaml, the run started in sub/: reports name it from the root."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, "sub/dir/app.yaml", expand_with_values("password: <fake:password>\n")[0])
    monkeypatch.chdir(tmp_path / "sub")
    return tmp_path

"""Paths as the repository sees them: GitHub places SARIF results and annotations
by their path from the repository root, whichever folder the run started in."""

from __future__ import annotations

import os
import posixpath
from functools import lru_cache

from yamlsecretlint.files import git_root


@lru_cache(maxsize=8)
def _root(start: str) -> str:
    return git_root(start) or start  # not in a repository: paths stay as given


def from_root(path: str) -> str:
    """``path`` (as a finding gives it: relative to the current directory, or absolute) from the repository root.

    A path outside the repository is left as it is.
    """
    start = os.getcwd()
    root = _root(start)
    full = os.path.normpath(os.path.join(start, path))
    rel = os.path.relpath(full, root) if full.startswith(root) else ""
    if not rel or rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return path
    return posixpath.normpath(rel.replace(os.sep, "/"))

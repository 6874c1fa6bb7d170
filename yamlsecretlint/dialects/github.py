"""GitHub Actions workflows and actions: ``${{ secrets.NAME }}`` (checked by references/interpolation.py)."""

from __future__ import annotations

from yamlsecretlint.dialects.base import Dialect, file_name


def _detect(path: str, text: str) -> bool:
    name = file_name(path)
    return "/.github/workflows/" in f"/{path}" or name == "action.yml" or "${{" in text


DIALECT = Dialect(
    "github",
    detect=_detect,
    hint=lambda name: f"store it as a repository secret and write ${{{{ secrets.{name.upper()} }}}}",
)

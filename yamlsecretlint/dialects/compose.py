"""docker-compose files: ``${VAR}`` interpolation from the deploy environment."""

from __future__ import annotations

from yamlsecretlint.dialects.base import Dialect, file_name


def _detect(path: str, text: str) -> bool:
    name = file_name(path)
    return name.startswith(("docker-compose", "compose.")) or ("\nservices:" in text[:4096] and "image:" in text)


DIALECT = Dialect(
    "compose",
    detect=_detect,
    hint=lambda name: f"write ${{{name.upper()}}} and provide it at deploy time (or use a compose secret)",
)

"""What the command says outside its report: exit statuses, one-line messages, colour."""

from __future__ import annotations

import os
import sys
from contextlib import suppress

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_ONLINE = 0, 1, 2, 3


def say(message: str) -> None:
    """One line on standard error, control characters escaped (file names can hold any)."""
    if sys.stderr is None:  # started with standard error closed
        return
    from yamlsecretlint.redact import escape

    with suppress(OSError, ValueError):
        print(f"yamlsecretlint: {escape(message)}", file=sys.stderr)


def use_color(stream: object, choice: str = "auto") -> bool:
    """``--color``, then NO_COLOR / FORCE_COLOR (https://no-color.org, https://force-color.org), then a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())

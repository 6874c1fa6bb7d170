"""dotenv files: read by a framework at start-up; the fix is to keep the file out of git.

The usual fix of a committed ``.env``: ignore it, commit a ``.env.example`` with
placeholders, and give the real value at deploy time.
"""

from __future__ import annotations

from yamlsecretlint.references.dialect import Dialect

DIALECT = Dialect(
    "dotenv",
    hint=lambda name: (
        "keep the file out of git (add it to .gitignore; commit a .env.example with a placeholder) "
        "and set the value in the deploy environment or load it from AWS Secrets Manager"
    ),
)

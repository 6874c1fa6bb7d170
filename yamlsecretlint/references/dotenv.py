"""dotenv files: read by a framework at start-up; the fix is the deploy environment."""

from __future__ import annotations

from yamlsecretlint.references.dialect import Dialect

DIALECT = Dialect(
    "dotenv",
    hint=lambda name: "remove it from the file: set it in the deploy environment or load it from AWS Secrets Manager",
)

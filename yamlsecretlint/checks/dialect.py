"""Which tool reads a file, and so how a secret should be referenced in it."""

from __future__ import annotations

import re

from yamlsecretlint import lazyre, redact
from yamlsecretlint.model import FileKind

_SPICEPOD = lazyre.compile(r"^kind:[ \t]*Spicepod\b", re.M)
#: A Mage secret function called inside {{ … }}: a file that merely mentions one is not Mage's.
_MAGE_CALL = lazyre.compile(r"\{\{-?[^{}]*\b(?:aws_secret_var|mage_secret_var|azure_secret_var)\s*\(")
_CFN_RESOURCES = lazyre.compile(r"^Resources:\s*$", re.M)


def dialect_of(path: str, kind: FileKind, text: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    if kind == "dotenv":
        return "dotenv"
    if name.startswith("io_config.") or ("_secret_var" in text and _MAGE_CALL.search(text)):
        return "mage"
    if name.startswith("spicepod.") or ("Spicepod" in text and _SPICEPOD.search(text)):
        return "spice"
    if name.startswith(("docker-compose", "compose.")) or ("\nservices:" in text[:4096] and "image:" in text):
        return "compose"
    if "/.github/workflows/" in f"/{path}" or name == "action.yml" or "${{" in text:
        return "github"
    # `in` before any multi-line regex: re scans a whole file several times slower than str.find.
    if "AWSTemplateFormatVersion" in text or ("Resources:" in text and _CFN_RESOURCES.search(text)):
        return "cloudformation"
    if (text.startswith("apiVersion:") or "\napiVersion:" in text) and "kind:" in text:
        return "kubernetes"
    return "yaml"


def secret_name_for(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9/_+=.@-]+", "_", key.rsplit(".", 1)[-1]).strip("_").lower() or "my_secret"


def fix_hint(dialect: str, key: str) -> str:
    """How to reference the secret instead, in the file's own dialect."""
    name = redact.name(secret_name_for(key))
    return {
        "mage": f"store it in AWS Secrets Manager and write \"{{{{ aws_secret_var('{name}') }}}}\"",
        "spice": f"store it in AWS Secrets Manager and write ${{aws:{name}}} (an aws_secrets_manager store)",
        "dotenv": "remove it from the file: set it in the deploy environment or load it from AWS Secrets Manager",
        "compose": f"write ${{{name.upper()}}} and provide it at deploy time (or use a compose secret)",
        "github": f"store it as a repository secret and write ${{{{ secrets.{name.upper()} }}}}",
        "cloudformation": f"write {{{{resolve:secretsmanager:{name}:SecretString}}}}",
        "kubernetes": "store it in AWS Secrets Manager and sync it with External Secrets; reference it by secretKeyRef",
    }.get(dialect, "store it in AWS Secrets Manager and reference it")

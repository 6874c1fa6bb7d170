"""Kubernetes manifests (``apiVersion:`` and ``kind:``); Secrets are judged by checks/kubernetes.py."""

from __future__ import annotations

from yamlsecretlint.references.dialect import Dialect


def _detect(path: str, text: str) -> bool:
    return (text.startswith("apiVersion:") or "\napiVersion:" in text) and "kind:" in text


DIALECT = Dialect(
    "kubernetes",
    detect=_detect,
    hint=lambda name: "store it in AWS Secrets Manager and sync it with External Secrets; reference it by secretKeyRef",
)

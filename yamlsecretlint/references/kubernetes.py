"""Kubernetes manifests (``apiVersion:`` and ``kind:``); Secrets are judged by checks/kubernetes.py.

The two operators that bring AWS secrets into a cluster are read as references:

- External Secrets Operator: an ``ExternalSecret`` (or a ``ClusterExternalSecret``'s
  ``externalSecretSpec``) reads ``data[].remoteRef`` and ``dataFrom[].extract``
  (``key``, ``property``, ``version``) through the ``SecretStore`` or
  ``ClusterSecretStore`` its ``secretStoreRef`` names, whose
  ``provider.aws.service`` is ``SecretsManager`` or ``ParameterStore`` and whose
  ``region`` is where it reads (external-secrets, providers/v1/aws: a Secrets
  Manager ``version`` ``uuid/ID`` is a version id, any other a staging label;
  a parameter's is ``name:version``). The store may be in another linted file
  (``resolve``); one found nowhere leaves its references unresolved: listed, not
  checked online. ``dataFrom[].find`` selects secrets by name pattern or tags,
  which are not references.

  The principal each reference is read as (``--principal-arn auto``) is the
  store's: its ``provider.aws.role``, which ESO assumes last, else the IAM role
  of the service account its ``auth.jwt.serviceAccountRef`` names (IRSA: the
  account's ``eks.amazonaws.com/role-arn`` annotation), when that account is
  among the linted files. A store with neither uses the controller's own
  identity, which no manifest of the application says: unknown.
- Secrets Store CSI driver, AWS provider: a ``SecretProviderClass`` with
  ``provider: aws`` lists ``parameters.objects`` (a YAML string) of
  ``objectName`` (a name or an ARN), ``objectType`` (``secretsmanager`` or
  ``ssmparameter``), ``objectVersion`` / ``objectVersionLabel``, read in
  ``parameters.region``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from yamlsecretlint import lazyre
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context
from yamlsecretlint.model import Hit, LocatedReference, Reference, RefHit, Scalar
from yamlsecretlint.references.dialect import Dialect


def _detect(path: str, text: str) -> bool:
    return (text.startswith("apiVersion:") or "\napiVersion:" in text) and "kind:" in text


DIALECT = Dialect(
    "kubernetes",
    detect=_detect,
    hint=lambda name: "store it in AWS Secrets Manager and sync it with External Secrets; reference it by secretKeyRef",
    # A store's (or a SecretProviderClass's) region is its client's; without one, the SDK's chain.
    fixed_region=lambda region, env: region,
    default_region=lambda region, env: "",
    reader="the operator",
)
#: An ExternalSecret whose store is not among the linted files: listed, never checked.
UNRESOLVED = "external-secrets"
_SERVICES = {"SecretsManager": "aws-secretsmanager", "ParameterStore": "ssm"}
_CSI_TYPES = {"secretsmanager": "aws-secretsmanager", "ssmparameter": "ssm"}
_STORE_KINDS = frozenset({"SecretStore", "ClusterSecretStore"})
_EXTERNAL_KINDS = frozenset({"ExternalSecret", "ClusterExternalSecret"})
#: The key paths read, relative to the document (a ClusterExternalSecret's spec is one level deeper).
_WANTED = lazyre.compile(
    r"^(?:kind|metadata\.(?:name|namespace)|metadata\.annotations\[\"eks\.amazonaws\.com/role-arn\"\]"
    r"|spec\.provider(?:\.aws\.(?:service|region|role|auth\.jwt\.serviceAccountRef\.(?:name|namespace)))?"
    r"|spec\.parameters\.(?:region|objects)"
    r"|spec\.(?:externalSecretSpec\.)?(?:secretStoreRef\.(?:name|kind)"
    r"|(?:data\[\d+\]\.remoteRef|dataFrom\[\d+\]\.extract)\.(?:key|property|version)))$"
)


#: A principal still to be found: the role of the service account ``namespace/name``.
SERVICE_ACCOUNT = "serviceaccount:"
_ROLE_ANNOTATION = 'metadata.annotations["eks.amazonaws.com/role-arn"]'


class Store(NamedTuple):
    provider: str
    region: str
    #: The role ARN the store reads as, or SERVICE_ACCOUNT + namespace/name, or "" (unknown).
    principal: str = ""


def _markers(text: str) -> bool:
    return "external-secrets.io" in text or "secrets-store.csi" in text


def documents(scalars: Iterable[Scalar]) -> dict[int, dict[str, Scalar]]:
    """The values the operators' kinds are read from, per YAML document."""
    docs: dict[int, dict[str, Scalar]] = {}
    for scalar in scalars:
        if scalar.role == "value" and _WANTED.match(scalar.key):
            docs.setdefault(scalar.doc, {})[scalar.key] = scalar
    return docs


def stores(docs: dict[int, dict[str, Scalar]]) -> dict[tuple[str, str], Store]:
    """(kind, name) of each AWS SecretStore / ClusterSecretStore declared."""
    found = {}
    for fields in docs.values():
        kind, name = _value(fields, "kind"), _value(fields, "metadata.name")
        service = _value(fields, "spec.provider.aws.service")
        if kind in _STORE_KINDS and name and service:
            provider = _SERVICES.get(service, UNRESOLVED)
            found[(kind, name)] = Store(provider, _value(fields, "spec.provider.aws.region"), _store_principal(fields))
    return found


def _store_principal(fields: dict[str, Scalar]) -> str:
    role = _value(fields, "spec.provider.aws.role")
    if role:
        return role
    account = _value(fields, "spec.provider.aws.auth.jwt.serviceAccountRef.name")
    if not account:
        return ""
    namespace = _value(fields, "spec.provider.aws.auth.jwt.serviceAccountRef.namespace")
    return f"{SERVICE_ACCOUNT}{namespace or _value(fields, 'metadata.namespace')}/{account}"


def service_accounts(docs: dict[int, dict[str, Scalar]]) -> dict[str, str]:
    """The IRSA role of each ServiceAccount declared, by ``namespace/name`` and by ``/name``."""
    found = {}
    for fields in docs.values():
        role = _value(fields, _ROLE_ANNOTATION)
        if _value(fields, "kind") == "ServiceAccount" and role:
            name = _value(fields, "metadata.name")
            found[f"{_value(fields, 'metadata.namespace')}/{name}"] = role
            found.setdefault(f"/{name}", role)
    return found


def principal_of(principal: str, accounts: dict[str, str]) -> str:
    """A store's principal with its service account's role filled in where that account is known."""
    if not principal.startswith(SERVICE_ACCOUNT):
        return principal
    wanted = principal.removeprefix(SERVICE_ACCOUNT)
    return accounts.get(wanted) or accounts.get("/" + wanted.partition("/")[2]) or principal


def _value(fields: dict[str, Scalar], key: str) -> str:
    scalar = fields.get(key)
    return scalar.value.strip() if scalar is not None else ""


class OperatorsCheck(Check):
    """ExternalSecret and SecretProviderClass references (see the module's docstring)."""

    hints: tuple[str, ...] = ()
    roles = frozenset({"value"})

    def applies(self, context: Context) -> bool:
        return context.dialect == "kubernetes" and _markers(context.text)

    def sees_everything(self, context: Context) -> bool:
        return self.applies(context)

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._scalars: list[Scalar] = []

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        if _WANTED.match(scalar.key):
            self._scalars.append(scalar)
        return ()

    def finish(self) -> Iterator[Hit]:
        docs = documents(self._scalars)
        accounts = service_accounts(docs)
        here = {
            key: store._replace(principal=principal_of(store.principal, accounts))
            for key, store in stores(docs).items()
        }
        for fields in docs.values():
            kind = _value(fields, "kind")
            if kind in _EXTERNAL_KINDS:
                self.found.extend(_external(fields, here))
            elif kind == "SecretProviderClass" and _value(fields, "spec.provider") == "aws":
                self.found.extend(_provider_class(fields))
        self._scalars = []
        return iter(())


def _external(fields: dict[str, Scalar], known: dict[tuple[str, str], Store]) -> Iterator[RefHit]:
    prefix = "spec.externalSecretSpec." if _value(fields, "kind") == "ClusterExternalSecret" else "spec."
    store_kind = _value(fields, f"{prefix}secretStoreRef.kind") or "SecretStore"
    store_name = _value(fields, f"{prefix}secretStoreRef.name")
    store = known.get((store_kind, store_name), Store(UNRESOLVED, ""))
    for key_path, scalar in fields.items():
        if not key_path.startswith(prefix) or not key_path.endswith(".key"):
            continue
        base = key_path[: -len("key")]
        name = scalar.value.strip()
        if not name:
            continue
        ref = _reference(store, name, _value(fields, f"{base}property"), _value(fields, f"{base}version"))
        yield RefHit(
            ref._replace(store=f"{store_kind}/{store_name}", principal=store.principal), scalar, 0, len(scalar.value)
        )


def _reference(store: Store, name: str, json_key: str, version: str) -> Reference:
    if store.provider == "ssm":
        return Reference("kubernetes", "ssm", name, version_id=version, region=store.region)
    stage, version_id = ("", version.removeprefix("uuid/")) if version.startswith("uuid/") else (version, "")
    return Reference("kubernetes", store.provider, name, json_key, stage, version_id, store.region)


_OBJECT_FIELD = re.compile(r"^\[(\d+)\]\.(objectName|objectType|objectVersion|objectVersionLabel)$")


def _provider_class(fields: dict[str, Scalar]) -> Iterator[RefHit]:
    """``parameters.objects`` is YAML inside a string: read with the same event walker, offsets kept."""
    from yamlsecretlint.sources.yaml import YamlSource

    objects = fields.get("spec.parameters.objects")
    if objects is None:
        return
    region = _value(fields, "spec.parameters.region")
    entries: dict[str, dict[str, Scalar]] = {}
    for inner in YamlSource(objects.value).scalars():
        match = _OBJECT_FIELD.match(inner.key) if inner.role == "value" else None
        if match:
            entries.setdefault(match.group(1), {})[match.group(2)] = inner
    for entry in entries.values():
        name = entry.get("objectName")
        if name is None or not name.value.strip():
            continue
        text = name.value.strip()
        kind = _value(entry, "objectType") or (text.split(":")[2] if text.startswith("arn:") else "")
        provider = _CSI_TYPES.get(kind) or {"secretsmanager": "aws-secretsmanager", "ssm": "ssm"}.get(kind, "")
        if not provider:
            continue
        label, version = _value(entry, "objectVersionLabel"), _value(entry, "objectVersion")
        if provider == "ssm":
            ref = Reference("kubernetes", "ssm", text, version_id=version or label, region=region)
        else:
            ref = Reference("kubernetes", provider, text, "", label, version, region)
        start = objects.value.find(text, name.start)
        yield RefHit(ref, objects, start, start + len(text))


def resolve(references: list[LocatedReference], read: Iterable[tuple[str, str]]) -> list[LocatedReference]:
    """ExternalSecrets whose store, or whose store's service account, is declared in another linted file.

    ``read`` gives (display path, text) of the linted files that may declare stores or service accounts.
    """
    if not any(_pending(r.reference) for r in references):
        return references
    from yamlsecretlint.sources.yaml import YamlSource

    known: dict[tuple[str, str], Store] = {}
    accounts: dict[str, str] = {}
    for _, text in read:
        docs = documents(YamlSource(text).scalars())
        known.update(stores(docs))
        accounts.update(service_accounts(docs))
    resolved = []
    for found in references:
        ref = found.reference
        if ref.provider == UNRESOLVED:
            kind, _, name = ref.store.partition("/")
            store = known.get((kind, name))
            if store is not None and store.provider != UNRESOLVED:
                version = f"uuid/{ref.version_id}" if ref.version_id else ref.version_stage  # as written
                ref = _reference(store, ref.secret_id, ref.json_key, version)._replace(
                    store=ref.store, principal=store.principal
                )
        if ref.principal.startswith(SERVICE_ACCOUNT):
            ref = ref._replace(principal=principal_of(ref.principal, accounts))
        resolved.append(found._replace(reference=ref))
    return resolved


def _pending(ref: Reference) -> bool:
    return ref.provider == UNRESOLVED or ref.principal.startswith(SERVICE_ACCOUNT)


def texts(paths: Iterable[tuple[str, Path]]) -> Iterator[tuple[str, str]]:
    """(display, text) of the files that can declare a store or an IRSA role, read again only if they mention one."""
    from yamlsecretlint.sources.text import Unreadable, read_text

    for display, path in paths:
        try:
            text = read_text(path, 1 << 24)
        except Unreadable:
            continue
        if "SecretStore" in text or "eks.amazonaws.com/role-arn" in text:
            yield display, text


def make(rules: list[Rule]) -> list[Check]:
    return [OperatorsCheck()] if any(r.id == "YSL202" for r in rules) else []

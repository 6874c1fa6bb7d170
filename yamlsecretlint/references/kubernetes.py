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

import json
from collections.abc import Iterable, Iterator, Sequence

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context
from yamlsecretlint.model import Declared, Hit, LocatedReference, Reference, RefHit, Scalar
from yamlsecretlint.model import SecretStore as Store
from yamlsecretlint.references.dialect import Dialect
from yamlsecretlint.sources.facts import holds


def _detect(path: str, text: str) -> bool:
    return (text.startswith("apiVersion:") or holds(text, "\napiVersion:")) and holds(text, "kind:")


DIALECT = Dialect(
    "kubernetes",
    detect=_detect,
    hint=lambda name: "store it in AWS Secrets Manager and sync it with External Secrets; reference it by secretKeyRef",
    # A store's (or a SecretProviderClass's) region is its client's; without one, the SDK's chain.
    fixed_region=lambda region, env: region,
    default_region=lambda region, env: "",
    reader="the operator",
)
#: An ExternalSecret whose store is not among the linted files: listed, never checked (YSL210).
UNRESOLVED = "external-secrets"
#: A store found, of a provider no backend reads.
OTHER = "external-secrets-other"
#: Where documents() keeps the key under ``spec.provider`` (a store's provider).
PROVIDER_KIND = "spec.provider:"
_SERVICES = {"SecretsManager": "aws-secretsmanager", "ParameterStore": "ssm"}
#: The enumerations of a remoteRef / extract that the ExternalSecret CRD declares (external-secrets,
#: apis/externalsecrets/v1/externalsecret_types.go): the API server rejects any other value.
ENUMS = {
    "decodingStrategy": ("None", "Base64", "Base64URL", "Auto"),
    "conversionStrategy": ("Default", "Unicode"),
    "metadataPolicy": ("None", "Fetch"),
}
_CSI_TYPES = {"secretsmanager": "aws-secretsmanager", "ssmparameter": "ssm"}
_STORE_KINDS = frozenset({"SecretStore", "ClusterSecretStore"})
_EXTERNAL_KINDS = frozenset({"ExternalSecret", "ClusterExternalSecret"})
#: The key paths read, relative to the document (a ClusterExternalSecret's spec is one level deeper).
_WANTED = lazyre.compile(
    r"^(?:kind|metadata\.(?:name|namespace)|metadata\.annotations\[\"eks\.amazonaws\.com/role-arn\"\]"
    r"|spec\.provider(?:\.aws\.(?:service|region|role|auth\.jwt\.serviceAccountRef\.(?:name|namespace)))?"
    r"|spec\.parameters\.(?:region|objects)"
    r"|spec\.(?:externalSecretSpec\.)?(?:secretStoreRef\.(?:name|kind)"
    r"|data\[\d+\]\.secretKey"
    r"|(?:data\[\d+\]\.remoteRef|dataFrom\[\d+\]\.extract)\.(?:key|property|version|" + "|".join(ENUMS) + r")))$"
)
#: A store's provider, read from the key under ``spec.provider`` (``aws``, ``vault``, …).
_PROVIDER_KEY = lazyre.compile(r"^spec\.provider\.[A-Za-z0-9]+$")
#: ESO's other providers, as the providers of references are named here.
_OTHER_PROVIDERS = {"vault": "vault", "azurekv": "azure-keyvault", "gcpsm": "gcp", "doppler": "doppler"}


#: A principal still to be found: the role of the service account ``namespace/name``.
SERVICE_ACCOUNT = "serviceaccount:"
_ROLE_ANNOTATION = 'metadata.annotations["eks.amazonaws.com/role-arn"]'


def _markers(text: str) -> bool:
    return holds(text, "external-secrets.io") or holds(text, "secrets-store.csi")


def documents(scalars: Iterable[Scalar]) -> dict[int, dict[str, Scalar]]:
    """The values the operators' kinds are read from, per YAML document."""
    docs: dict[int, dict[str, Scalar]] = {}
    for scalar in scalars:
        if scalar.role == "value" and _WANTED.match(scalar.key):
            docs.setdefault(scalar.doc, {})[scalar.key] = scalar
        elif scalar.role == "key" and _PROVIDER_KEY.match(scalar.key):
            docs.setdefault(scalar.doc, {})[PROVIDER_KIND] = scalar
    return docs


def stores(docs: dict[int, dict[str, Scalar]]) -> dict[tuple[str, str], Store]:
    """(kind, name) of each AWS SecretStore / ClusterSecretStore declared."""
    found = {}
    for fields in docs.values():
        kind, name = _value(fields, "kind"), _value(fields, "metadata.name")
        if kind not in _STORE_KINDS or not name:
            continue
        service = _value(fields, "spec.provider.aws.service")
        if service:
            provider = _SERVICES.get(service, OTHER)
            found[(kind, name)] = Store(provider, _value(fields, "spec.provider.aws.region"), _store_principal(fields))
        elif _value(fields, PROVIDER_KIND):
            # A store of another provider: its references are found, and read by no backend here.
            found[(kind, name)] = Store(_OTHER_PROVIDERS.get(_value(fields, PROVIDER_KIND), OTHER), "")
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
    roles = frozenset({"value", "key"})

    def applies(self, context: Context) -> bool:
        return context.dialect == "kubernetes" and _markers(context.text)

    def sees_everything(self, context: Context) -> bool:
        return self.applies(context)

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._scalars: list[Scalar] = []

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        if _WANTED.match(scalar.key) or (scalar.role == "key" and _PROVIDER_KEY.match(scalar.key)):
            self._scalars.append(scalar)
        return ()

    def finish(self) -> Iterator[Hit]:
        docs = documents(self._scalars)
        accounts = service_accounts(docs)
        here = {
            key: store._replace(principal=principal_of(store.principal, accounts))
            for key, store in stores(docs).items()
        }
        hits: list[Hit] = []
        for fields in docs.values():
            kind = _value(fields, "kind")
            if kind in _EXTERNAL_KINDS:
                self.found.extend(_external(fields, here))
                hits.extend(_malformed_external(fields))
            elif kind == "SecretProviderClass" and _value(fields, "spec.provider") == "aws":
                for found in _provider_class(fields):
                    if isinstance(found, Hit):
                        hits.append(found)
                    else:
                        self.found.append(found)
        self._scalars = []
        return iter(hits)


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
        # With metadataPolicy Fetch, `property` names a tag of the secret, not a JSON key of its value.
        fetch = _value(fields, f"{base}metadataPolicy") == "Fetch"
        json_key = "" if fetch else _value(fields, f"{base}property")
        ref = _reference(store, name, json_key, _value(fields, f"{base}version"))
        yield RefHit(
            ref._replace(store=f"{store_kind}/{store_name}", principal=store.principal), scalar, 0, len(scalar.value)
        )


def _reference(store: Store, name: str, json_key: str, version: str) -> Reference:
    if store.provider == "ssm":
        return Reference("kubernetes", "ssm", name, json_key, version_id=version, region=store.region)
    stage, version_id = ("", version.removeprefix("uuid/")) if version.startswith("uuid/") else (version, "")
    return Reference("kubernetes", store.provider, name, json_key, stage, version_id, store.region)


_OBJECT_FIELD = lazyre.compile(
    r"^\[(\d+)\]\.(objectName|objectType|objectVersion|objectVersionLabel|jmesPath\[(\d+)\]\.(?:path|objectAlias))$"
)
#: A JMESPath that names one top-level key (bare or quoted): what the online check can look for.
_ONE_KEY = lazyre.compile(r'^(?:([A-Za-z_][A-Za-z0-9_]*)|"((?:[^"\\]|\\.)*)")$')


def _provider_class(fields: dict[str, Scalar]) -> Iterator[RefHit | Hit]:
    """``parameters.objects`` is YAML inside a string: read with the same event walker, offsets kept.

    Each object is validated as the AWS provider does before it reads anything
    (secrets-store-csi-driver-provider-aws, provider/secret_descriptor.go
    ``validateSecretDescriptor``, ``validateObjectName``); a ``jmesPath`` must parse
    (provider/secret_value.go runs go-jmespath, the same grammar as Python's jmespath).
    """
    from yamlsecretlint.sources.yaml import YamlSource

    objects = fields.get("spec.parameters.objects")
    if objects is None:
        return
    region = _value(fields, "spec.parameters.region")
    entries: dict[str, dict[str, Scalar]] = {}
    paths: dict[str, dict[str, dict[str, Scalar]]] = {}
    for inner in YamlSource(objects.value).scalars():
        match = _OBJECT_FIELD.match(inner.key) if inner.role == "value" else None
        if match is None:
            continue
        entries.setdefault(match.group(1), {})
        if match.group(3) is not None:
            entry = paths.setdefault(match.group(1), {}).setdefault(match.group(3), {})
            entry[inner.key.rsplit(".", 1)[1]] = inner
        else:
            entries[match.group(1)][match.group(2)] = inner
    for index, entry in entries.items():
        wrong = _invalid_object(entry, region)
        anchor = entry.get("objectName") or next(iter(entry.values()), None)
        if wrong:
            if anchor is not None:
                yield Hit("YSL209", objects, anchor.start, anchor.end, wrong)
            continue
        yield from _object_references(objects, entry, paths.get(index, {}), region)


def _invalid_object(entry: dict[str, Scalar], region: str) -> str:
    """What the AWS provider rejects in one object, in its words; empty when it accepts it."""
    text = _value(entry, "objectName")
    kind = _value(entry, "objectType")
    if not text:
        return 'objectName is required: the AWS provider rejects the mount ("Object name must be specified")'
    service = text.split(":")[2] if text.startswith("arn:") and text.count(":") >= 5 else ""
    if text.startswith("arn:") and not service:
        return "objectName is not a valid ARN: the AWS provider rejects the mount"
    own_region = text.split(":")[3] if service else ""
    if service and region and own_region != region:
        shown = f"{redact.name(own_region)} is not the class's region {redact.name(region)}"
        return f"the ARN's region {shown}: the AWS provider rejects it"
    if not kind and not service:
        return "objectType is required when objectName is not an ARN: secretsmanager or ssmparameter"
    if kind and kind not in _CSI_TYPES:
        return f"objectType {redact.name(kind)} is not secretsmanager or ssmparameter: the AWS provider rejects it"
    if kind and service and _CSI_TYPES[kind] != ("ssm" if service == "ssm" else "aws-secretsmanager"):
        return "objectType does not match the ARN's service: the AWS provider rejects it"
    if (kind == "ssmparameter" or service == "ssm") and entry.get("objectVersion") and entry.get("objectVersionLabel"):
        return "an ssmparameter takes objectVersion or objectVersionLabel, not both"
    return ""


def _object_references(
    objects: Scalar, entry: dict[str, Scalar], paths: dict[str, dict[str, Scalar]], region: str
) -> Iterator[RefHit | Hit]:
    name = entry["objectName"]
    text = name.value.strip()
    kind = _value(entry, "objectType") or text.split(":")[2]
    provider = _CSI_TYPES.get(kind) or {"secretsmanager": "aws-secretsmanager", "ssm": "ssm"}[kind]
    label, version = _value(entry, "objectVersionLabel"), _value(entry, "objectVersion")
    if provider == "ssm":
        ref = Reference("kubernetes", "ssm", text, version_id=version or label, region=region)
    else:
        ref = Reference("kubernetes", provider, text, "", label, version, region)
    start = objects.value.find(text, name.start)
    yield RefHit(ref, objects, start, start + len(text))
    for path_entry in paths.values():
        path, alias = path_entry.get("path"), path_entry.get("objectAlias")
        if path is None or not path.value.strip() or alias is None or not alias.value.strip():
            what = "path" if path is None or not path.value.strip() else "objectAlias"
            anchor = next(iter(path_entry.values()))
            yield Hit("YSL209", objects, anchor.start, anchor.end, f"a jmesPath entry needs a {what}")
            continue
        wrong = _jmespath_error(path.value.strip())
        if wrong:
            yield Hit("YSL209", objects, path.start, path.end, wrong)
            continue
        one = _ONE_KEY.match(path.value.strip())
        if one:
            key = one.group(1) or json.loads(f'"{one.group(2)}"')
            at = objects.value.find(path.value.strip(), path.start)
            yield RefHit(ref._replace(json_key=key), objects, at, at + len(path.value.strip()))


def _jmespath_error(path: str) -> str:
    """Why a JMESPath expression does not parse (``db-password`` needs quotes: ``'"db-password"'``)."""
    import jmespath
    import jmespath.exceptions

    try:
        jmespath.compile(path)
    except jmespath.exceptions.JMESPathError:
        hint = ' (a key with "-" or other punctuation is quoted: \'"db-password"\')' if "-" in path else ""
        return f"jmesPath {redact.name(path)} is not a JMESPath expression: the AWS provider fails the mount{hint}"
    return ""


def _malformed_external(fields: dict[str, Scalar]) -> Iterator[Hit]:
    """What the API server rejects in an ExternalSecret's remoteRefs (the CRD's required key and enums)."""
    entries: dict[str, dict[str, Scalar]] = {}
    for key_path, scalar in fields.items():
        match = _ENTRY.match(key_path)
        if match:
            entries.setdefault(match.group(1), {})[match.group(2)] = scalar
    for base, entry in entries.items():
        holder = "extract" if base.rsplit(".", 1)[-1].startswith("dataFrom[") else "remoteRef"
        key = entry.get(f"{holder}.key")
        if key is None or not key.value.strip():
            anchor = key or next(iter(entry.values()))
            message = f"{holder}.key is required: the API server rejects the ExternalSecret"
            yield Hit("YSL209", anchor, 0, len(anchor.value), message)
        for field, scalar in entry.items():
            name = field.rsplit(".", 1)[-1]
            allowed = ENUMS.get(name)
            if allowed and scalar.value.strip() not in allowed:
                message = f"{name} must be one of {', '.join(allowed)}: the API server rejects the ExternalSecret"
                yield Hit("YSL209", scalar, 0, len(scalar.value), message)


_ENTRY = lazyre.compile(r"^(.*(?:data|dataFrom)\[\d+\])\.(secretKey|(?:remoteRef|extract)\.\w+)$")


def resolve(references: list[LocatedReference], declared: Iterable[Declared]) -> list[LocatedReference]:
    """ExternalSecrets whose store, or whose store's service account, is declared in another linted file.

    ``declared``: what each linted file declares (:func:`declared`), in the run's order of files.
    """
    if not any(_pending(r.reference) for r in references):
        return references
    known: dict[tuple[str, str], Store] = {}
    accounts: dict[str, str] = {}
    for each in declared:
        known.update(each.stores)
        accounts.update(each.accounts)
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


def may_declare(text: str) -> bool:
    """Whether ``text`` may declare a store or an IRSA role."""
    return holds(text, "SecretStore") or holds(text, "eks.amazonaws.com/role-arn")


def declared(text: str) -> Declared | None:
    """The stores and IRSA service accounts ``text`` declares, or None.

    Asked by each file's lint, in the worker, where the text is at hand: the
    few files that may declare one are parsed again there with every scalar
    built, not read and parsed again by the parent after the workers are done.
    """
    if not may_declare(text):
        return None
    from yamlsecretlint.sources.yaml import YamlSource

    docs = documents(YamlSource(text).scalars())
    found = Declared(stores(docs), service_accounts(docs))
    return found if found.stores or found.accounts else None


def make(rules: list[Rule]) -> list[Check]:
    return [OperatorsCheck()] if any(r.id == "YSL202" for r in rules) else []

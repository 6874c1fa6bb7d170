"""The Parameter Store backend: does each referenced SSM parameter exist, at its version and type?

Served: CloudFormation ``{{resolve:ssm:…}}`` / ``{{resolve:ssm-secure:…}}`` (with
``:version``), ECS ``valueFrom`` parameter names and ARNs, Serverless
``${ssm:/path}``, Copilot ``secrets:`` names. Per region, ``ssm:GetParameters``
with at most 10 names (``name:version`` selectors) a call and **without
decryption**: the type, version and existence are what is read. A String
parameter's value comes back anyway; it is removed from the response the moment
it arrives, as a secret's is. A denied batch falls back to ``ssm:GetParameter``
per parameter. With ``--principal-arn``, ``ssm:GetParameters`` on each
parameter's ARN is simulated for that principal, and for a SecureString under a
customer-managed key (``DescribeParameters``, 50 names a call) ``kms:Decrypt``
on that key, with the context Parameter Store passes.

As the caller, whether it may decrypt a SecureString is inferred, since no
value is decrypted: under the account's AWS managed key, anyone who may read
the parameter may (its key policy allows use through SSM in the account); under
a customer-managed key, ``kms:Decrypt`` is simulated for the caller's own role.
Where that cannot be asked (no ``iam:SimulatePrincipalPolicy``, a root or
federated caller), the parameter is found but its decryption is said unseen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from yamlsecretlint.online.aws import Clients, error_code, error_text, is_denied
from yamlsecretlint.online.plan import Target
from yamlsecretlint.online.secret_keys import facts
from yamlsecretlint.online.verify import DEADLINE_REACHED, NO_ANSWER, RegionResult, RegionVerifier, Status

PROVIDER = "ssm"
#: ssm:GetParameters takes at most 10 names a call.
BATCH = 10
#: DescribeParameters takes at most 50 values a filter, and 50 results a page.
DESCRIBE_BATCH = 50
#: The account's AWS managed key for Parameter Store.
_MANAGED_KEY = "alias/aws/ssm"


def selector(target: Target, account: str = "") -> str:
    """What GetParameters is asked for: the name (or ARN), with ``:version`` when the reference names one.

    An ARN of the caller's own account is asked for by its name, which every endpoint answers;
    another account's (a shared parameter) only by its ARN.
    """
    name = target.secret_id
    if name.startswith("arn:"):
        fields = name.split(":", 5)
        if len(fields) == 6 and fields[4] == account and fields[5].startswith("parameter/"):
            tail = fields[5].removeprefix("parameter")
            name = tail if tail.count("/") > 1 else tail.lstrip("/")
    return f"{name}:{target.version_id}" if target.version_id else name


def _split(wanted: str) -> tuple[str, str]:
    """A selector's name (or ARN) and version ('' when it names none)."""
    if (":" in wanted and not wanted.startswith("arn:")) or wanted.count(":") > 5:
        base, version = wanted.rsplit(":", 1)
        return base, version
    return wanted, ""


def _answers(parameter: dict[str, Any], wanted: str) -> bool:
    """Whether a returned parameter is the one ``wanted`` (name or ARN, ``:version``) asks for."""
    base, version = _split(wanted)
    if base not in (parameter.get("Name"), parameter.get("ARN")):
        return False
    chosen = str(parameter.get("Selector", "")).lstrip(":")
    return not version or version in (chosen, str(parameter.get("Version", "")))


def _ok(parameter: dict[str, Any]) -> Status:
    """What is kept of a returned parameter: its type, and of a String's value (which comes back
    undecrypted anyway) its JSON keys, for an ExternalSecret's ``property`` — the value leaves the
    response at once. A SecureString's is ciphertext here: its keys are not known."""
    value = parameter.pop("Value", None)
    kind = str(parameter.get("Type", ""))
    if kind == "SecureString" or not isinstance(value, str):
        return Status("ok", kind)
    found = facts(value)
    del value
    return Status("ok", kind, keys=found.paths, string_keys=found.string_keys)


class ParameterVerifier(RegionVerifier):
    def __init__(self, clients: Clients, region: str, principal: str | None = None) -> None:
        super().__init__(clients, region)
        self.principal = principal
        #: The caller's own role, once resolved ("" when it cannot be).
        self._caller_role: str | None = None

    def _run(self, targets: Sequence[Target], describe: set[str], account: str, caller: str) -> RegionResult:
        ssm = self.clients.client("ssm", self.region)
        wanted = list(dict.fromkeys(selector(t, account) for t in targets))
        found: dict[str, Status] = {}
        for start in range(0, len(wanted), BATCH):
            self._get_batch(ssm, wanted[start : start + BATCH], found)
        # `name:3` unknown: is it the parameter or only its version that is missing?
        versioned = [s for s in wanted if found.get(s, NO_ANSWER).state == "missing" and _split(s)[1]]
        bases: dict[str, Status] = {}
        names = list(dict.fromkeys(_split(s)[0] for s in versioned))
        for start in range(0, len(names), BATCH):
            self._get_batch(ssm, names[start : start + BATCH], bases)
        for wanted_selector in versioned:
            if bases.get(_split(wanted_selector)[0], NO_ANSWER).state == "ok":
                found[wanted_selector] = Status("version")
        secure = [s for s, status in found.items() if status.state == "ok" and status.detail == "SecureString"]
        keys = self._key_ids(ssm, [_split(s)[0] for s in secure]) if secure else {}
        if self.principal:
            found = {s: self._simulated(s, status, account, keys) for s, status in found.items()}
        else:
            found.update({s: self._inferred(s, found[s], account, caller, keys) for s in secure})
        statuses = {t: found.get(selector(t, account), NO_ANSWER) for t in targets}
        failures = [s.detail for s in statuses.values() if s.state == "unchecked"]
        who = self.principal or caller
        return RegionResult(self.region, account, who, statuses, failures[0] if failures else "")

    def _get_batch(self, ssm: Any, chunk: list[str], found: dict[str, Status]) -> None:
        import botocore.exceptions

        if self._expired():
            found.update({s: Status("unchecked", DEADLINE_REACHED) for s in chunk})
            return
        try:
            response = ssm.get_parameters(Names=chunk, WithDecryption=False)
        except botocore.exceptions.ClientError as exc:
            if is_denied(exc):
                found.update({s: self._get_one(ssm, s) for s in chunk})
                return
            found.update({s: Status("unchecked", error_text(exc)) for s in chunk})
            return
        except botocore.exceptions.BotoCoreError as exc:
            found.update({s: Status("unchecked", error_text(exc)) for s in chunk})
            return
        for parameter in response.get("Parameters", []):
            status = _ok(parameter)
            for wanted in chunk:
                if _answers(parameter, wanted):
                    found[wanted] = status
        for invalid in response.get("InvalidParameters", []):
            found[str(invalid)] = Status("missing")
        response.clear()

    def _get_one(self, ssm: Any, wanted: str) -> Status:
        import botocore.exceptions

        if self._expired():
            return Status("unchecked", DEADLINE_REACHED)
        try:
            response = ssm.get_parameter(Name=wanted, WithDecryption=False)
        except botocore.exceptions.ClientError as exc:
            code = error_code(exc)
            if code == "ParameterNotFound":
                return Status("missing")
            if code == "ParameterVersionNotFound":
                return Status("version")
            if is_denied(exc):
                return Status("denied", code)
            return Status("unchecked", error_text(exc))
        except botocore.exceptions.BotoCoreError as exc:
            return Status("unchecked", error_text(exc))
        status = _ok(response.get("Parameter", {}))
        response.clear()
        return status

    def _key_ids(self, ssm: Any, names: list[str]) -> dict[str, str]:
        """The KMS key id of each SecureString (DescribeParameters, no value); a failure leaves names out."""
        import botocore.exceptions

        keys: dict[str, str] = {}
        unique = list(dict.fromkeys(names))
        for start in range(0, len(unique), DESCRIBE_BATCH):
            chunk = unique[start : start + DESCRIBE_BATCH]
            try:
                response = ssm.describe_parameters(
                    ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": chunk}], MaxResults=DESCRIBE_BATCH
                )
            except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
                continue
            for parameter in response.get("Parameters", []):
                keys[str(parameter.get("Name", ""))] = str(parameter.get("KeyId") or "")
        return keys

    def _arn(self, wanted: str, account: str, partition: str) -> str:
        name = _split(wanted)[0]
        if name.startswith("arn:"):
            return name
        return f"arn:{partition}:ssm:{self.region}:{account}:parameter/{name.lstrip('/')}"

    def _simulated(self, wanted: str, status: Status, account: str, keys: dict[str, str]) -> Status:
        """Existence and type were read as the caller; whether the principal may read it is simulated."""
        import botocore.exceptions

        from yamlsecretlint.online.principal import SimulatedCall, simulate

        if status.state != "ok" or self.principal is None:
            return status
        name = self._arn(wanted, account, self.principal.split(":")[1])
        iam = self.clients.client("iam", self.region)
        try:
            allowed, decision = simulate(iam, self.principal, SimulatedCall("ssm:GetParameters", name, {}))
            if not allowed:
                return Status("denied", f"simulator: {decision}")
            key_id = keys.get(_split(wanted)[0], "")
            if status.detail != "SecureString" or not key_id or key_id.endswith(_MANAGED_KEY):
                return status  # the account's AWS managed key: usable wherever the parameter may be read
            return self._decrypt(iam, self.principal, name, key_id, status)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            operation = getattr(exc, "operation_name", "") or "the simulation"
            return Status("unchecked", f"{operation} failed: {error_text(exc)}")

    def _decrypt(self, iam: Any, principal: str, name: str, key_id: str, status: Status) -> Status:
        """A SecureString is read through kms:Decrypt on its key, under the context Parameter Store passes."""
        from yamlsecretlint.online.principal import SimulatedCall, key_arn, key_id_arn, simulate

        context = {"kms:ViaService": f"ssm.{self.region}.amazonaws.com", "kms:EncryptionContext:PARAMETER_ARN": name}
        key = key_arn(self.clients, key_id_arn(key_id, name))
        allowed, decision = simulate(iam, principal, SimulatedCall("kms:Decrypt", key, context))
        return status if allowed else Status("kms", f"simulator: {decision}")

    def _inferred(self, wanted: str, status: Status, account: str, caller: str, keys: dict[str, str]) -> Status:
        """As the caller: may it decrypt this SecureString? Inferred without decrypting (see the docstring)."""

        from yamlsecretlint.online.principal import resolve_principal

        key_id = keys.get(_split(wanted)[0])
        if key_id is not None and (not key_id or key_id.endswith(_MANAGED_KEY)):
            return status
        if key_id is None or not caller.startswith("arn:") or self._caller_role == "":
            return status._replace(unseen="kms:Decrypt")
        iam = self.clients.client("iam", self.region)
        try:
            if self._caller_role is None:
                self._caller_role = resolve_principal(iam, caller)
            name = self._arn(wanted, account, caller.split(":")[1])
            return self._decrypt(iam, self._caller_role, name, key_id, status)
        except Exception:
            # Best effort by design: whatever stops the inference (a denial, an endpoint without the
            # simulator answering garbage) leaves only the decryption unseen, and that is said.
            self._caller_role = self._caller_role or ""
            return status._replace(unseen="kms:Decrypt")

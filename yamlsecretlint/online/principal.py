"""``--principal-arn``: may *that* principal read each secret? No value is read.

``iam:SimulatePrincipalPolicy`` evaluates the principal's identity policies, with
the secret's resource policy (``GetResourcePolicy``) and its owner's account, for
``secretsmanager:GetSecretValue`` on each secret's ARN (and
``secretsmanager:DescribeSecret`` for Mage's caching client, which calls it
first), and ``kms:Decrypt`` on the key ARN of the secret's customer-managed key
(an alias is resolved with ``kms:DescribeKey``: a policy names keys, not aliases).
The context keys the real call carries are passed, so conditional policies are
judged as AWS judges them: the secret's tags (``aws:ResourceTag/…``,
``secretsmanager:ResourceTag/…``) for attribute-based access, and for the key
``kms:ViaService`` and the encryption context Secrets Manager uses
(``kms:EncryptionContext:SecretARN``). A secret of another account is readable
only under a customer-managed key (the AWS managed key cannot be shared). An
assumed-role session ARN is turned into its role's ARN with ``iam:GetRole``
(the role's path is not in the session ARN).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from yamlsecretlint.online.aws import Clients, OnlineError, error_text, is_deleted
from yamlsecretlint.online.plan import Target
from yamlsecretlint.online.verify import DEADLINE_REACHED, RegionResult, RegionVerifier, Status

#: What the simulator does not see, said in every report that relies on it.
BLIND_SPOTS = (
    "the IAM policy simulator evaluates the principal's identity policies and permission boundary with the "
    "secret's resource policy and tags; it does not see KMS key policies and grants, service control "
    "policies, resource control policies or session policies; JSON keys, and whether a value fits the "
    "YAML Mage pastes it into, are not checked because no secret value is read"
)
#: The AWS managed key of Secrets Manager: usable only inside its own account.
_MANAGED_KEY = "alias/aws/secretsmanager"
_ASSUMED_ROLE = re.compile(r"^arn:(?P<partition>[^:]+):sts::(?P<account>[0-9]{12}):assumed-role/(?P<role>[^/]+)/.+$")


def resolve_principal(iam: Any, principal: str) -> str:
    """The IAM ARN to simulate: an assumed-role session becomes its role."""
    match = _ASSUMED_ROLE.match(principal)
    if match is None:
        return principal
    import botocore.exceptions

    try:
        return str(iam.get_role(RoleName=match.group("role"))["Role"]["Arn"])
    except botocore.exceptions.ClientError as exc:
        raise OnlineError(f"--principal-arn: cannot resolve role {match.group('role')}: {error_text(exc)}") from None


class SimulatedCall(NamedTuple):
    """One simulated request: the action, on what, with the context and resource policy the real one has."""

    action: str
    resource: str
    context: dict[str, str]
    resource_policy: str = ""
    owner: str = ""


def simulate(iam: Any, principal: str, call: SimulatedCall) -> tuple[bool, str]:
    request: dict[str, Any] = {
        "PolicySourceArn": principal,
        "ActionNames": [call.action],
        "ResourceArns": [call.resource],
    }
    if call.context:
        request["ContextEntries"] = [
            {"ContextKeyName": key, "ContextKeyValues": [value], "ContextKeyType": "string"}
            for key, value in sorted(call.context.items())
        ]
    if call.resource_policy:
        request["ResourcePolicy"] = call.resource_policy
        request["ResourceOwner"] = call.owner
    results = iam.simulate_principal_policy(**request).get("EvaluationResults", [])
    decision = str(results[0].get("EvalDecision", "")) if results else "no result"
    return decision == "allowed", decision


def key_id_arn(key_id: str, secret_arn: str) -> str:
    """A key id or alias as DescribeSecret gives it, as a full ARN in the secret's account and region."""
    if key_id.startswith("arn:"):
        return key_id
    _, partition, _, region, account, _ = secret_arn.split(":", 5)
    if key_id.startswith("alias/"):
        return f"arn:{partition}:kms:{region}:{account}:{key_id}"
    return f"arn:{partition}:kms:{region}:{account}:key/{key_id}"


def _tags(described: dict[str, Any]) -> dict[str, str]:
    found = {}
    for tag in described.get("Tags") or []:
        key, value = str(tag.get("Key", "")), str(tag.get("Value", ""))
        found[f"aws:ResourceTag/{key}"] = found[f"secretsmanager:ResourceTag/{key}"] = value
    return found


def _has_version(described: dict[str, Any], target: Target) -> bool:
    """The version a reference names is among the secret's versions (DescribeSecret lists them all)."""
    versions = described.get("VersionIdsToStages") or {}
    if target.version_id:
        return target.version_id in versions
    if target.version_stage:
        return any(target.version_stage in stages for stages in versions.values())
    return True


class PrincipalVerifier(RegionVerifier):
    def __init__(self, clients: Clients, region: str, principal: str) -> None:
        super().__init__(clients, region)
        self.principal = principal

    def _run(self, targets: Sequence[Target], describe: set[str], account: str, caller: str) -> RegionResult:
        sm = self.clients.client("secretsmanager", self.region)
        iam = self.clients.client("iam", self.region)
        statuses = {target: self._check(sm, iam, target, target.secret_id in describe) for target in targets}
        failures = [s.detail for s in statuses.values() if s.state == "unchecked"]
        return RegionResult(self.region, account, self.principal, statuses, failures[0] if failures else "")

    def _check(self, sm: Any, iam: Any, target: Target, describes: bool) -> Status:
        import botocore.exceptions

        secret_id = target.secret_id
        if self._expired():
            return Status("unchecked", DEADLINE_REACHED)
        try:
            described = sm.describe_secret(SecretId=secret_id)
        except botocore.exceptions.ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            message = str(exc.response.get("Error", {}).get("Message", ""))
            if code == "ResourceNotFoundException":
                return Status("missing")
            if is_deleted(code, message):
                return Status("deleted")
            return Status("unchecked", f"secretsmanager:DescribeSecret failed: {error_text(exc)}")
        except botocore.exceptions.BotoCoreError as exc:
            return Status("unchecked", error_text(exc))
        if described.get("DeletedDate"):
            return Status("deleted", described["DeletedDate"].date().isoformat())
        if not _has_version(described, target):
            return Status("version")
        if self._expired():
            return Status("unchecked", DEADLINE_REACHED)
        secret_arn = str(described.get("ARN", secret_id))
        _, partition, _, home, owner, _ = secret_arn.split(":", 5)
        foreign = owner != self.principal.split(":")[4]
        key_id = str(described.get("KmsKeyId") or "")
        if foreign and (not key_id or key_id.endswith(_MANAGED_KEY)):
            return Status("kms", "a secret of another account is readable only under a customer-managed key")
        try:
            policy = self._resource_policy(sm, secret_arn)
            on_secret = SimulatedCall("", secret_arn, _tags(described), policy, f"arn:{partition}:iam::{owner}:root")
            read = on_secret._replace(action="secretsmanager:GetSecretValue")
            allowed, decision = simulate(iam, self.principal, read)
            if not allowed:
                return Status("denied", f"simulator: {decision}")
            describe_denied = (
                describes
                and not simulate(iam, self.principal, on_secret._replace(action="secretsmanager:DescribeSecret"))[0]
            )
            if key_id and not key_id.endswith(_MANAGED_KEY):
                key = self._key_arn(key_id_arn(key_id, secret_arn))
                context = {
                    "kms:ViaService": f"secretsmanager.{home}.amazonaws.com",
                    "kms:EncryptionContext:SecretARN": secret_arn,
                }
                allowed, decision = simulate(iam, self.principal, SimulatedCall("kms:Decrypt", key, context))
                if not allowed:
                    return Status("kms", f"simulator: {decision}")
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            operation = getattr(exc, "operation_name", "") or "the simulation"
            return Status("unchecked", f"{operation} failed: {error_text(exc)}")
        return Status("ok", "simulated", describe_denied=describe_denied)

    def _resource_policy(self, sm: Any, secret_arn: str) -> str:
        """The secret's resource policy (empty: none); a denial of GetResourcePolicy stops the check."""
        return str(sm.get_resource_policy(SecretId=secret_arn).get("ResourcePolicy") or "")

    def _key_arn(self, key: str) -> str:
        return key_arn(self.clients, key)


def key_arn(clients: Clients, key: str) -> str:
    """A key's ARN: an alias is resolved, since policies name keys (kms:DescribeKey)."""
    if ":alias/" not in key:
        return key
    kms = clients.client("kms", key.split(":")[3])
    return str(kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"])

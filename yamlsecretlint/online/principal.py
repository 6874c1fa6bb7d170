"""``--principal-arn``: may *that* principal read each secret? No value is read.

``iam:SimulatePrincipalPolicy`` evaluates the principal's identity policies for
``secretsmanager:GetSecretValue`` on each secret's ARN, and ``kms:Decrypt`` on
the secret's customer-managed key when ``DescribeSecret`` names one. An
assumed-role session ARN is turned into its role's ARN with ``iam:GetRole``
(the role's path is not in the session ARN).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from yamlsecretlint.online.aws import Clients, OnlineError, error_text, is_deleted
from yamlsecretlint.online.plan import Target
from yamlsecretlint.online.verify import DEADLINE_REACHED, RegionResult, RegionVerifier, Status

#: What the simulator does not see, said in every report that relies on it.
BLIND_SPOTS = (
    "the IAM policy simulator evaluates identity policies only: it does not see KMS key policies, "
    "the secret's resource policy (for roles), permission boundaries set outside IAM, or SCPs; "
    "JSON keys are not checked because no secret value is read"
)
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


def _allowed(iam: Any, principal: str, action: str, resource: str) -> tuple[bool, str]:
    response = iam.simulate_principal_policy(PolicySourceArn=principal, ActionNames=[action], ResourceArns=[resource])
    results = response.get("EvaluationResults", [])
    decision = str(results[0].get("EvalDecision", "")) if results else "no result"
    return decision == "allowed", decision


def _key_arn(key_id: str, secret_arn: str) -> str:
    if key_id.startswith("arn:"):
        return key_id
    _, partition, _, region, account, _ = secret_arn.split(":", 5)
    kind = "alias" if key_id.startswith("alias/") else "key"
    name = key_id.removeprefix("alias/")
    return f"arn:{partition}:kms:{region}:{account}:{kind}/{name}"


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
        statuses = {target: self._check(sm, iam, target) for target in targets}
        failures = [s.detail for s in statuses.values() if s.state == "unchecked"]
        return RegionResult(self.region, account, self.principal, statuses, failures[0] if failures else "")

    def _check(self, sm: Any, iam: Any, target: Target) -> Status:
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
        try:
            allowed, decision = _allowed(iam, self.principal, "secretsmanager:GetSecretValue", secret_arn)
            if not allowed:
                return Status("denied", f"simulator: {decision}")
            key_id = described.get("KmsKeyId")
            if key_id:
                allowed, decision = _allowed(iam, self.principal, "kms:Decrypt", _key_arn(str(key_id), secret_arn))
                if not allowed:
                    return Status("kms", f"simulator: {decision}")
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            return Status("unchecked", f"iam:SimulatePrincipalPolicy failed: {error_text(exc)}")
        return Status("ok", "simulated")

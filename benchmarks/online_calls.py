"""API calls and wall time of `--online` for N secrets and M parameters across 2 regions, against moto.

Starts moto's server on 127.0.0.1, creates the secrets and the SSM parameters,
writes files referencing them, half in each region, and runs the online
verifier in this process with botocore's event hooks counting every API call by
operation. The secrets are read by an ECS task definition by ARN (the agent
reads each in its ARN's region), by a CloudFormation template, or by a Mage
io_config.yaml (Mage asks in one region: the second region's half is named by
its ARN, so it is YSL406 and costs no call); the parameters by an ECS task
definition, by their ARNs.

    python benchmarks/online_calls.py [--secrets 200] [--parameters 200] [--dialect ecs|mage|cloudformation]

Targets: for 200 secrets at most 12 BatchGetSecretValue calls (20 a call) plus one
GetCallerIdentity per region; for 200 parameters at most one GetParameters per 10
parameters per region.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

REGIONS = ("eu-west-1", "us-east-1")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secrets", type=int, default=200)
    parser.add_argument("--parameters", type=int, default=200)
    parser.add_argument(
        "--dialect",
        choices=("ecs", "mage", "cloudformation"),
        default="ecs",
        help="mage also checks DescribeSecret per secret (its caching client calls it)",
    )
    args = parser.parse_args()

    import boto3
    from moto.server import ThreadedMotoServer

    from yamlsecretlint import catalog
    from yamlsecretlint.engine import Linter, Settings
    from yamlsecretlint.model import FileRef
    from yamlsecretlint.online.aws import Clients, Options
    from yamlsecretlint.online.run import run

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        del os.environ[name]
    os.environ.update(
        AWS_ACCESS_KEY_ID="AKIA" + "B" * 16,  # moto accepts any well-formed pair
        AWS_SECRET_ACCESS_KEY="b" * 40,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_REGION_NAME=REGIONS[0],
    )
    lines = ["default:"]
    for i in range(args.secrets):
        region = REGIONS[i % 2]
        client = boto3.client("secretsmanager", region_name=region, endpoint_url=url)
        arn = client.create_secret(Name=f"bench/s{i:04}", SecretString='{"k": "v"}')["ARN"]
        target = f"bench/s{i:04}" if region == REGIONS[0] else arn
        if args.dialect == "mage":
            lines.append(f"  S{i:04}: \"{{{{ json_value(aws_secret_var('{target}'), 'k') }}}}\"")
        elif args.dialect == "ecs":
            lines.append(f"      - name: S{i:04}\n        valueFrom: '{arn}:k::'")
        else:
            lines.append(f"  S{i:04}: '{{{{resolve:secretsmanager:{target}:SecretString:k}}}}'")
    task = ["containerDefinitions:", "  - secrets:"]
    for i in range(args.parameters):
        region = REGIONS[i % 2]
        ssm = boto3.client("ssm", region_name=region, endpoint_url=url)
        ssm.put_parameter(Name=f"/bench/p{i:04}", Value="v", Type="String")
        task.append(
            f"      - name: P{i:04}\n        valueFrom: arn:aws:ssm:{region}:123456789012:parameter/bench/p{i:04}"
        )
    if args.dialect == "ecs":
        lines[0] = ""  # the secrets join the task definition's list
        task.extend(lines[1:])
        lines = []
    with tempfile.TemporaryDirectory() as tmp:
        references = []
        named = {"mage": "io_config.yaml", "cloudformation": "template.yaml"}
        for name, body in ((named.get(args.dialect, "secrets.yaml"), lines), ("taskdef.yaml", task)):
            if not body:
                continue
            path = Path(tmp) / name
            path.write_text("\n".join(body) + "\n")
            references.extend(Linter(Settings()).lint(FileRef(path, path.name, "yaml")).references)

        clients = Clients(Options(endpoint_url=url))
        calls: collections.Counter[str] = collections.Counter()
        clients.session.events.register("before-call.*.*", lambda model, **_: calls.update([model.name]))
        started = time.perf_counter()
        options = Options(endpoint_url=url, region=REGIONS[0] if args.dialect != "mage" else None)
        outcome = run(references, options, catalog.load(), clients=clients)
        elapsed = time.perf_counter() - started
    server.stop()
    print(
        f"{args.dialect}: {args.secrets} secrets and {args.parameters} parameters across {len(REGIONS)} regions, "
        f"{len(references)} references"
    )
    for operation, count in sorted(calls.items()):
        print(f"  {operation:<24} {count}")
    batch_limit = -(-args.secrets // 20) + len(REGIONS)
    parameter_limit = sum(-(-len(range(r, args.parameters, 2)) // 10) for r in range(len(REGIONS)))
    print(f"BatchGetSecretValue {calls['BatchGetSecretValue']} (target <= {batch_limit}), "
          f"GetParameters {calls['GetParameters']} (target <= {parameter_limit}), "
          f"GetCallerIdentity {calls['GetCallerIdentity']} (target {len(REGIONS)} per backend)")  # fmt: skip
    print(f"findings {len(outcome.findings)}, problems {len(outcome.problems)}, wall {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

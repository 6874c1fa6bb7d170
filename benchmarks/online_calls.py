"""API calls and wall time of `--online` for N unique secrets across 2 regions, against moto.

Starts moto's server on 127.0.0.1, creates the secrets, writes a Mage
io_config.yaml referencing them (half by name in the default region, half by
ARN in a second region) and runs the online verifier in this process with
botocore's event hooks counting every API call by operation.

    python benchmarks/online_calls.py [--secrets 200]

Target (issue 5): for 200 secrets at most 12 BatchGetSecretValue calls plus one
GetCallerIdentity per region.
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
    parser.add_argument(
        "--dialect",
        choices=("mage", "cloudformation"),
        default="mage",
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
        else:
            lines.append(f"  S{i:04}: '{{{{resolve:secretsmanager:{target}:SecretString:k}}}}'")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("io_config.yaml" if args.dialect == "mage" else "template.yaml")
        path.write_text("\n".join(lines) + "\n")
        references = Linter(Settings()).lint(FileRef(path, path.name, "yaml")).references

        clients = Clients(Options(endpoint_url=url))
        calls: collections.Counter[str] = collections.Counter()
        clients.session.events.register("before-call.*.*", lambda model, **_: calls.update([model.name]))
        started = time.perf_counter()
        options = Options(endpoint_url=url, region=REGIONS[0] if args.dialect != "mage" else None)
        outcome = run(references, options, catalog.load(), clients=clients)
        elapsed = time.perf_counter() - started
    server.stop()
    print(f"{args.dialect}: {args.secrets} unique secrets across {len(REGIONS)} regions, {len(references)} references")
    for operation, count in sorted(calls.items()):
        print(f"  {operation:<24} {count}")
    batch_limit = -(-args.secrets // 20) + len(REGIONS)
    print(f"BatchGetSecretValue {calls['BatchGetSecretValue']} (target <= {batch_limit}), "
          f"GetCallerIdentity {calls['GetCallerIdentity']} (target {len(REGIONS)})")  # fmt: skip
    print(f"findings {len(outcome.findings)}, problems {len(outcome.problems)}, wall {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

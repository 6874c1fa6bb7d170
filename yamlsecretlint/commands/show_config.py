"""``--show-config``: every effective setting and where it came from."""

from __future__ import annotations

import argparse
import json

from yamlsecretlint.config import Config
from yamlsecretlint.console import EXIT_CLEAN
from yamlsecretlint.engine import Settings


def run(args: argparse.Namespace, conf: Config, settings: Settings) -> int:
    """Every effective setting and where it came from."""
    source = str(conf.source) if conf.source else "default"

    def origin(option: str | None, key: str) -> str:
        if option is not None and getattr(args, option, None) not in (None, False):
            return "command line"
        return source if key in conf.keys else "default"

    rows = [
        ("config file", str(conf.source) if conf.source else "(none found)", "discovery"),
        ("include", list(conf.include), origin(None, "include")),
        ("exclude", list(conf.exclude), origin(None, "exclude")),
        ("select", list(settings.select), origin("select", "select")),
        ("ignore", list(settings.ignore), origin("ignore", "ignore")),
        ("per-file-ignores", {g: list(r) for g, r in settings.per_file_ignores}, origin(None, "per-file-ignores")),
        ("severity", dict(settings.severities), origin(None, "severity")),
        ("secret-keys", list(settings.secret_keys), origin(None, "secret-keys")),
        ("allowed-values", list(settings.allowed_values), origin(None, "allowed-values")),
        ("max-file-size", settings.max_file_size, origin("max_file_size", "max-file-size")),
        ("gitignore", conf.gitignore and not args.no_gitignore, origin("no_gitignore", "gitignore")),
        ("region", args.region or conf.region, origin("region", "region")),
        ("profile", args.profile or conf.profile, origin("profile", "profile")),
        ("endpoint-url", args.endpoint_url or conf.endpoint_url, origin("endpoint_url", "endpoint-url")),
        ("principal-arn", args.principal_arn or conf.principal_arn, origin("principal_arn", "principal-arn")),
    ]
    for name, value, where in rows:
        print(f"{name:<17} {json.dumps(value)}  ({where})")
    return EXIT_CLEAN

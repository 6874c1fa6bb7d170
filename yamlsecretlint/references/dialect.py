"""What a dialect declares: the tool that reads a file, and the rules it applies to secrets.

Each module of references/ that is a dialect's home holds one ``DIALECT`` (and
``make(rules)``, its reference checks, when it has reference syntax of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import NamedTuple


@lru_cache(maxsize=64)  # asked by each detector in turn of the same path
def file_name(path: str) -> str:
    """The lower-case file name of a display path."""
    return path.rsplit("/", 1)[-1].lower()


def _never(path: str, text: str) -> bool:
    return False


def _no_region(region: str, env: Mapping[str, str]) -> str:
    return ""


def _plain_keys(paths: frozenset[str], key: str) -> tuple[str, ...]:
    return (key,)


class Dialect(NamedTuple):
    """One dialect, all it means in one place.

    File dialects (mage, spice, compose, github, cloudformation, kubernetes,
    dotenv) are found by ``detect``; reference dialects that live inside other
    files (ecs, serverless, arn) only declare their secret rules.
    """

    name: str
    #: (display path, text) -> whether the file is this dialect's.
    detect: Callable[[str, str], bool] = _never
    #: secret name -> how to reference the secret in this dialect (the fix hint of plaintext findings).
    hint: Callable[[str], str] = lambda name: "store it in AWS Secrets Manager and reference it"
    #: (key path, secret name) -> a hint for a place where the dialect's reference is not allowed, or "".
    hint_at: Callable[[str, str], str] = lambda key, name: ""
    #: The region a reference fixes itself (it beats --region): (the reference's own region, environment) -> region.
    fixed_region: Callable[[str, Mapping[str, str]], str] = _no_region
    #: The dialect's default when neither the reference nor --region says (before the SDK chain).
    default_region: Callable[[str, Mapping[str, str]], str] = lambda region, env: region
    #: Whether the reader sends a request for a secret's ARN to the ARN's region (the ECS agent
    #: does); otherwise its client's region answers, and cannot find a secret of another region.
    routes_by_arn: bool = False
    #: A key counts only if it holds a string at the top level of the secret's JSON (Spice).
    string_keys_only: bool = False
    #: Who reads the references, and how it picks its region when the file does not say (for messages).
    reader: str = "the reader"
    default_rule: str = ""
    #: The secret's JSON keys a reference's key is looked up as, in order.
    key_names: Callable[[frozenset[str], str], tuple[str, ...]] = _plain_keys

"""Mage: ``io_config.yaml`` and files that call its secret functions; its Jinja secret functions (YSL201, YSL202).

Region: ``AWS_REGION_NAME``, then ``AWS_DEFAULT_REGION``, else ``us-west-2`` (mage_ai's
aws_secret_var client).

Mage renders the whole file with Jinja before parsing it, comments included,
so every ``{{ … }}`` in a YAML file is looked at: in values, keys, comments
and lines of their own. Jinja expressions are Python-shaped, so Python's
``ast`` parses them (Jinja's ``~`` concatenation read as ``+``). Only an
expression that calls a Mage function, or a name within a typo of one, is
judged: Helm's ``{{ .Values.x }}`` and Ansible's ``{{ lookup(…) }}`` are not
Mage's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context
from yamlsecretlint.model import Hit, Reference, RefHit, Scalar
from yamlsecretlint.references.dialect import Dialect, file_name
from yamlsecretlint.references.secret_names import secret_id_hit
from yamlsecretlint.sources import template

if TYPE_CHECKING:  # pragma: no cover
    import ast


class Signature(NamedTuple):
    provider: str
    minimum: int
    maximum: int
    keywords: tuple[str, ...]


FUNCTIONS = {
    "env_var": Signature("env", 1, 2, ("name", "default")),
    "aws_secret_var": Signature("aws-secretsmanager", 1, 2, ("secret_id", "cached")),
    "azure_secret_var": Signature("azure-keyvault", 1, 1, ("secret_id",)),
    "mage_secret_var": Signature("mage", 1, 1, ("name",)),
    "json_value": Signature("", 2, 2, ("text", "path")),
    # Mage Pro
    "gcp_secret_var": Signature("gcp", 1, 2, ("secret_id", "version")),
    "vault_secret_var": Signature("vault", 2, 2, ("path", "key")),
    "doppler_secret_var": Signature("doppler", 1, 2, ("name", "project")),
    "file": Signature("file", 1, 1, ("path",)),
    # Not secrets, but Mage's own and so known.
    "variables": Signature("", 1, 2, ("name", "default")),
    "n_days_ago": Signature("", 1, 1, ("n",)),
}
_CALL = lazyre.compile(r"\b(?P<name>[A-Za-z_]\w*)\s*\(")
_QUOTES = lazyre.compile(r"""'[^'\n]*'|"[^"\n]*\"""")
_MAGE_HINT = lazyre.compile(r"_var\s*\(|json_value|_value\s*\(|\bfile\s*\(")
DEFAULT_REGION = "us-west-2"
#: A Mage secret function called inside {{ … }}: a file that merely mentions one is not Mage's.
_SECRET_CALL = lazyre.compile(r"\b(?:aws_secret_var|mage_secret_var|azure_secret_var)\s*\(")


def _detect(path: str, text: str) -> bool:
    name = file_name(path)
    if name.startswith("io_config."):
        return True
    return "_secret_var" in text and any(
        _SECRET_CALL.search(text, e.body_start, e.body_end) for e in template.expressions(text)
    )


def _default_region(region: str, env: Mapping[str, str]) -> str:
    return env.get("AWS_REGION_NAME") or env.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


DIALECT = Dialect(
    "mage",
    detect=_detect,
    hint=lambda name: f"store it in AWS Secrets Manager and write \"{{{{ aws_secret_var('{name}') }}}}\"",
    default_region=_default_region,
)


@lru_cache(maxsize=4096)
def _near(name: str) -> str | None:
    if name in FUNCTIONS:
        return None
    import difflib  # close-match suggestions only: most runs never make one

    close = difflib.get_close_matches(name, FUNCTIONS, n=1, cutoff=0.8)
    return close[0] if close else None


def _is_mage(body: str) -> bool:
    names = [m.group("name") for m in _CALL.finditer(_QUOTES.sub("''", body))]
    return any(n in FUNCTIONS or _near(n) or n.endswith("_secret_var") for n in names)


def _calls_inner_first(tree: ast.AST) -> list[ast.Call]:
    """Calls to plain names, innermost first (``json_value(aws_secret_var(…), …)``)."""
    import ast

    calls: list[tuple[int, ast.Call]] = []
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            calls.append((depth, node))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return [call for _, call in sorted(calls, key=lambda item: (-item[0], item[1].col_offset))]


def _string_argument(node: ast.expr, function: str) -> str | None:
    import ast

    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == function
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


#: What an argument that is not a string literal is, in words (never its text).
_KINDS = {"Name": "a bare name", "Constant": "a number or constant", "Call": "a call", "Attribute": "an attribute"}


def _first_argument(call: ast.Call, signature: Signature) -> ast.expr | None:
    """The first parameter, given by position or by its name (``env_var(default=…, name=…)``)."""
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == signature.keywords[0]), None)


def _syntax_problem(body: str) -> str:
    if body.count("'") % 2 or body.count('"') % 2:
        return "mismatched or unclosed quote"
    if body.count("(") != body.count(")"):
        return "unbalanced parentheses"
    return "not a valid Jinja expression"


class MageCheck(Check):
    triggers = ("{{", "(")

    def __init__(self, rules: dict[str, Rule]) -> None:
        self.rules = rules

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._region = ""

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        # A plain function in front of the generator: most scalars stop at this gate.
        value = scalar.value
        if self.context.kind == "dotenv" or (
            "{{" not in value and not (self.context.dialect == "mage" and "(" in value)
        ):
            return ()
        return list(self._scan(scalar))

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if self.context.kind == "dotenv":
            return
        value = scalar.value
        if "{{" in value:
            for expression in template.expressions(value):
                body = value[expression.body_start : expression.body_end]
                # Every Mage function is a call; json_value may be a filter. Helm's `.Values.x` is neither.
                if "(" not in body and "json_value" not in body:
                    continue
                if _MAGE_HINT.search(body) or _is_mage(body):
                    yield from self._expression(scalar, expression.start, expression.end, body)
        if self.context.dialect == "mage" and "(" in value:
            yield from self._outside_braces(scalar)

    def _outside_braces(self, scalar: Scalar) -> Iterator[Hit]:
        """``{ aws_secret_var('x') }`` or ``{{ … }`` : Mage renders nothing there."""
        value = scalar.value
        if scalar.role == "comment":
            return
        inside = [(e.start, e.end) for e in template.expressions(value)]
        starts = [start for start, _ in inside]
        unbalanced = value.count("{{") != value.count("}}")
        for call in _CALL.finditer(value):
            name = call.group("name")
            if name not in FUNCTIONS or name in ("file", "variables"):
                continue
            at = bisect_right(starts, call.start()) - 1
            if at >= 0 and call.start() < inside[at][1]:
                continue
            message = f"{name}(…) is not inside {{{{ … }}}}: Mage renders only double-brace expressions"
            if unbalanced:
                message = f"unbalanced braces around {name}(…): write {{{{ {name}(…) }}}}"
            # The call's own name, not the rest of the value: a hit per call must not span the text after it.
            yield Hit("YSL201", scalar, call.start(), call.end(), message)

    def _expression(self, scalar: Scalar, start: int, end: int, body: str) -> Iterator[Hit]:
        import ast  # only files with Mage expressions pay for it

        source = re.sub(r"""('[^']*'|"[^"]*")|~""", lambda m: m.group(1) or "+", body.strip())
        try:
            tree = ast.parse(source, mode="eval")
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            yield Hit("YSL201", scalar, start, end, f"malformed Mage expression: {_syntax_problem(body)}")
            return
        for node in _calls_inner_first(tree):
            yield from self._call(scalar, start, end, node)

    def _call(self, scalar: Scalar, start: int, end: int, call: ast.Call) -> Iterator[Hit]:
        import ast

        name = call.func.id  # type: ignore[attr-defined]
        near = _near(name)
        if name not in FUNCTIONS:
            if near or name.endswith("_secret_var"):
                hint = f"; did you mean {near}?" if near else ""
                yield Hit("YSL201", scalar, start, end, f"unknown Mage function {redact.name(name)}(){hint}")
            return
        signature = FUNCTIONS[name]
        count = len(call.args) + len(call.keywords)
        if not signature.minimum <= count <= signature.maximum:
            wanted = (
                str(signature.minimum)
                if signature.minimum == signature.maximum
                else f"{signature.minimum}–{signature.maximum}"
            )
            yield Hit("YSL201", scalar, start, end, f"{name}() takes {wanted} arguments, got {count}")
            return
        bad_keywords = [k.arg for k in call.keywords if k.arg not in signature.keywords]
        if bad_keywords:
            yield Hit("YSL201", scalar, start, end, f"{name}() has no argument '{redact.name(str(bad_keywords[0]))}'")
            return
        first = _first_argument(call, signature)
        if first is None:
            yield Hit("YSL201", scalar, start, end, f"{name}() is not given its {signature.keywords[0]}")
            return
        if name == "json_value":
            yield from self._json_value(scalar, start, end, call)
            return
        if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            what = _KINDS.get(type(first).__name__, "an expression")
            yield Hit("YSL201", scalar, start, end, f"the argument of {name}() must be a quoted string, not {what}")
            return
        if not first.value.strip():
            yield Hit("YSL201", scalar, start, end, f"{name}() is given an empty name")
            return
        if signature.provider:
            yield from self._record(scalar, start, end, name, first.value, "")

    def _json_value(self, scalar: Scalar, start: int, end: int, call: ast.Call) -> Iterator[Hit]:
        import ast

        args = [*call.args, *(k.value for k in call.keywords)]
        inner, path = args[0], args[1]
        if not isinstance(path, ast.Constant) or not isinstance(path.value, str) or not path.value:
            yield Hit("YSL201", scalar, start, end, "the path of json_value() must be a quoted, non-empty string")
            return
        secret = _string_argument(inner, "aws_secret_var")
        if secret is None:
            return
        # The inner call was recorded first; the path says which key of it is read.
        for index in range(len(self.found) - 1, -1, -1):
            found = self.found[index]
            if found.scalar is scalar and found.reference.secret_id == secret and not found.reference.json_key:
                self.found[index] = found._replace(reference=found.reference._replace(json_key=path.value))
                break

    def _record(self, scalar: Scalar, start: int, end: int, function: str, name: str, key: str) -> Iterator[Hit]:
        signature = FUNCTIONS[function]
        region = ""
        if signature.provider == "aws-secretsmanager":
            region, invalid = secret_id_hit(scalar, start, end, name)
            if invalid is not None:
                yield invalid
                return
        ref = Reference(
            "mage",
            signature.provider,
            name,
            json_key=key,
            region=region,
            needs_describe=signature.provider == "aws-secretsmanager",
        )
        self.found.append(RefHit(ref, scalar, start, end))


def make(rules: list[Rule]) -> list[Check]:
    wanted = {r.id: r for r in rules if r.id in ("YSL201", "YSL202")}
    return [MageCheck(wanted)] if wanted else []

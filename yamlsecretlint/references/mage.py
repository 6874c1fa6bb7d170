"""Mage: ``io_config.yaml`` and files that call its secret functions; its Jinja secret functions (YSL201, YSL202).

Region: ``AWS_REGION_NAME``, then ``AWS_DEFAULT_REGION``, else ``us-west-2`` (mage_ai's
aws_secret_var client).

Mage renders the whole file with Jinja (mage_ai/io/config.py: ``jinja2.Template``)
before parsing it, YAML comments included, so every ``{{ … }}`` and ``{% … %}``
in a YAML file is looked at: in values, keys, comments and lines of their own;
a Jinja ``{# … #}`` comment is never rendered, so never looked at. A name that
Jinja computes (``aws_secret_var(env_var('X'))``) is valid and recorded as
computed: the online check says it was not checked. Jinja expressions are Python-shaped, so Python's
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
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from yamlsecretlint import lazyre, redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.check import Check, Context
from yamlsecretlint.model import Fix, Hit, Reference, RefHit, Scalar
from yamlsecretlint.policy import Policy
from yamlsecretlint.references.dialect import Dialect, file_name
from yamlsecretlint.references.secret_names import secret_id_hit
from yamlsecretlint.sources import template
from yamlsecretlint.sources.facts import holds

if TYPE_CHECKING:  # pragma: no cover
    import ast


class Signature(NamedTuple):
    provider: str
    minimum: int
    maximum: int
    #: The parameters in order, as Mage's function names them (its keyword arguments).
    keywords: tuple[str, ...]
    #: The function takes **kwargs: any other keyword is accepted.
    any_keywords: bool = False


#: The functions Mage puts in a template's namespace, with the real signatures: mage_ai's
#: data_preparation/shared/utils.py get_template_vars(): env_var is os.getenv(key, default);
#: json_value is shared/hash.py get_json_value(str_value, arr_or_string); aws_secret_var is
#: services/aws/secrets_manager get_secret(secret_id, cached=True); azure_secret_var is
#: services/azure/key_vault get_secret(secret_name, vault_url, client_id, client_secret, tenant_id);
#: mage_secret_var is data_preparation/shared/secrets.py get_secret_value(name, …, **kwargs).
#: Mage Pro's, from its documentation.
FUNCTIONS = {
    "env_var": Signature("env", 1, 2, ("key", "default")),
    "aws_secret_var": Signature("aws-secretsmanager", 1, 2, ("secret_id", "cached")),
    "azure_secret_var": Signature(
        "azure-keyvault", 1, 5, ("secret_name", "vault_url", "client_id", "client_secret", "tenant_id")
    ),
    "mage_secret_var": Signature(
        "mage", 1, 5, ("name", "entity", "pipeline_uuid", "project_uuid", "repo_name"), any_keywords=True
    ),
    "json_value": Signature("", 2, 2, ("str_value", "arr_or_string")),
    # Mage Pro
    "gcp_secret_var": Signature("gcp", 1, 2, ("secret_id", "version")),
    "vault_secret_var": Signature("vault", 2, 2, ("path", "key")),
    "doppler_secret_var": Signature("doppler", 1, 3, ("name", "project", "config")),
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
    return holds(text, "_secret_var") and any(
        _SECRET_CALL.search(text, e.body_start, e.body_end) for e in template.expressions(text)
    )


def _default_region(region: str, env: Mapping[str, str]) -> str:
    return env.get("AWS_REGION_NAME") or env.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


DIALECT = Dialect(
    "mage",
    detect=_detect,
    hint=lambda name: f"store it in AWS Secrets Manager and write \"{{{{ aws_secret_var('{name}') }}}}\"",
    default_region=_default_region,
    reader="Mage",
    default_rule=f"AWS_REGION_NAME, else AWS_DEFAULT_REGION, else {DEFAULT_REGION}",
)


@lru_cache(maxsize=4096)
def _near(name: str) -> str | None:
    if name in FUNCTIONS:
        return None
    import difflib  # close-match suggestions only: most runs never make one

    close = difflib.get_close_matches(name, FUNCTIONS, n=1, cutoff=0.8)
    return close[0] if close else None


def _rename(value: str, start: int, end: int, name: str, near: str | None) -> Fix | None:
    """The misspelled function's name, when it is called once in the tag and one function is nearest."""
    from yamlsecretlint.references.spelling import only_candidate

    if near is None or only_candidate(name, FUNCTIONS) != near:
        return None
    calls = [m.start("name") for m in _CALL.finditer(value, start, end) if m.group("name") == name]
    return Fix(calls[0], calls[0] + len(name), near) if len(calls) == 1 else None


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


#: The expression of a Jinja statement: `set name = EXPR`, `if EXPR`, `elif EXPR`, `for x in EXPR`.
_STATEMENT_EXPRESSION = lazyre.compile(
    r"\s*(?:set\s+[A-Za-z_][\w, ]*=|if\b|elif\b|for\s+[A-Za-z_][\w, ]*\s+in\b)(?P<expression>.*?)\s*$", re.S
)


_SET = lazyre.compile(r"\{%[-+]?\s*set\s+([A-Za-z_]\w*)")


def _within(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= at < end for start, end in spans)


def _syntax_problem(body: str) -> str:
    if body.count("'") % 2 or body.count('"') % 2:
        return "mismatched or unclosed quote"
    if body.count("(") != body.count(")"):
        return "unbalanced parentheses"
    return "not a valid Jinja expression"


#: A call outside braces is reported only for Mage's own functions (``_outside_braces``): their
#: names are the trigger, not every ``(`` of every file, which the walker would otherwise yield.
_CALLED_OUTSIDE = tuple(sorted({"_var" if "_var" in name else name for name in FUNCTIONS} - {"file", "variables"}))


def _may_call(value: str, policy: Policy) -> bool:
    """What a value whose only trigger is ``{{`` holds for ``_scan`` to read it: every Mage function
    is a call, and json_value may be a filter (Helm's ``{{ .Values.x }}`` is neither)."""
    return "(" in value or "json_value" in value


class MageCheck(Check):
    triggers = ("{{", "{%", "arn:", *_CALLED_OUTSIDE)
    confirms = MappingProxyType({"{{": _may_call})

    def __init__(self, rules: dict[str, Rule]) -> None:
        self.rules = rules

    def begin(self, context: Context) -> None:
        super().begin(context)
        self._region = ""
        self._io_config = file_name(context.path).startswith("io_config.")
        self._variables: set[str] | None = None  # read from the text when a bare name is first met

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        # A plain function in front of the generator: most scalars stop at this gate.
        value = scalar.value
        if self.context.kind == "dotenv" or (
            "{{" not in value
            and not (self.context.dialect == "mage" and "(" in value)
            and not (self._io_config and value.startswith("arn:"))
        ):
            return ()
        return list(self._scan(scalar))

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        if self.context.kind == "dotenv":
            return
        value = scalar.value
        if value.startswith("arn:") and scalar.role == "value" and self._io_config:
            yield from self._bare_arn(scalar)
            return
        # Jinja never renders a {# comment #}: what is in one is neither checked nor read.
        comments = template.jinja_comments(value)
        if "{{" in value:
            for expression in template.expressions(value):
                if _within(expression.start, comments):
                    continue
                body = value[expression.body_start : expression.body_end]
                # Every Mage function is a call; json_value may be a filter. Helm's `.Values.x` is neither.
                if "(" not in body and "json_value" not in body:
                    continue
                if _MAGE_HINT.search(body) or _is_mage(body):
                    yield from self._expression(scalar, expression.start, expression.end, body)
        if "{%" in value:
            # `{% set s = aws_secret_var('x') %}`, `{% if env_var('X') %}`: Mage renders statements too.
            for statement in template.statements(value):
                if _within(statement.start, comments):
                    continue
                body = value[statement.body_start : statement.body_end]
                head = _STATEMENT_EXPRESSION.match(body)
                if head is not None and "(" in body and (_MAGE_HINT.search(body) or _is_mage(body)):
                    inner = head.group("expression")
                    yield from self._expression(scalar, statement.start, statement.end, inner, quiet=True)
        if self.context.dialect == "mage" and "(" in value:
            yield from self._outside_braces(scalar, comments)

    def _set_names(self) -> set[str]:
        """Names the file sets with `{% set name = … %}`: defined when an expression uses them."""
        if self._variables is None:
            text = self.context.text
            self._variables = set(_SET.findall(text)) if "{%" in text else set()
        return self._variables

    def _bare_arn(self, scalar: Scalar) -> Iterator[Hit]:
        """A secret's ARN as an io_config value: Mage resolves only its functions, the connector gets the text."""
        text = scalar.value.strip()
        if ":secretsmanager:" in text and ":secret:" in text and " " not in text:
            message = (
                "Mage passes this ARN on as text, it does not read the secret: write "
                f"\"{{{{ aws_secret_var('{redact.name(text)}') }}}}\""
            )
            yield Hit("YSL201", scalar, 0, len(scalar.value), message, "warning")

    def _outside_braces(self, scalar: Scalar, comments: list[tuple[int, int]]) -> Iterator[Hit]:
        """``{ aws_secret_var('x') }`` or ``{{ … }`` : Mage renders nothing there."""
        value = scalar.value
        if scalar.role == "comment":
            return
        tags = [*template.expressions(value), *template.statements(value)]
        inside = sorted([(e.start, e.end) for e in tags] + comments)
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

    def _expression(self, scalar: Scalar, start: int, end: int, body: str, *, quiet: bool = False) -> Iterator[Hit]:
        """``quiet``: a statement's expression, which Jinja's own grammar may write otherwise (no YSL201)."""
        import ast  # only files with Mage expressions pay for it

        source = re.sub(r"""('[^']*'|"[^"]*")|~""", lambda m: m.group(1) or "+", body.strip())
        try:
            tree = ast.parse(source, mode="eval")
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            if not quiet:
                yield Hit("YSL201", scalar, start, end, f"malformed Mage expression: {_syntax_problem(body)}")
            return
        for node in _calls_inner_first(tree):
            yield from self._call(scalar, start, end, node)
        top = tree.body
        whole = isinstance(top, ast.Call) and isinstance(top.func, ast.Name) and top.func.id == "aws_secret_var"
        if whole and not quiet and scalar.role == "value":
            self._mark_pasted(scalar, start)

    def _mark_pasted(self, scalar: Scalar, start: int) -> None:
        """The whole secret is the tag's text: how the YAML around the tag quotes it, for the online check."""
        text = self.context.text
        opening = text[scalar.start : scalar.start + 1]
        quoting = {'"': "double", "'": "single", "|": "block", ">": "block"}.get(opening)
        quoting = quoting or ("plain-start" if start == 0 else "plain")
        for index in range(len(self.found) - 1, -1, -1):
            found = self.found[index]
            if found.scalar is scalar and found.start == start and not found.reference.json_key:
                self.found[index] = found._replace(reference=found.reference._replace(pasted_into=quoting))
                return

    def _call(self, scalar: Scalar, start: int, end: int, call: ast.Call) -> Iterator[Hit]:
        import ast

        name = call.func.id  # type: ignore[attr-defined]
        near = _near(name)
        if name not in FUNCTIONS:
            if near or name.endswith("_secret_var"):
                hint = f"; did you mean {near}?" if near else ""
                message = f"unknown Mage function {redact.name(name)}(){hint}"
                yield Hit("YSL201", scalar, start, end, message, fix=_rename(scalar.value, start, end, name, near))
            return
        signature = FUNCTIONS[name]
        problem = _arguments_problem(call, signature, name)
        if problem:
            yield Hit("YSL201", scalar, start, end, problem)
            return
        first = _argument(call, signature, 0)
        if first is None:
            yield Hit("YSL201", scalar, start, end, f"{name}() is not given its {signature.keywords[0]}")
            return
        if name == "json_value":
            yield from self._json_value(scalar, start, end, call, signature)
            return
        if isinstance(first, ast.Name) and first.id not in self._set_names():
            # Jinja renders a name it was not given as Undefined, which no Mage function takes.
            message = f"the argument of {name}() is a bare name Jinja leaves undefined: quote it"
            yield Hit("YSL201", scalar, start, end, message)
            return
        if not isinstance(first, ast.Constant):
            # A name Jinja computes when it renders (`aws_secret_var(env_var('NAME'))`,
            # `'prod/' ~ env_var('STAGE')`, a `{% set %}` variable): valid, but unknown until then.
            if signature.provider == "aws-secretsmanager":
                yield from self._record(scalar, start, end, name, _computed_name(first), "", call, computed=True)
            return
        if not isinstance(first.value, str):
            message = f"the argument of {name}() must be a string, not a number or constant"
            yield Hit("YSL201", scalar, start, end, message)
            return
        if not first.value.strip():
            yield Hit("YSL201", scalar, start, end, f"{name}() is given an empty name")
            return
        if signature.provider:
            yield from self._record(scalar, start, end, name, first.value, "", call)

    def _json_value(self, scalar: Scalar, start: int, end: int, call: ast.Call, signature: Signature) -> Iterator[Hit]:

        inner, path = _argument(call, signature, 0), _argument(call, signature, 1)
        if path is None or inner is None:
            yield Hit("YSL201", scalar, start, end, "json_value() takes the text and the path of the value in it")
            return
        key = _json_path(path)
        if key == "":
            yield Hit("YSL201", scalar, start, end, "the path of json_value() is empty")
            return
        secret = _string_argument(inner, "aws_secret_var")
        if secret is None or key is None:
            return  # a computed path: the key is known only when Jinja renders it
        # The inner call was recorded first; the path says which key of it is read.
        for index in range(len(self.found) - 1, -1, -1):
            found = self.found[index]
            if found.scalar is scalar and found.reference.secret_id == secret and not found.reference.json_key:
                self.found[index] = found._replace(reference=found.reference._replace(json_key=key))
                break

    def _record(
        self,
        scalar: Scalar,
        start: int,
        end: int,
        function: str,
        name: str,
        key: str,
        call: ast.Call,
        *,
        computed: bool = False,
    ) -> Iterator[Hit]:
        import ast

        signature = FUNCTIONS[function]
        region = ""
        if signature.provider == "aws-secretsmanager" and not computed:
            region, invalid = secret_id_hit(scalar, start, end, name)
            if invalid is not None:
                yield invalid
                return
        # aws_secret_var(…, cached=False) reads with GetSecretValue alone; the caching client
        # (the default) calls DescribeSecret first.
        cached = _argument(call, signature, 1) if signature.provider == "aws-secretsmanager" else None
        uncached = isinstance(cached, ast.Constant) and cached.value is False
        ref = Reference(
            "mage",
            signature.provider,
            name,
            json_key=key,
            region=region,
            needs_describe=signature.provider == "aws-secretsmanager" and not uncached,
        )
        self.found.append(RefHit(ref, scalar, start, end))


def _arguments_problem(call: ast.Call, signature: Signature, name: str) -> str:
    """Why Jinja's call of this Python function would fail, or ''."""
    if len(call.args) > signature.maximum and not any(arg.__class__.__name__ == "Starred" for arg in call.args):
        wanted = str(signature.maximum)
        return f"{name}() takes at most {wanted} argument{'s' if signature.maximum > 1 else ''}, got {len(call.args)}"
    for keyword in call.keywords:
        if keyword.arg is None or signature.any_keywords:
            continue  # **mapping, or a function that takes **kwargs
        if keyword.arg not in signature.keywords:
            return f"{name}() has no argument '{redact.name(str(keyword.arg))}'"
        if signature.keywords.index(keyword.arg) < len(call.args):
            return f"{name}() is given its {keyword.arg} twice"
    given = len(call.args) + sum(1 for k in call.keywords if k.arg in signature.keywords[: signature.minimum])
    if given < signature.minimum and not any(k.arg is None for k in call.keywords):
        missing = signature.keywords[len(call.args) if len(call.args) < signature.minimum else 0]
        return f"{name}() is not given its {missing}"
    return ""


def _argument(call: ast.Call, signature: Signature, index: int) -> ast.expr | None:
    """The parameter at ``index``, given by position or by its name (``env_var(key='X')``)."""
    if index < len(call.args):
        return call.args[index]
    if index >= len(signature.keywords):
        return None
    return next((k.value for k in call.keywords if k.arg == signature.keywords[index]), None)


def _computed_name(node: ast.expr) -> str:
    """A name Jinja builds, as written: literal parts kept, the rest as ``${…}`` (never checked online)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _computed_name(node.left) + _computed_name(node.right)
    return "${" + ast.unparse(node) + "}"


def _json_path(node: ast.expr) -> str | None:
    """The key json_value() reads, as Mage's dig() does: a dotted string, each part stripped, or a list.

    None: computed when Jinja renders.
    """
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return ".".join(part.strip() for part in node.value.split(".")) if node.value.strip() else ""
    if isinstance(node, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        return ".".join(str(e.value).strip() for e in node.elts)  # type: ignore[attr-defined]
    return None


def make(rules: list[Rule]) -> list[Check]:
    wanted = {r.id: r for r in rules if r.id in ("YSL201", "YSL202")}
    return [MageCheck(wanted)] if wanted else []

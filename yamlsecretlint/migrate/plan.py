"""What ``migrate`` would do: for each plaintext finding, the secret to create and the text that replaces it.

A move is a whole scalar: the value a plaintext finding lies in (a password, a
DSN, a token) becomes one secret, and the scalar's written text — quotes
included — becomes the dialect's reference to it. Supported here:

- Mage (``io_config.yaml`` and files that call its functions):
  ``"{{ aws_secret_var('NAME') }}"``, read by Mage's renderer before YAML parsing.
- CloudFormation, in resource properties and parameter ``Default``s (where
  CloudFormation resolves ``secretsmanager`` references, YSL208):
  ``'{{resolve:secretsmanager:NAME}}'``; a parameter also gets ``NoEcho: true``,
  so that the console and ``describe-stacks`` do not show what it resolves to.
- Spice: one JSON secret per spicepod, read by a new ``aws_secrets_manager``
  store (``${STORE:key}``, top-level string values as Spice reads them); the
  store entry is added to ``secrets:`` — with the ``env`` store when the pod had
  no ``secrets:``, since declaring any store ends the default env store
  (crates/runtime/src/secrets.rs ``load_from``).
- Kubernetes: a ``Secret`` becomes an ``ExternalSecret`` (migrate/kubernetes.py).
- ECS containers: ``environment`` to ``secrets`` (migrate/ecs.py).
- compose: ``${VAR}``, the value to the git-ignored ``.env`` (migrate/compose.py).

Every other finding is left where it is, with the reason and the dialect's own
fix hint (a parameter's ``Default``, a compose file, a Kubernetes Secret, a plain
application's YAML). A plan holds names, places and lengths, never a value; the
values are read again by :func:`values`, only for ``--apply``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from yamlsecretlint import catalog, redact, references
from yamlsecretlint.errors import UsageError
from yamlsecretlint.migrate import compose, ecs, kubernetes
from yamlsecretlint.model import FileRef, Finding, Scalar
from yamlsecretlint.references.arns import name_problems
from yamlsecretlint.sources import open_source
from yamlsecretlint.sources.keypaths import last_key, segments
from yamlsecretlint.sources.positions import LineTable
from yamlsecretlint.sources.text import Unreadable, read_text

#: The naming template's default: the file's stem, then the key path (Secrets Manager's characters).
TEMPLATE = "{prefix}{stem}/{key}"
_UNSAFE = re.compile(r"[^A-Za-z0-9/_+=.@-]+")
_SUPPORTED = frozenset({"mage", "cloudformation", "spice", "kubernetes", "compose"})
_IDENTIFIER = re.compile(r"[^a-zA-Z0-9_-]+")
_KEY = re.compile(r"[^A-Za-z0-9_.-]+")
#: The store migrate adds to a spicepod (another name when the pod already has a store of that name).
SPICE_STORE = "aws"


class Move(NamedTuple):
    path: str
    line: int
    key: str
    dialect: str
    #: The scalar's written region in the file's decoded text (quotes included), replaced whole.
    start: int
    end: int
    secret_name: str
    replacement: str
    #: Of the value, never the value.
    length: int
    #: The key of the value inside a JSON secret (Spice), empty when the secret is the value.
    json_key: str = ""
    #: A whole document is replaced (a Kubernetes Secret by an ExternalSecret); its secret is JSON.
    document: bool = False
    #: Where the value is written, when the replaced region is wider (an ECS environment entry's lines).
    anchor: tuple[int, int] | None = None
    #: compose: the .env the value moves to (``json_key`` is its variable), and the characters of the
    #: written value before the value itself (a list item's ``KEY=``).
    env_file: str = ""
    cut: int = 0
    #: Where the leaked credential is revoked and reissued, when the tool knows its vendor (--rotate-hint).
    rotate: str = ""


class Insert(NamedTuple):
    """Text added at a line start of a file (a Spice store entry)."""

    path: str
    offset: int
    text: str


class Left(NamedTuple):
    path: str
    line: int
    rule: str
    why: str
    rotate: str = ""


class Plan(NamedTuple):
    moves: list[Move]
    left: list[Left]
    inserts: list[Insert] = []  # noqa: RUF012 - never mutated: build() makes a list per plan


def build(
    findings: Iterable[Finding],
    files: Mapping[str, FileRef],
    *,
    prefix: str = "",
    store: tuple[str, str] | None = None,
    group: bool = False,
    template: str = TEMPLATE,
) -> Plan:
    """The plan for the plaintext findings of ``files`` (display path -> the file linted); ``store``: the
    (kind, name) of the secret store an ExternalSecret reads through (default: one among ``files``)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.category == "plaintext" and not finding.suppressed and finding.path in files:
            by_file.setdefault(finding.path, []).append(finding)
    moves: list[Move] = []
    left: list[Left] = []
    inserts: list[Insert] = []
    names: dict[str, int] = {}
    naming = Naming(prefix, template)
    for display, found in sorted(by_file.items()):
        ref = files[display]
        path = Path(ref.path)
        try:
            text = read_text(path, 1 << 30)
        except Unreadable as exc:
            left.extend(Left(display, f.span.line, f.rule, f"cannot read it again: {exc}") for f in found)
            continue
        dialect = references.dialect_of(display, ref.kind, text)
        table = LineTable(text)
        # One parse of the file serves every step below (keys and comments included).
        wanted = ref.kind == "yaml" and (dialect in _SUPPORTED or "ontainerDefinitions" in text)
        every = list(open_source("yaml", text).scalars()) if wanted else []
        if ref.kind == "yaml" and "ontainerDefinitions" in text:
            found = _containers(display, text, table, every, found, naming, names, moves, inserts)
            if not found:
                continue
        if dialect not in _SUPPORTED:
            hint = references.fix_hint(dialect, last_key(found[0].key) or "value")
            why = f"the {dialect} dialect has no Secrets Manager reference that migrate writes yet; {hint}"
            left.extend(Left(display, f.span.line, f.rule, why) for f in found)
            continue
        placed = [s for s in every if s.role not in ("key", "comment")]
        if dialect == "kubernetes":
            store = store or kubernetes.store_of(_texts(files))
            _documents(display, text, table, every, found, naming.prefix, names, store, moves, left)
            continue
        taken: set[int] = set()
        project, keys = "", dict[str, int]()
        pod = _Pod(text, display, every, naming, path, names) if dialect == "spice" else None
        if pod is not None and pod.why:
            left.extend(Left(display, f.span.line, f.rule, pod.why) for f in found)
            continue
        for finding in sorted(found, key=Finding.sort_key):
            offset = table.line_start(finding.span.line) + finding.span.column - 1
            scalar = next((s for s in placed if s.start <= offset < s.end), None)
            why = _unmovable(scalar, dialect)
            if why or scalar is None:
                left.append(Left(display, finding.span.line, finding.rule, why or "not inside a value"))
                continue
            if scalar.start in taken:
                continue  # another finding of the same value
            taken.add(scalar.start)
            json_key = ""
            if dialect == "compose":
                _compose(display, path, finding, scalar, moves, left)
                continue
            if pod is not None:
                name, json_key = pod.secret_name, pod.key(scalar.key)
                replacement = f"${{{pod.store}:{json_key}}}"
            else:
                if dialect == "mage" and group:
                    # One JSON secret for the project's file, a key per value (json_value reads it).
                    project = project or _name(naming, path, "", names, whole=True)
                    name, json_key = project, _unique(_KEY.sub("_", last_key(scalar.key) or "value"), keys)
                    replacement = f"\"{{{{ json_value(aws_secret_var('{name}'), '{json_key}') }}}}\""
                else:
                    name = _name(naming, path, scalar.key, names)
                    replacement = (
                        f"\"{{{{ aws_secret_var('{name}') }}}}\""
                        if dialect == "mage"
                        else f"'{{{{resolve:secretsmanager:{name}}}}}'"
                    )
            moves.append(
                Move(
                    display,
                    finding.span.line,
                    scalar.key,
                    dialect,
                    scalar.start,
                    scalar.end,
                    name,
                    replacement,
                    len(scalar.value),
                    json_key,
                )
            )
        if pod is not None and any(m.path == display for m in moves):
            inserts.append(pod.insert())
        if dialect == "cloudformation":
            inserts.extend(_no_echo(text, display, every, [m for m in moves if m.path == display]))
    hints: dict[tuple[str, int], str] = {}
    for display, found in by_file.items():
        for finding in found:
            hints.setdefault((display, finding.span.line), rotation(finding))
    moves = [m._replace(rotate=hints.get((m.path, m.line), "")) for m in moves]
    left = [item._replace(rotate=hints.get((item.path, item.line), "")) for item in left]
    return Plan(moves, left, inserts)


def _containers(
    display: str,
    text: str,
    table: LineTable,
    every: list[Scalar],
    found: list[Finding],
    naming: Naming,
    names: dict[str, int],
    moves: list[Move],
    inserts: list[Insert],
) -> list[Finding]:
    """ECS environment entries moved to the container's secrets; the findings left for the dialect."""
    located = [(f, table.line_start(f.span.line) + f.span.column - 1) for f in found]
    entries = ecs.claim(text, every, located)
    by_container: dict[str, list[tuple[Finding, ecs.Entry]]] = {}
    for finding, entry in entries.items():
        by_container.setdefault(entry.container_key, []).append((finding, entry))
    stem = _name(naming, Path(display), "", {}, whole=True)
    for container_key, items in by_container.items():
        items = sorted({e.start: (f, e) for f, e in items}.values(), key=lambda pair: pair[1].start)
        made = []
        for finding, entry in items:
            name = _unique(_UNSAFE.sub("-", f"{stem}/{entry.container or 'container'}/{entry.name}").strip("/-"), names)
            made.append((entry.name, name))
            moves.append(Move(display, finding.span.line, entry.value.key, "ecs", entry.start, entry.end, name, "",
                              len(entry.value.value), anchor=(entry.value.start, entry.value.end)))  # fmt: skip
        upper = items[0][1].upper
        at, block = ecs.secrets_block(text, every, container_key, made, upper)
        inserts.append(Insert(display, at, block))
        env_key = f"{container_key}.{'Environment' if upper else 'environment'}"
        indexes = {s.key[len(env_key) :].split("]")[0] for s in every if s.key.startswith(env_key + "[")}
        if len(indexes) == len(items):
            # Every entry moved: the empty `environment:` (null, which ECS rejects) goes too.
            key = next(s for s in every if s.role == "key" and s.key == env_key)
            first = next(i for i, m in enumerate(moves) if m.anchor == (items[0][1].value.start, items[0][1].value.end))
            moves[first] = moves[first]._replace(start=text.rfind("\n", 0, key.start) + 1)
    return [f for f in found if f not in entries]


def _compose(display: str, path: Path, finding: Finding, scalar: Scalar, moves: list[Move], left: list[Left]) -> None:
    claimed = compose.claim(scalar)
    env_file = str(compose.files_beside(path)[0])
    if isinstance(claimed, str):
        left.append(Left(display, finding.span.line, finding.rule, claimed))
        return
    if any(m.env_file == env_file and m.json_key == claimed.var for m in moves):
        why = f"${{{claimed.var}}} is already moved from another service: one .env holds one value; move it by hand"
        left.append(Left(display, finding.span.line, finding.rule, why))
        return
    cut = len(claimed.prefix)
    move = Move(display, finding.span.line, scalar.key, "compose", scalar.start, scalar.end, claimed.var,
                claimed.replacement, len(scalar.value) - cut, claimed.var, env_file=env_file, cut=cut)  # fmt: skip
    moves.append(move)


#: AWS's own page for an access key found in plaintext (YSL101 key id, YSL102 secret key).
_AWS_KEYS = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console"
)


def rotation(finding: Finding) -> str:
    """The vendor page where the credential of ``finding`` is revoked and reissued; empty when unknown."""
    if finding.rule in ("YSL101", "YSL102"):
        return _AWS_KEYS
    if finding.rule != catalog.TOKEN_RULE:
        return ""
    rule = catalog.load().get(catalog.TOKEN_RULE)
    for pattern in rule.patterns if rule else ():
        if pattern.name and pattern.reference and finding.message.startswith(pattern.name + " "):
            return pattern.reference
    return ""


def _unique(name: str, taken: dict[str, int], separator: str = "-") -> str:
    """``name``, or ``name-2``, ``name-3``… when it was given out before."""
    count = taken.get(name, 0)
    taken[name] = count + 1
    return f"{name}{separator}{count + 1}" if count else name


def _texts(files: Mapping[str, FileRef]) -> Iterable[str]:
    for ref in files.values():
        try:
            yield read_text(ref.path, 1 << 24)
        except Unreadable:
            continue


def _documents(
    display: str,
    text: str,
    table: LineTable,
    every: list[Scalar],
    found: list[Finding],
    prefix: str,
    names: dict[str, int],
    store: tuple[str, str],
    moves: list[Move],
    left: list[Left],
) -> None:
    """Each Secret document with a finding, replaced by an ExternalSecret; findings elsewhere are left."""
    documents = kubernetes.secrets(text, every)
    done: set[int] = set()
    for finding in sorted(found, key=Finding.sort_key):
        offset = table.line_start(finding.span.line) + finding.span.column - 1
        doc = next((d for d in documents.values() if d.start <= offset <= d.end), None)
        if doc is None or doc.why:
            why = doc.why if doc is not None else "not in a Secret: move it into one synced by External Secrets"
            left.append(Left(display, finding.span.line, finding.rule, why))
            continue
        if doc.start in done:
            continue
        done.add(doc.start)
        name = _unique(_UNSAFE.sub("-", f"{prefix}{doc.namespace or 'default'}/{doc.name}").strip("/-")[:500], names)
        replacement = kubernetes.manifest(doc, name, store)
        line = table.position(doc.start)[0]
        moves.append(Move(display, line, "metadata.name", "kubernetes", doc.start, doc.end, name, replacement,
                          len(kubernetes.value(doc)), document=True))  # fmt: skip


def _no_echo(text: str, display: str, every: list[Scalar], moves: list[Move]) -> list[Insert]:
    """``NoEcho: true`` under each parameter whose Default now resolves a secret, unless it says NoEcho already."""
    found = []
    keys = {s.key for s in every if s.role == "key"}
    for move in moves:
        parts = segments(move.key)
        if parts[0] != "Parameters" or f"Parameters.{parts[1]}.NoEcho" in keys:
            continue
        line_start = text.rfind("\n", 0, move.start) + 1
        indent = len(text[line_start:]) - len(text[line_start:].lstrip(" "))
        end = text.find("\n", move.end)
        if end < 0:
            found.append(Insert(display, len(text), "\n" + " " * indent + "NoEcho: true\n"))
        else:
            found.append(Insert(display, end + 1, " " * indent + "NoEcho: true\n"))
    return found


class _Pod:
    """A spicepod's secrets section: where migrate's store goes, and the keys it holds."""

    def __init__(
        self, text: str, display: str, found: list[Scalar], naming: Naming, path: Path, names: dict[str, int]
    ) -> None:
        self.text, self.display = text, display
        self.why = "a spicepod of several YAML documents: add the store by hand" if any(s.doc for s in found) else ""
        stores = {s.value for s in found if s.role == "value" and re.fullmatch(r"secrets\[\d+\]\.name", s.key)}
        self.store = next(n for n in (SPICE_STORE, *(f"{SPICE_STORE}{i}" for i in range(2, 99))) if n not in stores)
        self.secret_name = _name(naming, path, "", names, whole=True)
        self.entries = [s for s in found if s.key.startswith("secrets[") and s.role != "comment"]
        self.section = next((s for s in found if s.role == "key" and s.key == "secrets"), None)
        if self.section is not None and not self.entries:
            self.why = "its secrets: section is empty or written inline: add the aws_secrets_manager store by hand"
        self._keys: dict[str, int] = {}

    def key(self, key_path: str) -> str:
        base = _IDENTIFIER.sub("_", last_key(key_path) or "value").strip("_") or "value"
        return _unique(base if base[0].isalpha() else f"k_{base}", self._keys, "_")

    def insert(self) -> Insert:
        entry = f"- from: aws_secrets_manager:{self.secret_name}\n  name: {self.store}\n"
        if self.section is None:  # no secrets: yet; keep the env store that was the default
            block = "secrets:\n  - from: env\n    name: env\n" + "".join(f"  {line}\n" for line in entry.splitlines())
            at = len(self.text)
            return Insert(self.display, at, ("" if self.text.endswith("\n") else "\n") + block)
        first = min(self.entries, key=lambda s: s.start)
        line_start = self.text.rfind("\n", 0, first.start) + 1
        dash = self.text.find("-", line_start, first.start)
        indent = " " * (dash - line_start) if dash >= 0 else "  "
        last = max(self.entries, key=lambda s: s.end)
        end = self.text.find("\n", last.end)
        at = len(self.text) if end < 0 else end + 1
        lead = "" if end >= 0 or self.text.endswith("\n") else "\n"
        return Insert(self.display, at, lead + "".join(f"{indent}{line}\n" for line in entry.splitlines()))


def scalars(text: str) -> list[Scalar]:
    return [s for s in open_source("yaml", text).scalars() if s.role not in ("key", "comment")]


def _unmovable(scalar: Scalar | None, dialect: str) -> str:
    if scalar is None:
        return "not inside a value (a comment, or text YAML does not read): delete it, and rotate it"
    if "\n" in scalar.value:
        return "a value of several lines (a key or a certificate): store it by hand, it is kept as written"
    if dialect == "cloudformation":
        parts = segments(scalar.key)
        if "Environment" in parts and "ContainerDefinitions" in parts:
            return (
                "an ECS container's Environment entry not written as two block lines: move it to Secrets "
                "with ValueFrom: the secret's ARN (a resolve would put the value into the task definition)"
            )
        properties = len(parts) >= 4 and parts[0] == "Resources" and parts[2] == "Properties"
        default = len(parts) == 3 and parts[0] == "Parameters" and parts[2] == "Default"
        if not properties and not default:
            return (
                "outside resource properties and parameter defaults, where CloudFormation does not resolve "
                "secretsmanager references: move the value into the property that uses it"
            )
    return ""


class Naming(NamedTuple):
    """How secrets are named: ``{prefix}``, ``{stem}`` (the file's name before its first dot), ``{key}``."""

    prefix: str = ""
    template: str = TEMPLATE


def _name(naming: Naming, file: Path, key: str, taken: dict[str, int], *, whole: bool = False) -> str:
    """A secret's name; ``whole``: the name of a file's one secret (the template without its key)."""
    stem = file.name.split(".", 1)[0] or "file"
    # CloudFormation's structure words say nothing about the secret: Db/MasterUserPassword, not Resources/…,
    # and a parameter is its name.
    parts = [
        p for p in segments(key) if not p.isdigit() and p not in ("Resources", "Properties", "Parameters", "Default")
    ]
    last = "" if whole else ("/".join(parts) or "value")
    name = _unique(
        _UNSAFE.sub("-", naming.template.format(prefix=naming.prefix, stem=stem, key=last)).strip("/-_.")[:500], taken
    )
    if name_problems(name):
        raise UsageError(f"the naming template makes an invalid secret name: {redact.name(name) or '(empty)'}")
    return name


def values(plan: Plan, files: Mapping[str, FileRef]) -> dict[tuple[str, int], str]:
    """The value of each move, read again from its file: for --apply only, dropped when it is done."""
    found: dict[tuple[str, int], str] = {}
    for display in {move.path for move in plan.moves}:
        text = read_text(files[display].path, 1 << 30)
        by_start = {s.start: s.value for s in scalars(text)}
        by_start.update({d.start: kubernetes.value(d) for d in kubernetes.secrets(text).values() if not d.why})
        for move in plan.moves:
            at = move.anchor[0] if move.anchor else move.start
            if move.path == display and at in by_start:
                found[(display, move.start)] = by_start[at][move.cut :]
    return found

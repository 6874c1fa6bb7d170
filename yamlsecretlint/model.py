"""The values that flow between the pipeline's stages.

files -> sources (Scalar) -> checks (Hit) -> findings (Finding) -> reports

NamedTuples rather than dataclasses: they are as typed and immutable, and
building a dataclass costs milliseconds at import, which a pre-commit hook
pays on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from os import PathLike
from typing import Literal, NamedTuple, Protocol

FileKind = Literal["yaml", "dotenv"]
#: A file's path as the os functions take it.
StrPath = str | PathLike[str]
Severity = Literal["error", "warning", "note"]
#: What a scalar is in its file: a mapping key, a value, a comment, a raw line
#: of a file that did not parse, or the text of a template tag.
Role = Literal["key", "value", "comment", "line", "template"]
ROLES: tuple[Role, ...] = ("key", "value", "comment", "line", "template")


class FileRef(NamedTuple):
    """A file to lint: where it is, how reports name it, how it is parsed."""

    #: A walk gives strings: a Path for each of thousands of files costs a walk a fifth of its time.
    path: StrPath
    display: str
    kind: FileKind


class Scalar(NamedTuple):
    """One string of a file, with its key path and where its text is written.

    ``start``/``end`` are character offsets into the source text of the region
    that holds the scalar as written (quotes, escapes and block indentation
    included); ``value`` is what the scalar means. A large file yields
    hundreds of thousands of these.
    """

    value: str
    key: str
    role: Role
    start: int
    end: int
    #: Index of the YAML document in its file (0 for dotenv).
    doc: int = 0
    #: An explicit YAML tag (``!Ref``, ``!vault``, ``!!binary``); empty for plain strings.
    tag: str = ""
    #: The name the value is filed under: its own key, or the ``name`` of a
    #: Kubernetes/ECS ``name:``/``value:`` pair; empty for list items and comments.
    name: str = ""
    #: Bits of the triggers (sources.marks) its written text holds; -1 when not known.
    marks: int = -1


class TriggerScanner(Protocol):
    """What the walker needs of sources.marks.Marker (declared here so the model imports no stage)."""

    def bits(self, triggers: Iterable[str]) -> int: ...

    def scan(self, text: str) -> list[tuple[int, int]]: ...


class Interest(NamedTuple):
    """What the checks look at in a YAML file; the walker builds no Scalar for the rest.

    Most scalars of a real file are short and harmless (``replicas: 3``,
    ``image: nginx``); building and dispatching a tuple for each one costs
    more than parsing it. Templates and the raw lines of a broken file are
    always yielded.
    """

    #: Finds the checks' triggers in a text (a sources.marks.Marker): a scalar whose
    #: written text holds one is wanted, and is told which.
    marker: TriggerScanner | None = None
    #: ASCII words, in any case: a value with a blank that holds one is wanted.
    words: tuple[str, ...] = ()
    #: Values and comments exactly this many characters long are wanted (a whole-value token shape).
    lengths: frozenset[int] = frozenset()
    #: Values filed under a name for which this is true are wanted, and comments that
    #: read as such a key and a value (a commented-out line).
    names: Callable[[str], bool] | None = None
    #: Every scalar under these top-level mapping keys is wanted.
    root_keys: frozenset[str] = frozenset()
    #: Every scalar is wanted.
    everything: bool = False
    #: Trigger bits that want a value only when ``confirm(value, marks)`` holds (a scalar whose
    #: marks are all weak, and that nothing else wants, is not built otherwise).
    weak: int = 0
    confirm: Callable[[str, int], bool] | None = None


class Fix(NamedTuple):
    """Text to write instead of ``[start:end]``: of a scalar's value in a Hit, of the file's text in a Finding."""

    start: int
    end: int
    text: str
    #: The text it replaces, filled in where the fix is placed in the file (engine.source_fix).
    old: str = ""


class Hit(NamedTuple):
    """A check's answer: a rule matched ``scalar.value[start:end]``."""

    rule: str
    scalar: Scalar
    start: int
    end: int
    message: str
    #: Overrides the rule's severity for this hit (an unknown but plausible region is a warning).
    severity: str = ""
    #: The certain fix (--fix), when there is one: offsets into ``scalar.value``.
    fix: Fix | None = None


class Reference(NamedTuple):
    """A secret reference, in any dialect: what the online verifier checks.

    ``provider`` says where the secret lives: ``aws-secretsmanager`` (the only
    one verified online), ``env``, ``mage``, ``azure-keyvault``, ``gcp``,
    ``vault``, ``doppler``, ``kubernetes``, ``keyring``, ``file``, ``ssm``.
    """

    dialect: str
    provider: str
    secret_id: str
    json_key: str = ""
    version_stage: str = ""
    version_id: str = ""
    region: str = ""
    store: str = ""
    #: Mage reads secrets through aws-secretsmanager-caching, which also calls DescribeSecret.
    needs_describe: bool = False
    #: Mage pastes a tag's rendered text into the YAML before parsing it: how the tag is quoted there
    #: (double, single, plain-start, plain, block; empty when the value is not pasted whole).
    pasted_into: str = ""
    #: The SSM parameter type a reference's form requires (CloudFormation: ssm String, ssm-secure SecureString).
    parameter_type: str = ""
    #: The principal the reader runs as, where its files say (an ExternalSecret's store role):
    #: what ``--principal-arn auto`` simulates.
    principal: str = ""


class RefHit(NamedTuple):
    """A reference found at ``scalar.value[start:end]``."""

    reference: Reference
    scalar: Scalar
    start: int
    end: int


class ParseError(NamedTuple):
    """A file (or part of one) that did not parse: a YSL9xx rule at an offset."""

    rule: str
    offset: int
    message: str


class Span(NamedTuple):
    """1-based line and column; ``end_column`` is exclusive (as in SARIF)."""

    line: int
    column: int
    end_line: int
    end_column: int


class Finding(NamedTuple):
    rule: str
    category: str
    severity: Severity
    path: str
    span: Span
    key: str
    message: str
    fingerprint: str
    #: The 10-bit tag of the matched value (fingerprint.value_tag): baselines key on it.
    tag: str = ""
    #: "inline" or "baseline" when a suppression covers the finding; reports leave those
    #: out, SARIF emits them with `suppressions`.
    suppressed: str = ""
    #: History scans (--since, --history): the first commit of the range that recorded it.
    commit: str = ""
    #: History scans: no longer in the file's last version of the range (or the file is gone):
    #: deleted, but still in the repository's history, so the secret must be rotated.
    removed: bool = False
    #: The certain fix (--fix): offsets into the file's decoded text, checked to hold the text it replaces.
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.column, self.rule, self.key)


class LocatedReference(NamedTuple):
    reference: Reference
    path: str
    span: Span
    key: str


class Directive(NamedTuple):
    """An inline suppression comment (suppress.py): where it is, the line it covers, the rules it names."""

    line: int
    column: int
    end_column: int
    #: The line it covers.
    target: int
    rules: tuple[str, ...]
    #: The last line it covers: the end of a block scalar that starts on ``target`` (`key: |`), else ``target``.
    last: int = 0


class SecretStore(NamedTuple):
    """An External Secrets ``SecretStore`` or ``ClusterSecretStore``: what its ExternalSecrets read through."""

    provider: str
    region: str
    #: The role ARN the store reads as, or references/kubernetes.py's SERVICE_ACCOUNT + namespace/name, or "".
    principal: str = ""


class Declared(NamedTuple):
    """What one file declares that other files' references read through (project.settle)."""

    #: (kind, name) -> the store.
    stores: dict[tuple[str, str], SecretStore]
    #: ``namespace/name`` and ``/name`` of each ServiceAccount -> its IRSA role.
    accounts: dict[str, str]


class FileResult(NamedTuple):
    findings: list[Finding]
    references: list[LocatedReference]
    #: The file's inline suppressions, applied by the findings stage.
    directives: tuple[Directive, ...] = ()
    #: What it declares for other files' references, found by the worker that linted it (None: nothing).
    declares: Declared | None = None

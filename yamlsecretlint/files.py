"""Which files to lint: command-line paths walked into YAML and dotenv files.

Decisions (README "Which files are linted"):
- A file named on the command line is linted whatever its name: by its name
  if that tells the kind, else as YAML. A missing path there is a usage error.
- Directories are walked without following symlinked directories (no loops),
  skipping VCS folders, virtualenvs, ``node_modules`` and tool caches, and,
  inside a git work tree, what git ignores (one ``git ls-files`` call per
  work tree; without git nothing is filtered).
- ``exclude`` globs apply to what the walk discovers, never to a path named
  on the command line, so ``yamlsecretlint examples/`` lints an excluded
  ``examples/`` while ``yamlsecretlint .`` skips it.
- With ``force_exclude`` (``--force-exclude``, as ruff's hook uses it) a named
  file is chosen exactly as the walk chooses one: by its name or ``include``,
  and not ``exclude``d. The pre-commit hook passes every staged file that way,
  so the hook and a CI walk lint the same files whatever the configuration
  says, and a file pre-commit tags as binary (UTF-16) still reaches the tool.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple

from yamlsecretlint.errors import PathError
from yamlsecretlint.model import FileKind, FileRef

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".venv",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)


GIT = "git"


#: Template suffixes: `values.yaml.gotmpl`, `config.yml.j2`, `.env.tpl` are their inner format, templated
#: (tags are masked as in Mage files; sources/template.py).
_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tpl", ".tmpl", ".gotmpl", ".template")
#: JSON that is configuration, by name: Docker's credentials files.
_JSON_NAMES = frozenset({".dockerconfigjson", ".dockercfg"})
#: JSON that is configuration, by what its first 64 KB hold: CloudFormation, ECS task definitions, Docker auths.
_JSON_MARKERS = ('"AWSTemplateFormatVersion"', '"containerDefinitions"', '"auths"', '"Type": "AWS::', '"Type":"AWS::')
_JSON_SNIFF = 64 * 1024


def kind_of(name: str) -> FileKind | None:
    """The kind a file's name says, templates by the name inside (`app.yaml.j2` is YAML)."""
    lower = name.lower()
    for suffix in _TEMPLATE_SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            lower = lower[: -len(suffix)]
            break
    if lower.endswith((".yml", ".yaml")) or lower in _JSON_NAMES:
        return "yaml"
    if lower in (".env", ".envrc") or lower.startswith((".env.", "env.")) or lower.endswith(".env"):
        return "dotenv"
    if ".env." in lower:  # prod.env.local
        return "dotenv"
    return None


def json_is_configuration(path: str) -> bool:
    """Whether a ``*.json`` file is configuration worth linting, from its first 64 KB (never a lockfile)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_JSON_SNIFF)
    except OSError:
        return False
    return json_head_is_configuration(head)


def json_head_is_configuration(data: bytes) -> bool:
    """The same judgement from a file's bytes (a blob of history has no file to open)."""
    head = data[:_JSON_SNIFF].decode("utf-8", "replace")
    return any(marker in head for marker in _JSON_MARKERS)


def skip_reason(name: str) -> str | None:
    """Why a file whose name looks like configuration is not linted (for --show-files); None: not a candidate."""
    lower = name.lower()
    if lower.endswith(".json"):
        return "JSON without CloudFormation, ECS or Docker markers in its first 64 KB"
    if lower.endswith(_TEMPLATE_SUFFIXES):
        return "a template of a format other than YAML or dotenv"
    return None


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-style glob: no ``/`` matches a name at any depth; ``**`` spans folders."""
    pattern = pattern.strip().rstrip("/")
    anchored = "/" in pattern
    pattern = pattern.lstrip("/")
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    body = "".join(out)
    return re.compile(body if anchored else f"(?:.*/)?{body}")


class Discovery(NamedTuple):
    files: list[FileRef]
    #: (display path, reason) of what the walk met but could not read.
    unreadable: list[tuple[str, str]]
    #: (display path, reason) of what the walk met, that looks like configuration, and chose not to lint.
    skipped: list[tuple[str, str]]


def display_path(path: str, cwd: str) -> str:
    prefix = cwd.rstrip(os.sep) + os.sep
    if path.startswith(prefix):  # the common case, without relpath's normalising (a walk calls this per file)
        return path[len(prefix) :].replace(os.sep, "/")
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # pragma: no cover - another drive on Windows
        rel = path
    return rel.replace(os.sep, "/")


def git_root(directory: str) -> str | None:
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _git_ignored(root: str) -> set[str]:
    import subprocess  # only a directory walk asks git

    try:
        # git from PATH, fixed arguments: the user's own git decides what it ignores.
        out = subprocess.run(  # noqa: S603
            [GIT, "-C", root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
            capture_output=True,
            timeout=60,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    names = out.decode("utf-8", "surrogateescape").split("\0")
    return {os.path.normpath(os.path.join(root, name)) for name in names if name}


class Scope(NamedTuple):
    """What a folder's configuration says of its files: globs relative to ``base`` (its folder)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    base: str = ""


class _Rules(NamedTuple):
    include: list[re.Pattern[str]]
    exclude: list[re.Pattern[str]]
    base: str


class Walker:
    def __init__(
        self,
        *,
        gitignore: bool = True,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        exclude_base: str | None = None,
        cwd: str | None = None,
        force_exclude: bool = False,
        scope: Callable[[str], Scope] | None = None,
        listed: Callable[[str, list[str]], None] | None = None,
    ) -> None:
        """``scope``: each folder's include and exclude, when folders have configurations of their own;
        otherwise ``include`` and ``exclude`` (relative to ``exclude_base``) hold everywhere.
        ``listed``: told the names in each folder the walk reads (a configuration lookup needs no stat then)."""
        self.gitignore = gitignore
        self.force_exclude = force_exclude
        self.cwd = cwd or os.getcwd()
        #: Exclude globs are relative to the configuration file's folder.
        default = Scope(tuple(include), tuple(exclude), exclude_base or self.cwd)
        self._scope = scope or (lambda _directory: default)
        self._listed = listed
        self._compiled: dict[Scope, _Rules] = {}
        self._in: dict[str, _Rules] = {}
        self._ignored: dict[str, set[str]] = {}

    def _rules(self, path: str) -> _Rules:
        """The include and exclude rules that hold for ``path``: its folder's configuration's."""
        return self._rules_in(os.path.dirname(path))

    def _rules_in(self, directory: str) -> _Rules:
        rules = self._in.get(directory)
        if rules is None:
            scope = self._scope(directory)
            rules = self._compiled.get(scope)
            if rules is None:
                include, exclude = [glob_regex(p) for p in scope.include], [glob_regex(p) for p in scope.exclude]
                rules = self._compiled[scope] = _Rules(include, exclude, scope.base or self.cwd)
            self._in[directory] = rules
        return rules

    def _ignored_in(self, directory: str) -> set[str]:
        if not self.gitignore:
            return set()
        root = git_root(directory)
        if root is None:
            return set()
        if root not in self._ignored:
            self._ignored[root] = _git_ignored(root)
        return self._ignored[root]

    def _included(self, path: str, rules: _Rules | None = None) -> bool:
        """``rules``: the folder's, when the caller has them (a walk looks them up once a folder)."""
        rules = rules or self._rules(path)
        if not rules.include:
            return False
        rel = display_path(path, rules.base)
        return any(rx.fullmatch(rel) for rx in rules.include)

    def _excluded(self, path: str, rules: _Rules | None = None) -> bool:
        rules = rules or self._rules(path)
        if not rules.exclude:
            return False
        rel = display_path(path, rules.base)
        return any(rx.fullmatch(rel) for rx in rules.exclude)

    def _excluded_here_or_above(self, path: str) -> bool:
        """Excluded itself or inside an excluded folder, as a walk would have skipped it."""
        # Each folder on the way up is judged by its own parent's configuration, as the walk judges it.
        while True:
            rules = self._rules(path)
            if rules.exclude and path.startswith(os.path.normpath(rules.base) + os.sep) and self._excluded(path):
                return True
            parent = os.path.dirname(path)
            if parent == path:
                return False
            path = parent

    def kind_in_history(self, path: str, relative: str) -> FileKind | Literal["json"] | None:
        """What a walk would lint ``path`` (``relative`` to the repository) as, judged by name and
        configuration only: a blob of history or of the index has no file to stat, and history no
        working-tree ignores (the configuration's ``exclude`` holds). ``json``: decide by its content."""
        if any(part in SKIP_DIRS for part in relative.split("/")[:-1]) or self._excluded_here_or_above(path):
            return None
        name = os.path.basename(path)
        kind = kind_of(name)
        if kind is None and self._included(path):
            kind = "yaml"
        if kind is None and name.lower().endswith(".json"):
            return "json"
        return kind

    def collect(self, paths: Sequence[str]) -> Discovery:
        found = Discovery([], [], [])
        seen: set[str] = set()
        for arg in paths:
            path = os.path.normpath(os.path.join(self.cwd, arg))
            if not os.path.lexists(path):
                try:
                    os.lstat(path)
                except PermissionError:
                    raise PathError(f"{arg}: permission denied (a folder on its path cannot be searched)") from None
                except OSError:
                    pass
                raise PathError(f"{arg}: no such file or directory")
            if os.path.isdir(path):
                if not os.access(path, os.R_OK | os.X_OK):
                    raise PathError(f"{arg}: permission denied")
                self._walk(path, found, seen)
            elif path not in seen:
                if os.path.isfile(path) and not os.access(path, os.R_OK):
                    raise PathError(f"{arg}: permission denied")
                seen.add(path)
                name = os.path.basename(path)
                kind = kind_of(name)
                # Without --force-exclude a named file is linted whatever it is: no need to sniff it.
                json = self.force_exclude and kind is None and name.lower().endswith(".json")
                if json and json_is_configuration(path):
                    kind = "yaml"
                if self.force_exclude and (
                    self._excluded_here_or_above(path) or (kind is None and not self._included(path))
                ):
                    continue
                found.files.append(FileRef(path, display_path(path, self.cwd), kind or "yaml"))
        return found

    def _walk(self, top: str, found: Discovery, seen: set[str]) -> None:
        ignored = self._ignored_in(top)
        stack = [top]
        while stack:
            directory = stack.pop()
            try:
                with os.scandir(directory) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                found.unreadable.append((display_path(directory, self.cwd), f"cannot read: {exc.strerror or exc}"))
                continue
            # A virtualenv below the top is skipped whole; its names, read anyway, tell it (no stat a folder).
            if directory != top and any(entry.name == "pyvenv.cfg" for entry in entries):
                continue
            if self._listed is not None:
                self._listed(directory, [entry.name for entry in entries])
            rules = self._rules_in(directory)
            subdirs = []
            for entry in entries:
                path = entry.path  # the folder's path is normalised, and a name holds no separator
                if path in ignored or path in seen or self._excluded(path, rules):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in SKIP_DIRS:
                            subdirs.append(path)
                        continue
                    kind = kind_of(entry.name)
                    if kind is None and self._included(path, rules):
                        kind = "yaml"
                    if kind is None and entry.name.lower().endswith(".json") and json_is_configuration(path):
                        kind = "yaml"  # JSON is YAML, with positions
                    if kind is None:
                        reason = skip_reason(entry.name)
                        if reason is not None:
                            found.skipped.append((display_path(path, self.cwd), reason))
                        continue
                    # A symlink to a file is linted; a FIFO, a device or a dangling link is
                    # reported, not skipped: what was not read was not checked.
                    if not entry.is_file():
                        from yamlsecretlint.sources.text import not_regular

                        found.unreadable.append((display_path(path, self.cwd), not_regular(path)))
                        continue
                except OSError as exc:
                    found.unreadable.append((display_path(path, self.cwd), f"cannot read: {exc.strerror or exc}"))
                    continue
                seen.add(path)
                found.files.append(FileRef(path, display_path(path, self.cwd), kind))
            stack.extend(reversed(subdirs))

"""Configuration files: found, parsed and checked against a JSON Schema.

The run's configuration is found by walking up from the current directory to
the repository root: ``.yamlsecretlint.yaml`` (or ``.yml``) first, else a
``[tool.yamlsecretlint]`` table in ``pyproject.toml``. Each file is then linted
with the configuration nearest to it (:class:`Configs`, as ruff does): a
monorepo's ``pc/.yamlsecretlint.yaml`` governs ``pc/`` when the run starts at
the root. ``--config`` names one configuration for every file. jsonschema is
imported only when a file exists.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

from yamlsecretlint import lazyre
from yamlsecretlint.errors import ConfigError

CONFIG_NAMES = (".yamlsecretlint.yaml", ".yamlsecretlint.yml")
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "config.schema.json"
#: Configuration is a few hundred bytes; a larger file is not one.
MAX_SIZE = 1024 * 1024
_SIZE = lazyre.compile(r"([0-9]+)\s*([kKmM]?)(?:[iI]?[bB])?")


class Config(NamedTuple):
    source: Path | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    max_file_size: int | None = None
    gitignore: bool = True
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    principal_arn: str | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severities: tuple[tuple[str, str], ...] = ()
    secret_keys: tuple[str, ...] = ()
    allowed_values: tuple[str, ...] = ()
    #: The baseline every run uses (relative to the configuration file), unless --baseline says another.
    baseline: str | None = None
    #: The keys the file set, for --show-config.
    keys: tuple[str, ...] = ()

    @property
    def base(self) -> Path | None:
        return self.source.parent if self.source else None


def parse_size(text: str | int) -> int:
    if isinstance(text, int):
        return text
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a size: {text!r} (use bytes, or a k/M suffix)")
    return int(match.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[match.group(2).lower()]


def _repo_dirs(start: Path) -> list[Path]:
    dirs = []
    for directory in (start, *start.parents):
        dirs.append(directory)
        if (directory / ".git").exists():
            break
    return dirs


def discover(cwd: Path) -> tuple[Path, dict[str, Any]] | None:
    dirs = _repo_dirs(cwd.resolve())
    for directory in dirs:
        for name in CONFIG_NAMES:
            if (directory / name).is_file():
                return directory / name, _read_yaml(directory / name)
    for directory in dirs:
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            table = _read_pyproject(pyproject)
            if table is not None:
                return pyproject, table
    return None


def _read(path: Path) -> str:
    """A configuration file's text: a regular file under MAX_SIZE, never a FIFO or a device."""
    from yamlsecretlint.sources.text import Unreadable, read_text

    try:
        return read_text(path, MAX_SIZE)
    except Unreadable as exc:
        raise ConfigError(f"{path}: cannot read: {str(exc).replace('--max-file-size', 'the limit')}") from None


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    from yamlsecretlint.sources.frames import too_deep

    text = _read(path)
    if too_deep(text):
        raise ConfigError(f"{path}: nested too deeply to be a configuration")
    try:
        data = yaml.load(text, Loader=_strict_loader())  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as exc:
        raise ConfigError(f"{path}:{exc.line}: key {exc.key!r} is set twice (each setting is written once)") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a configuration") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings")
    return data


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


def _strict_loader() -> type:
    """PyYAML's SafeLoader, but a key written twice in one mapping is an error, not 'the last one wins'."""
    import yaml

    class StrictLoader(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            seen: set[str] = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    if key_node.value in seen:
                        raise _DuplicateKey(key_node.value, key_node.start_mark.line + 1)
                    seen.add(key_node.value)
            return super().construct_mapping(node, deep)

    return StrictLoader


def _read_pyproject(path: Path) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a configuration") from None
    table = data.get("tool", {}).get("yamlsecretlint")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.yamlsecretlint] must be a table")
    return table


def validate(source: Path, data: dict[str, Any]) -> None:
    schema_text = SCHEMA_PATH.read_text(encoding="utf-8")
    verdict = _verdict(schema_text, data)
    if verdict is not None and verdict.exists():
        return  # this very configuration passed this very schema before: no jsonschema import (~50 ms)
    import jsonschema

    schema = json.loads(schema_text)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if not errors and verdict is not None:
        try:
            verdict.parent.mkdir(parents=True, exist_ok=True)
            verdict.touch()
        except OSError:
            pass  # no cache: the next run validates again
    if errors:
        error = errors[0]
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and not path:
            import difflib

            unknown = next(key for key in data if key not in schema["properties"])
            close = difflib.get_close_matches(str(unknown), schema["properties"], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            settings = ", ".join(schema["properties"])
            line = _line_of(source, [unknown])
            raise ConfigError(f"{source}{line}: unknown setting {unknown!r}{hint} (the settings: {settings})")
        where = ".".join(str(p) for p in path) or "(top level)"
        raise ConfigError(f"{source}{_line_of(source, path)}: {where}: {_in_words(error, schema)}")


def _verdict(schema_text: str, data: dict[str, Any]) -> Path | None:
    """The marker file of "this configuration passed this schema": named by a hash, holding nothing.

    In ``$YAMLSECRETLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/yamlsecretlint``, else
    ``~/.cache/yamlsecretlint``; ``YAMLSECRETLINT_NO_CACHE=1`` validates every time.
    Only a configuration that passed gets one, so every error is found and worded
    as before, on every run. The digest is BLAKE2b from CPython's small ``_blake2``
    module, which hashlib wraps: importing hashlib loads OpenSSL (~3 ms a run).
    """
    if os.environ.get("YAMLSECRETLINT_NO_CACHE"):
        return None
    try:
        from _blake2 import blake2b
    except ImportError:  # an interpreter built without it
        from hashlib import blake2b

    from yamlsecretlint import __version__

    base = os.environ.get("YAMLSECRETLINT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "yamlsecretlint"
    )
    canonical = json.dumps(data, sort_keys=True, default=repr)
    digest = blake2b(f"{__version__}\0{schema_text}\0{canonical}".encode("utf-8", "surrogatepass")).hexdigest()
    return Path(base) / "valid-configurations" / digest


_KINDS = {
    "array": "a list",
    "object": "a mapping",
    "string": "a string",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "nothing",
}


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    for kind, python in (("array", list), ("object", dict), ("string", str), ("integer", int), ("number", float)):
        if isinstance(value, python):
            return _KINDS[kind]
    return "nothing"


def _in_words(error: Any, schema: dict[str, Any]) -> str:
    """A schema error as the form expected, in words, and what was written instead."""
    got = repr(error.instance) if isinstance(error.instance, (str, int, float)) else _kind_of(error.instance)
    top = str(error.absolute_path[0]) if error.absolute_path else ""
    about = schema["properties"].get(top, {}).get("description", "")
    example = f" ({about})" if about else ""
    if error.validator == "type":
        expected = error.validator_value
        names = [str(k) for k in (expected if isinstance(expected, list) else [expected])]
        kinds = " or ".join(_KINDS.get(k, k) for k in names)
        return f"expected {kinds}, got {got}{example}"
    if error.validator == "enum":
        return f"expected one of {', '.join(map(str, error.validator_value))}, got {got}"
    examples = error.schema.get("examples") if isinstance(error.schema, dict) else None
    like = f" such as {' or '.join(map(str, examples))}" if examples else example
    if error.validator in ("pattern", "format", "minLength"):
        return f"expected a value{like}, got {got}"
    if error.validator == "minimum":
        return f"expected at least {error.validator_value}, got {got}"
    if error.validator == "oneOf":
        forms = [s.get("examples", [None])[0] for s in error.validator_value if isinstance(s, dict)]
        shown = " or ".join(str(f) for f in forms if f is not None)
        return f"expected a value such as {shown}, got {got}" if shown else f"not of the form expected, got {got}"
    return str(error.message)


def _line_of(source: Path, path: list[Any]) -> str:
    """``:LINE`` of the setting at ``path`` in a YAML configuration file ('' if it cannot be placed)."""
    if source.name == "pyproject.toml":
        return ""
    import yaml

    try:
        node = yaml.compose(_read(source), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ConfigError, RecursionError):
        return ""
    line = node.start_mark.line if node is not None else -1
    for step in path:
        if isinstance(node, yaml.MappingNode):
            pairs = [(k, v) for k, v in node.value if getattr(k, "value", None) == str(step)]
            if not pairs:
                break
            line, node = pairs[0][0].start_mark.line, pairs[0][1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line
        else:
            break
    return f":{line + 1}" if line >= 0 else ""


def load(explicit: Path | None, cwd: Path) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"--config {explicit}: no such file")
        if explicit.name == "pyproject.toml":
            found = (explicit, _read_pyproject(explicit) or {})
        else:
            found = (explicit, _read_yaml(explicit))
    else:
        discovered = discover(cwd)
        if discovered is None:
            return Config()
        found = discovered
    return _config(*found)


_LOOKED_FOR = frozenset({*CONFIG_NAMES, "pyproject.toml", ".git"})


class Configs:
    """The configuration of each folder: the nearest file above it, up to its repository's root.

    Nearest wins whole (no merging, as in ruff): a folder without a file of its own
    takes its parent's, and a repository without one takes the run's. With
    ``--config`` every folder takes that one.
    """

    def __init__(self, run: Config, *, explicit: bool = False) -> None:
        self.run = run
        self.explicit = explicit
        self._of: dict[str, Config] = {}
        self._read: dict[Path, Config] = {} if run.source is None else {run.source: run}
        #: Folders whose names a walk has read: which of _LOOKED_FOR each holds, known without a stat.
        self._holds: dict[str, frozenset[str]] = {}

    def listed(self, directory: str, names: list[str]) -> None:
        """A walk read ``directory``: remember which configuration files (and ``.git``) are there."""
        self._holds[directory] = _LOOKED_FOR.intersection(names)

    def of(self, directory: str) -> Config:
        """The configuration that governs the files in ``directory`` (an absolute path)."""
        if self.explicit:
            return self.run
        known = self._of.get(directory)
        if known is not None:
            return known
        found = self._here(directory)
        if found is None:
            parent = os.path.dirname(directory)
            holds = self._holds.get(directory)
            repository = ".git" in holds if holds is not None else os.path.exists(os.path.join(directory, ".git"))
            at_root = parent == directory or repository
            found = self.run if at_root else self.of(parent)
        self._of[directory] = found
        return found

    def _here(self, directory: str) -> Config | None:
        # os.path, not pathlib: a walk asks this of every folder it meets (without a stat, when it read it).
        holds = self._holds.get(directory)
        if holds is not None and not holds - {".git"}:
            return None
        for name in CONFIG_NAMES:
            path = os.path.join(directory, name)
            if (holds is None or name in holds) and os.path.isfile(path):
                return self._load(Path(path), None)
        pyproject = os.path.join(directory, "pyproject.toml")
        if (holds is None or "pyproject.toml" in holds) and os.path.isfile(pyproject):
            table = _read_pyproject(Path(pyproject))
            if table is not None:
                return self._load(Path(pyproject), table)
        return None

    def _load(self, path: Path, table: dict[str, Any] | None) -> Config:
        resolved = path.resolve()
        if resolved not in self._read:
            self._read[resolved] = _config(path, _read_yaml(path) if table is None else table)
        return self._read[resolved]


def _config(source: Path, data: dict[str, Any]) -> Config:
    validate(source, data)
    _check_regexes(source, data)
    return Config(
        source=source.resolve(),
        include=tuple(data.get("include", ())),
        exclude=tuple(data.get("exclude", ())),
        select=tuple(data.get("select", ())),
        ignore=tuple(data.get("ignore", ())),
        max_file_size=_max_file_size(source, data),
        gitignore=bool(data.get("gitignore", True)),
        region=data.get("region"),
        profile=data.get("profile"),
        endpoint_url=data.get("endpoint-url"),
        principal_arn=data.get("principal-arn"),
        per_file_ignores=tuple((glob, tuple(rules)) for glob, rules in data.get("per-file-ignores", {}).items()),
        severities=tuple(data.get("severity", {}).items()),
        secret_keys=tuple(data.get("secret-keys", ())),
        allowed_values=tuple(data.get("allowed-values", ())),
        baseline=data.get("baseline"),
        keys=tuple(data),
    )


def _max_file_size(source: Path, data: dict[str, Any]) -> int | None:
    if "max-file-size" not in data:
        return None
    size = parse_size(data["max-file-size"])
    if size < 1:
        raise ConfigError(f"{source}: max-file-size: at least 1 byte (0 would skip every file)")
    return size


def _check_regexes(source: Path, data: dict[str, Any]) -> None:
    for key in ("secret-keys", "allowed-values"):
        for index, pattern in enumerate(data.get(key, ())):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{source}: {key}.{index}: not a regular expression: {exc}") from None
            from yamlsecretlint.policy import backtracking_problem

            problem = backtracking_problem(pattern)
            if problem:
                raise ConfigError(f"{source}: {key}.{index}: {problem}; write it without nested repeats")

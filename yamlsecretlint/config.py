"""Configuration files: found, parsed and checked against a JSON Schema.

Found by walking up from the current directory to the repository root:
``.yamlsecretlint.yaml`` (or ``.yml``) first, else a ``[tool.yamlsecretlint]``
table in ``pyproject.toml``. jsonschema is imported only when a file exists.
"""

from __future__ import annotations

import json
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
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        allowed = ", ".join(schema["properties"])
        hint = f"; allowed keys: {allowed}" if error.validator == "additionalProperties" else ""
        if error.validator == "additionalProperties" and not error.absolute_path:
            import difflib

            unknown = [key for key in data if key not in schema["properties"]]
            close = difflib.get_close_matches(unknown[0], schema["properties"], n=1) if unknown else []
            if close:
                hint = f"; did you mean {close[0]!r}?{hint}"
        raise ConfigError(f"{source}: {where}: {error.message}{hint}")


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
    source, data = found
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

"""Which files are linted, and how they are named in reports."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import write
from yamlsecretlint.errors import PathError
from yamlsecretlint.files import Walker, glob_regex, kind_of


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.yml", "yaml"),
        ("B.YAML", "yaml"),
        (".env", "dotenv"),
        (".env.local", "dotenv"),
        (".env.production", "dotenv"),
        ("prod.env", "dotenv"),
        (".env.yaml", "yaml"),
        (".envrc", "dotenv"),
        ("env", None),
        ("a.json", None),
        ("app.yml.j2", "yaml"),
        ("values.yaml.gotmpl", "yaml"),
        ("config.yaml.tpl", "yaml"),
        (".env.tpl", "dotenv"),
        ("env.production", "dotenv"),
        ("prod.env.local", "dotenv"),
        ("page.html.j2", None),
        (".dockerconfigjson", "yaml"),
    ],
)
def test_kind_of(name: str, kind: str | None) -> None:
    assert kind_of(name) == kind


def _names(root: Path, *paths: str, **kwargs: object) -> list[str]:
    walker = Walker(cwd=str(root), **kwargs)  # type: ignore[arg-type]
    return [f.display for f in walker.collect(list(paths) or ["."]).files]


def test_walk_skips_vcs_venv_and_node_modules(tmp_path: Path) -> None:
    for name in [
        "a.yaml",
        "sub/b.yml",
        "sub/.env.local",
        ".git/config.yaml",
        "node_modules/pkg/c.yaml",
        "venv/lib/d.yaml",
        ".tox/e.yaml",
        "notes.txt",
    ]:
        write(tmp_path, name, "k: v\n")
    write(tmp_path, "venv/pyvenv.cfg", "home = /usr\n")
    assert _names(tmp_path) == ["a.yaml", "sub/.env.local", "sub/b.yml"]


def test_a_virtualenv_named_as_the_top_is_walked(tmp_path: Path) -> None:
    write(tmp_path, "venv/pyvenv.cfg", "home = /usr\n")
    write(tmp_path, "venv/lib/d.yaml", "k: v\n")
    write(tmp_path, "venv/inner/pyvenv.cfg", "home = /usr\n")
    write(tmp_path, "venv/inner/e.yaml", "k: v\n")
    found = Walker(cwd=str(tmp_path)).collect(["venv"])
    assert [ref.display for ref in found.files] == ["venv/lib/d.yaml"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_walk_skips_git_ignored_files(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, ".gitignore", "build/\n*.local.yaml\n")
    for name in ["a.yaml", "build/out.yaml", "x.local.yaml", "sub/keep.yaml", "sub/y.local.yaml"]:
        write(tmp_path, name, "k: v\n")
    assert _names(tmp_path) == ["a.yaml", "sub/keep.yaml"]
    everything = ["a.yaml", "build/out.yaml", "sub/keep.yaml", "sub/y.local.yaml", "x.local.yaml"]
    assert sorted(_names(tmp_path, gitignore=False)) == everything
    # Walking a sub-folder still honours the work tree's .gitignore ...
    assert _names(tmp_path, "sub") == ["sub/keep.yaml"]
    # ... but a path named on the command line is linted, as with exclude.
    assert _names(tmp_path, "build", "x.local.yaml") == ["build/out.yaml", "x.local.yaml"]


def test_exclude_applies_to_discovered_paths_only(tmp_path: Path) -> None:
    for name in ["a.yaml", "examples/demo.yaml", "deep/examples/x.yaml", "tests/fixtures/f.yaml"]:
        write(tmp_path, name, "k: v\n")
    assert _names(tmp_path, exclude=["examples", "tests/**"]) == ["a.yaml"]
    assert _names(tmp_path, "examples", exclude=["examples"]) == ["examples/demo.yaml"]


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("examples", "examples", True),
        ("examples", "a/examples", True),
        ("examples/", "examples", True),
        ("/examples", "a/examples", False),
        ("tests/**", "tests/a/b.yaml", True),
        ("**/*.local.yaml", "a/b/x.local.yaml", True),
        ("*.yaml", "a/b.yaml", True),
        ("a/*.yaml", "a/b/c.yaml", False),
    ],
)
def test_glob(glob: str, path: str, matches: bool) -> None:
    assert bool(glob_regex(glob).fullmatch(path)) is matches


def test_paths_are_relative_with_slashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a/b/c.yaml", "k: v\n")
    monkeypatch.chdir(tmp_path / "a")
    walker = Walker()
    assert [f.display for f in walker.collect([str(tmp_path / "a" / "b")]).files] == ["b/c.yaml"]
    assert [f.display for f in walker.collect(["../a/b/c.yaml"]).files] == ["b/c.yaml"]


def test_same_file_twice_is_linted_once(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "k: v\n")
    assert _names(tmp_path, ".", "a.yaml", "./a.yaml") == ["a.yaml"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(PathError, match="nope: no such file or directory"):
        Walker(cwd=str(tmp_path)).collect(["nope"])


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "real/a.yaml", "k: v\n")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real" / "a.yaml")
    assert _names(tmp_path) == ["link.yaml", "real/a.yaml"]


def test_fifo_and_dangling_link_are_reported(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    found = Walker(cwd=str(tmp_path)).collect(["."])
    assert found.files == []
    assert found.unreadable == [("gone.yaml", "dangling symlink"), ("pipe.yaml", "not a regular file: a FIFO")]


def test_directory_named_like_yaml_is_walked(tmp_path: Path) -> None:
    write(tmp_path, "x.yaml/inner.yml", "k: v\n")
    assert _names(tmp_path) == ["x.yaml/inner.yml"]


def _a_character_device() -> str:
    """A tool that writes its report through a rename can leave /dev/null a regular file."""
    for name in ("/dev/null", "/dev/zero", "/dev/urandom"):
        if os.path.exists(name) and stat.S_ISCHR(os.stat(name).st_mode):
            return name
    pytest.skip("this machine has no character device under /dev (is /dev/null a plain file?)")


def test_symlinks_to_devices_and_folders_say_what_they_are(tmp_path: Path) -> None:
    (tmp_path / "null.yaml").symlink_to(_a_character_device())
    (tmp_path / "folder").mkdir()
    (tmp_path / "dir.yaml").symlink_to(tmp_path / "folder")
    found = Walker(cwd=str(tmp_path)).collect(["."])
    assert found.unreadable == [
        ("dir.yaml", "not a regular file: a symlink to a directory"),
        ("null.yaml", "not a regular file: a symlink to a character device"),
    ]


def test_a_name_behind_an_unsearchable_folder_is_permission_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root every folder is searchable, so the kernel's answer is stood in for."""
    real_lstat = os.lstat

    def lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).endswith("locked/a.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "lstat", lstat)
    monkeypatch.setattr(os.path, "lexists", lambda path: not str(path).endswith("locked/a.yaml"))
    with pytest.raises(PathError, match="permission denied"):
        Walker(cwd=str(tmp_path)).collect(["locked/a.yaml"])


def test_force_exclude_chooses_named_files_as_the_walk_does(tmp_path: Path) -> None:
    for name in ("a.yaml", "B.YML", "fixtures/c.yaml", "d.yaml.tpl", "notes.md", ".env.local"):
        write(tmp_path, name, "a: 1\n")
    named = ["a.yaml", "B.YML", "fixtures/c.yaml", "d.yaml.tpl", "notes.md", ".env.local"]
    walker = Walker(cwd=str(tmp_path), include=["*.yaml.tpl"], exclude=["fixtures/"], force_exclude=True)
    chosen = {(ref.display, ref.kind) for ref in walker.collect(named).files}
    assert chosen == {("a.yaml", "yaml"), ("B.YML", "yaml"), ("d.yaml.tpl", "yaml"), (".env.local", "dotenv")}
    # Without it, a named file is linted whatever its name or the configuration says.
    plain = Walker(cwd=str(tmp_path), include=["*.yaml.tpl"], exclude=["fixtures/"])
    assert len(plain.collect(named).files) == len(named)


def test_json_configuration_is_chosen_by_content(tmp_path: Path) -> None:
    write(tmp_path, "stack.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}')
    write(tmp_path, "taskdef.json", '{"family": "app", "containerDefinitions": []}')
    write(tmp_path, "package-lock.json", '{"name": "x", "lockfileVersion": 3}')
    write(tmp_path, "page.html.j2", "<p>{{ x }}</p>")
    found = Walker(cwd=str(tmp_path)).collect(["."])
    assert sorted(ref.display for ref in found.files) == ["stack.json", "taskdef.json"]
    assert sorted(display for display, _ in found.skipped) == ["package-lock.json", "page.html.j2"]


def test_force_exclude_sniffs_named_json_as_the_walk_does(tmp_path: Path) -> None:
    write(tmp_path, "stack.json", '{"AWSTemplateFormatVersion": "2010-09-09"}')
    write(tmp_path, "package.json", '{"name": "x"}')
    walker = Walker(cwd=str(tmp_path), force_exclude=True)
    assert [ref.display for ref in walker.collect(["stack.json", "package.json"]).files] == ["stack.json"]

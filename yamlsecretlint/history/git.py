"""The git binary as a stream: which blobs a range of commits (or the index) adds, and their contents.

The plain ``git`` binary, not pygit2 or dulwich: it is on every machine that has
a repository, costs no install, and ``git log --raw`` plus one long-lived
``git cat-file --batch`` read history as fast as git itself can (README, "History
and the index"). Every call has fixed arguments (no shell), ``--`` before paths,
and ``-z`` output: any byte of a file name is safe. A failure is one line
(:class:`HistoryError`, exit 2), never a traceback.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from typing import IO, NamedTuple, cast

from yamlsecretlint.errors import UsageError

GIT = "git"
#: What git writes for a symlink's and a submodule's entries: not files.
SYMLINK, GITLINK = "120000", "160000"
_NO_BLOB = "0" * 40
_CHUNK = 1 << 16
#: git without a terminal prompt or a pager, in the C locale (its messages are parsed).
_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}


class HistoryError(UsageError):
    """The repository or the range cannot be read: one line, exit 2."""


class Change(NamedTuple):
    """A blob a commit (or the index) records at a path."""

    commit: str
    path: str
    blob: str
    mode: str
    #: git's status letter: A added, M modified, T type changed, D deleted.
    status: str


class Git:
    def __init__(self, cwd: str) -> None:
        self.cwd = cwd
        self.env = {**os.environ, **_ENV}
        self.top = self._out("rev-parse", "--show-toplevel", what="not a git repository (or git is not installed)")

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        try:
            # git from PATH, fixed arguments: the user's own git reads the user's repository.
            return subprocess.run(  # noqa: S603
                [GIT, *args], cwd=self.cwd, env=self.env, capture_output=True, text=True, check=False
            )
        except OSError as exc:
            raise HistoryError(f"cannot run git: {exc.strerror or exc}") from None

    def _out(self, *args: str, what: str) -> str:
        done = self._run(*args)
        if done.returncode != 0:
            detail = (done.stderr.strip().splitlines() or [""])[-1][:200]
            raise HistoryError(f"{what}{': ' + detail if detail else ''}")
        return done.stdout.strip()

    def commit_of(self, ref: str) -> str:
        """The commit ``ref`` names; a clear message for an unknown one, and for a shallow clone that lacks it."""
        if ref.startswith("-"):
            raise HistoryError(f"--since {ref}: a revision, not an option")
        done = self._run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        if done.returncode == 0:
            return done.stdout.strip()
        if self.shallow():
            raise HistoryError(
                f"--since {ref}: not in this shallow clone; fetch it (git fetch --deepen, or actions/checkout's "
                "fetch-depth: 0)"
            )
        raise HistoryError(f"--since {ref}: no such commit, branch or tag")

    def shallow(self) -> bool:
        return self._run("rev-parse", "--is-shallow-repository").stdout.strip() == "true"

    def has_head(self) -> bool:
        return self._run("rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode == 0

    def complete(self, base: str) -> None:
        """A shallow clone must hold the whole range: otherwise its oldest commits would look like additions."""
        if not self.shallow():
            return
        done = self._run("merge-base", base, "HEAD")
        if done.returncode != 0:
            raise HistoryError(
                "this shallow clone does not reach the base of the range; fetch more history "
                "(git fetch --deepen, or actions/checkout's fetch-depth: 0)"
            )

    def changes(self, revisions: Sequence[str], paths: Sequence[str]) -> Iterator[Change]:
        """Each blob the commits of ``revisions`` add or change, oldest commit first, merges left out
        (their changes are their parents', as in gitleaks' and git log's default)."""
        # --full-history: with paths, git would otherwise drop a side branch whose merge leaves them as they
        # were, which is exactly a secret added and deleted within a pull request.
        args = ["log", "--reverse", "--topo-order", "--full-history", "--no-merges", "--no-renames", "--raw", "-z"]
        args += ["--no-abbrev"]
        args += ["--no-textconv", "--no-ext-diff", "--format=%x01%H", *revisions, "--", *paths]
        yield from _raw(self._stream(args), per_commit=True)

    def staged(self, paths: Sequence[str]) -> Iterator[Change]:
        """What ``git commit`` would record that HEAD does not hold (all of the index before the first commit)."""
        base = "HEAD" if self.has_head() else _empty_tree(self)
        args = ["diff-index", "--cached", "--no-renames", "--raw", "-z", "--no-abbrev", base, "--", *paths]
        yield from _raw(self._stream(args), per_commit=False)

    def _stream(self, args: Sequence[str]) -> Iterator[str]:
        """The NUL-separated fields of a git command's output, read as it comes (memory flat in history)."""
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                [GIT, *args], cwd=self.cwd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        except OSError as exc:
            raise HistoryError(f"cannot run git: {exc.strerror or exc}") from None
        # Popen with PIPE gives both streams.
        stdout, stderr = cast(IO[bytes], process.stdout), cast(IO[bytes], process.stderr)
        rest = b""
        try:
            while chunk := stdout.read(_CHUNK):
                *fields, rest = (rest + chunk).split(b"\0")
                for field in fields:
                    yield field.decode("utf-8", "surrogateescape")
            error = stderr.read().decode("utf-8", "replace")
        finally:
            stdout.close()
            code = process.wait()
            stderr.close()
        if code != 0:
            detail = (error.strip().splitlines() or [""])[-1][:200]
            raise HistoryError(f"git {args[0]} failed: {detail}")


def _empty_tree(git: Git) -> str:
    return git._out("hash-object", "-t", "tree", "/dev/null", what="git cannot name the empty tree")


def _raw(fields: Iterator[str], *, per_commit: bool) -> Iterator[Change]:
    """``--raw -z`` records: ``:MODE MODE SHA SHA STATUS`` then the path; commits as ``\\x01SHA``."""
    commit = ""
    for field in fields:
        field = field.lstrip("\n")
        if per_commit and field.startswith("\x01"):
            commit = field[1:].strip()
            continue
        if not field.startswith(":"):
            continue
        parts = field[1:].split()
        path = next(fields, "")
        if len(parts) < 5:
            continue
        _, mode, _, blob, status = parts[:5]
        yield Change(commit, path, blob if blob != _NO_BLOB else "", mode, status[:1])


class Blob(NamedTuple):
    sha: str
    #: The content; None when the blob is larger than the limit (its size says by how much).
    data: bytes | None
    size: int


class BlobReader:
    """One ``git cat-file --batch`` for the whole run: a request per blob, answered in order."""

    def __init__(self, git: Git) -> None:
        try:
            self._process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                [GIT, "cat-file", "--batch"],
                cwd=git.cwd,
                env=git.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise HistoryError(f"cannot run git: {exc.strerror or exc}") from None
        self._in = cast(IO[bytes], self._process.stdin)
        self._out = cast(IO[bytes], self._process.stdout)

    def read(self, sha: str, limit: int) -> Blob:
        """The blob's bytes up to ``limit``; a larger blob is read past (never held) and comes back without data."""
        try:
            self._in.write(sha.encode("ascii") + b"\n")
            self._in.flush()
            header = self._out.readline().decode("ascii", "replace").split()
        except (OSError, UnicodeEncodeError) as exc:
            raise HistoryError(f"git cat-file stopped: {exc}") from None
        if len(header) != 3 or header[1] != "blob" or not header[2].isdigit():
            raise HistoryError(f"git cat-file cannot read blob {sha[:12]}: {' '.join(header)[:80]}")
        size = int(header[2])
        if size > limit:
            left = size + 1
            while left:
                got = self._out.read(min(left, _CHUNK))
                if not got:
                    raise HistoryError("git cat-file ended early")
                left -= len(got)
            return Blob(sha, None, size)
        data = self._out.read(size + 1)[:size]
        return Blob(sha, data, size)

    def close(self) -> None:
        self._in.close()
        self._out.close()
        self._process.wait()

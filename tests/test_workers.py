from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.fakes import aws_access_key_id
from yamlsecretlint import engine, workers
from yamlsecretlint.model import FileRef, FileResult

pytestmark = pytest.mark.skipif(not workers.available(), reason="no fork on this platform")


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _square_or_none(index: int) -> int | None:
    return None if index % 3 == 0 else index * index


def test_results_come_back_in_order_with_the_nones() -> None:
    # 70,001 four-byte chunk numbers: more than a pipe holds, so the parent writes while the children read.
    count = 70_001
    assert workers.forked_map(_square_or_none, count, 2, 1) == [_square_or_none(i) for i in range(count)]
    assert workers.forked_map(_square_or_none, 10, 2, 4) == [_square_or_none(i) for i in range(10)]
    assert workers.forked_map(_square_or_none, 0, 2, 4) == []
    assert _no_children_left()


def _slow_pid(index: int) -> tuple[int, int]:
    time.sleep(0.02)
    return index, os.getpid()


def test_every_worker_takes_chunks_and_each_index_runs_once() -> None:
    results = workers.forked_map(_slow_pid, 40, 2, 1)
    assert [index for index, _ in results] == list(range(40))  # type: ignore[misc]
    pids = {pid for _, pid in results}  # type: ignore[misc]
    assert len(pids) == 2
    assert os.getpid() not in pids


def test_an_order_hands_out_the_first_chunks_first_then_the_rest_in_that_order() -> None:
    # One child: the order it ran the tasks in is the order handed out. Each index runs once, padding never.
    ran = workers.forked_map(_ordinal, 23, 1, 4, lambda: reversed(range(23)))
    ordinals = sorted(range(23), key=lambda i: ran[i])  # type: ignore[arg-type,return-value]
    assert ordinals == [0, 1, 2, 3, *reversed(range(4, 23))]
    assert workers.forked_map(_square_or_none, 23, 2, 5, lambda: range(23)) == [_square_or_none(i) for i in range(23)]


_RAN: list[int] = []


def _ordinal(index: int) -> int:
    # In the child: how many tasks ran before this one (the parent's list is the same empty one at fork).
    _RAN.append(index)
    return len(_RAN)


def _big(index: int) -> str:
    return str(index) * 100_000  # payloads larger than a pipe's buffer, from both children at once


def test_large_payloads_from_both_children() -> None:
    results = workers.forked_map(_big, 12, 2, 1)
    assert results == [_big(i) for i in range(12)]


def _fails_at_five(index: int) -> int:
    if index == 5:
        raise ValueError("five")
    return index


def test_a_task_that_raises_raises_in_the_parent() -> None:
    with pytest.raises(ValueError, match="five"):
        workers.forked_map(_fails_at_five, 20, 2, 2)
    assert _no_children_left()


class _Unpicklable(Exception):
    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("cannot pickle")


def _raises_unpicklable(index: int) -> int:
    raise _Unpicklable()


def test_an_exception_that_cannot_be_sent_is_named() -> None:
    with pytest.raises(RuntimeError, match="_Unpicklable"):
        workers.forked_map(_raises_unpicklable, 4, 2, 1)


def _killed_at_three(index: int) -> int:
    if index == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return index


def test_a_worker_that_dies_fails_the_run() -> None:
    # Fail closed: the files it had taken were not linted, so the run cannot end with a result.
    with pytest.raises(workers.WorkerDied, match=f"killed by signal {int(signal.SIGKILL)}"):
        workers.forked_map(_killed_at_three, 8, 2, 1)
    assert _no_children_left()


def _sleeps(index: int) -> int:
    time.sleep(30)
    return index


def test_an_interrupted_parent_leaves_no_worker_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(children: dict[int, int], results: list[object], queue: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(workers, "_collect", interrupted)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        workers.forked_map(_sleeps, 4, 2, 1)
    assert time.monotonic() - started < 10
    assert _no_children_left()


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _many_files(tree: Path) -> None:
    for i in range(60):
        write(tree, f"many/f{i:02}.yaml", f"k{i}: {aws_access_key_id()}\n" if i % 7 == 0 else f"k{i}: v\n")


def test_a_worker_that_dies_is_an_error_not_a_clean_report(
    cli: RunCli, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_files(tree)
    lint = engine.Linter.lint

    def dies_on_f30(self: engine.Linter, ref: FileRef) -> FileResult:
        if ref.display.endswith("f30.yaml"):
            os.kill(os.getpid(), signal.SIGKILL)
        return lint(self, ref)

    monkeypatch.setattr(engine.Linter, "lint", dies_on_f30)
    run = cli("--format", "json", "--jobs", "2", ".")
    assert run.code == 2
    assert run.out == ""
    assert "internal error (WorkerDied)" in run.err


def test_without_fork_the_process_pool_gives_the_same_result(
    cli: RunCli, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_files(tree)
    forked = cli("--format", "json", "--jobs", "2", ".")
    monkeypatch.setattr(workers, "available", lambda: False)
    pooled = cli("--format", "json", "--jobs", "2", ".")
    assert pooled.out == forked.out
    assert pooled.json()["summary"]["findings"] == 9

"""Forked workers: a task run over ``range(count)`` in child processes, the results back in order.

Why not ``ProcessPoolExecutor`` (the engine still uses it where there is no fork):
its parent keeps a futures table, a feeder thread and a result thread busy for
every chunk, about 0.2 s of CPU over the ~6,000 files of the benchmark's large
tree, taken from the cores the workers need (benchmarks/throughput.py). Here the
parent does nothing while the children work:

- The queue is a pipe of chunks of indexes (4 bytes each, the last chunk padded),
  written whole chunks at a time in pieces of at most 512 bytes, which POSIX makes
  atomic: the pipe always holds whole chunks, and each child's read of one chunk's
  bytes takes exactly one. The kernel hands the chunks out, with no lock of ours.
- The caller's order (largest files first) is asked for once the children run,
  each busy with a first chunk meanwhile: the parent's stats then cost no wall time.
- A child keeps only the results that are not None (most files have nothing to
  send back) and writes them, pickled, to its own pipe once the queue is empty.
- Fail closed: a child that raised sends the exception, which the parent raises;
  a child that died (a signal, the OOM killer) or sent a broken payload ends the
  run with ``WorkerDied``, never with its files missing from a clean report.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import struct
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

R = TypeVar("R")

_NUMBER = struct.Struct("=I")
#: Writes of at most this many bytes to a pipe are atomic (POSIX guarantees at least 512).
_ATOMIC = 512
#: What pads the last chunk.
_END = 0xFFFFFFFF


class WorkerDied(RuntimeError):
    """A worker process ended without sending its results."""


def available() -> bool:
    return hasattr(os, "fork")


def forked_map(
    task: Callable[[int], R | None],
    count: int,
    jobs: int,
    chunk: int,
    order: Callable[[], Iterable[int]] | None = None,
) -> list[R | None]:
    """``[task(i) for i in range(count)]`` in ``jobs`` forked children taking ``chunk`` indexes at a time.

    What ``task`` reads must exist before the call: the children inherit it by fork, so a job is only an index.
    ``order``: the order to hand the indexes out in (largest files first, say), asked for once the
    children run: each is given one chunk in index order first, so that the parent's sorting (a stat
    of every file) runs while they work instead of before.
    """
    results: list[R | None] = [None] * count
    chunk = max(1, min(chunk, _ATOMIC // _NUMBER.size))
    queue_read, queue_write = os.pipe()
    children: dict[int, int] = {}  # result pipe -> pid
    try:
        for _ in range(max(1, min(jobs, -(-count // chunk)))):
            out_read, out_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child; its coverage dies with os._exit
                os.close(queue_write)
                os.close(out_read)
                for other in children:
                    os.close(other)
                _child(task, chunk, queue_read, out_write)
            os.close(out_write)
            children[out_read] = pid
        os.close(queue_read)
        queue_read = -1
        with contextlib.suppress(BrokenPipeError):  # every child is gone: their payloads below say why
            _hand_out(queue_write, count, chunk, len(children), order)
        os.close(queue_write)
        queue_write = -1
        for payload, status in _payloads(children):
            for index, result in _results(payload, status):
                results[index] = result
        children.clear()
    finally:
        for fd in (queue_read, queue_write):
            if fd >= 0:
                os.close(fd)
        for fd, pid in children.items():  # interrupted: no child outlives the run
            os.close(fd)
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return results


def _hand_out(queue: int, count: int, chunk: int, children: int, order: Callable[[], Iterable[int]] | None) -> None:
    """Every index once, in chunks of ``chunk`` numbers (the last one padded), written whole chunks at a time."""
    first = range(min(count, chunk * children)) if order is not None else range(0)
    _write_chunks(queue, list(first), chunk)
    rest = range(len(first), count) if order is None else [i for i in order() if i >= len(first)]
    _write_chunks(queue, list(rest), chunk)


def _write_chunks(queue: int, indexes: list[int], chunk: int) -> None:
    indexes += [_END] * (-len(indexes) % chunk)
    numbers = struct.pack(f"={len(indexes)}I", *indexes)
    piece = _ATOMIC // (chunk * _NUMBER.size) * chunk * _NUMBER.size
    for at in range(0, len(numbers), piece):
        _write_all(queue, numbers[at : at + piece])


def _payloads(children: dict[int, int]) -> list[tuple[bytes, int]]:
    """Each child's whole output, read as the children finish (one waits for the slowest only)."""
    pieces: dict[int, list[bytes]] = {fd: [] for fd in children}
    done: list[tuple[bytes, int]] = []
    with selectors.DefaultSelector() as selector:
        for fd in children:
            selector.register(fd, selectors.EVENT_READ)
        while pieces:
            for key, _ in selector.select():
                fd = int(key.fd)
                piece = os.read(fd, 1 << 20)
                if piece:
                    pieces[fd].append(piece)
                    continue
                selector.unregister(fd)
                os.close(fd)
                pid = children.pop(fd)
                _, status = os.waitpid(pid, 0)
                done.append((b"".join(pieces.pop(fd)), status))
    return done


def _results(payload: bytes, status: int) -> list[tuple[int, Any]]:
    try:
        ok, value = pickle.loads(payload)  # noqa: S301 - our own child's bytes, through our own pipe
    except Exception:
        raise WorkerDied(f"a worker process ended without its results ({_how(status)})") from None
    if not ok:
        raise value
    found: list[tuple[int, Any]] = value
    return found


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _child(  # pragma: no cover - runs in the child
    task: Callable[[int], R | None], chunk: int, queue: int, out: int
) -> None:
    code = 0
    size = chunk * _NUMBER.size
    try:
        found: list[tuple[int, R]] = []
        while True:
            numbers = os.read(queue, size)
            if not numbers:
                break
            for index in struct.unpack(f"={chunk}I", numbers):
                if index == _END:
                    break
                result = task(index)
                if result is not None:
                    found.append((index, result))
        payload = pickle.dumps((True, found), pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # any failure goes to the parent, which raises it
        code = 1
        try:
            payload = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
        except Exception:
            payload = pickle.dumps((False, RuntimeError(type(exc).__name__)), pickle.HIGHEST_PROTOCOL)
    try:
        _write_all(out, payload)
    finally:
        os._exit(code)  # nothing of the parent's (atexit, buffered output) runs twice


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]

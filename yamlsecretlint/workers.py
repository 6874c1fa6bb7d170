"""Forked workers: a task run over ``range(count)`` in child processes, the results back in order.

Why not ``ProcessPoolExecutor`` (the engine still uses it where there is no fork):
its parent keeps a futures table, a feeder thread and a result thread busy for
every chunk, about 0.2 s of CPU over the ~6,000 files of the benchmark's large
tree, taken from the cores the workers need (benchmarks/throughput.py). Here the
parent only feeds the queue and unpickles what comes back:

- The queue is a pipe of chunks of indexes (4 bytes each, the last chunk padded),
  written whole chunks at a time in pieces of at most 512 bytes, which POSIX makes
  atomic: the pipe always holds whole chunks, and each child's read of one chunk's
  bytes takes exactly one. The kernel hands the chunks out, with no lock of ours.
- The caller's order (largest files first) is asked for once the children run,
  each busy with a first chunk meanwhile: the parent's stats then cost no wall time.
- A child sends only the results that are not None (most files have nothing to
  send back), pickled in batches on its own pipe, which the parent unpickles as
  they come, then a last frame that says it is done: the last file's result is
  in the parent ~3 ms after it is linted (~35 ms when each child sent all its
  results at the end, pickled, then unpickled whole).
- Fail closed: a child that raised sends the exception, which the parent raises;
  a child that died (a signal, the OOM killer) before its last frame ends the
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
#: A child's frames: their length, then a pickled (kind, value).
_LENGTH = struct.Struct("=Q")
_RESULTS, _ERROR, _DONE = 0, 1, 2
#: Results a child sends at once.
_BATCH = 64


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
    queue = _Queue(queue_write, chunk)
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
        first = min(count, chunk * len(children)) if order is not None else 0
        queue.add(list(range(first)))
        queue.write_some()  # a chunk for each child: a few bytes, which the pipe has room for
        queue.add([i for i in order() if i >= first] if order is not None else list(range(count)))
        _collect(children, results, queue)
    finally:
        queue.close()
        if queue_read >= 0:
            os.close(queue_read)
        for fd, pid in children.items():  # interrupted: no child outlives the run
            os.close(fd)
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return results


class _Queue:
    """The parent's end of the queue: chunks of indexes (the last padded), written as the pipe has room.

    Non-blocking, as the parent also reads the children's results: a child that
    waits for room on its own pipe reads no more chunks, and a parent that waited
    for room on the queue would never read its results.
    """

    def __init__(self, fd: int, chunk: int) -> None:
        self.fd = fd
        self.chunk = chunk
        #: Whole chunks, at most 512 bytes: a write either takes all of it or none.
        self.piece = _ATOMIC // (chunk * _NUMBER.size) * chunk * _NUMBER.size
        self.data = memoryview(b"")
        os.set_blocking(fd, False)

    def add(self, indexes: list[int]) -> None:
        indexes += [_END] * (-len(indexes) % self.chunk)
        self.data = memoryview(bytes(self.data) + struct.pack(f"={len(indexes)}I", *indexes))

    def write_some(self) -> bool:
        """Write what the pipe has room for; True once everything added is written."""
        while self.data:
            try:
                written = os.write(self.fd, self.data[: self.piece])
            except BlockingIOError:
                return False
            except BrokenPipeError:  # every child is gone: what they sent says why
                self.data = memoryview(b"")
                break
            self.data = self.data[written:]
        return True

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _collect(children: dict[int, int], results: list[Any], queue: _Queue) -> None:
    """The rest of the queue written, and each child's batches of results read and unpickled as
    they come, into ``results``; the children reaped as they end. Raises a child's exception, or
    WorkerDied for a child that ended without saying it was done (forked_map then kills the others)."""
    buffers = {fd: bytearray() for fd in children}
    #: The children whose last frame came, with nothing after it.
    done: set[int] = set()
    with selectors.DefaultSelector() as selector:
        for fd in children:
            selector.register(fd, selectors.EVENT_READ)
        if queue.write_some():
            queue.close()  # the end of the queue: each child's next read after the last chunk is empty
        else:
            selector.register(queue.fd, selectors.EVENT_WRITE)
        while buffers:
            for key, _ in selector.select():
                fd = int(key.fd)
                if fd == queue.fd:
                    if queue.write_some():
                        selector.unregister(fd)
                        queue.close()
                    continue
                piece = os.read(fd, 1 << 20)
                if piece:
                    buffer = buffers[fd]
                    buffer += piece
                    if fd in done or _frames(buffer, results):
                        done.add(fd)
                    continue
                selector.unregister(fd)
                os.close(fd)
                _, status = os.waitpid(children.pop(fd), 0)
                if buffers.pop(fd) or fd not in done:  # bytes after its last frame, or no last frame
                    raise WorkerDied(f"a worker process ended without its results ({_how(status)})")


def _frames(buffer: bytearray, results: list[Any]) -> bool:
    """Take the whole frames off the front of ``buffer``; True once the child's last frame came."""
    at = 0
    done = False
    while len(buffer) - at >= _LENGTH.size:
        (length,) = _LENGTH.unpack_from(buffer, at)
        end = at + _LENGTH.size + length
        if len(buffer) < end:
            break
        kind, value = pickle.loads(buffer[at + _LENGTH.size : end])  # noqa: S301 - our own child's bytes
        at = end
        if kind == _ERROR:
            raise value
        if kind == _DONE:
            done = True
            break
        for index, result in value:
            results[index] = result
    del buffer[:at]
    return done and not buffer


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
        batch: list[tuple[int, R]] = []
        while True:
            numbers = os.read(queue, size)
            if not numbers:
                break
            for index in struct.unpack(f"={chunk}I", numbers):
                if index == _END:
                    break
                result = task(index)
                if result is not None:
                    batch.append((index, result))
            # Sent as they come: the parent unpickles them while the work goes on, not all at the end.
            if len(batch) >= _BATCH:
                _send(out, _RESULTS, batch)
                batch = []
        _send(out, _RESULTS, batch)
        _send(out, _DONE, None)
    except BaseException as exc:  # any failure goes to the parent, which raises it
        code = 1
        try:
            _send(out, _ERROR, exc)
        except Exception:
            with contextlib.suppress(Exception):
                _send(out, _ERROR, RuntimeError(type(exc).__name__))
    finally:
        os._exit(code)  # nothing of the parent's (atexit, buffered output) runs twice


def _send(out: int, kind: int, value: object) -> None:
    payload = pickle.dumps((kind, value), pickle.HIGHEST_PROTOCOL)
    _write_all(out, _LENGTH.pack(len(payload)) + payload)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]

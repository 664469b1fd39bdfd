"""Run risky parsing of untrusted files in a forked child with hard CPU, memory and time limits.

Limits checked before the work catch the attacks we know; parsers of rich formats (PDF fonts and
form objects, XML tokens) have costs nobody can list in advance. The fence bounds them all: the
child gets RLIMIT_CPU and RLIMIT_AS and is killed at a wall-clock deadline, so one upload can
never hold a web worker longer than the fence, whatever the file does (issue #17).
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_READ_CHUNK = 1 << 16


class FenceError(Exception):
    """The work crossed a limit (`reason`: cpu, memory, time) or the child died."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"the work was stopped: {reason}")


@dataclass(frozen=True)
class Fence:
    """Limits for one piece of work in a child process."""

    cpu_seconds: int = 6
    extra_memory_bytes: int = 400 * 1024 * 1024
    wall_seconds: float = 15.0


def _address_space() -> int:
    """Bytes of address space this process uses now (VmSize), so the limit is on top of it."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(work: Callable[..., Any], args: tuple[Any, ...], fence: Fence, out: int) -> None:
    """Set the limits, do the work, write (status, value) to `out`; never returns."""
    status: tuple[str, Any]
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file when SIGXCPU ends it
        resource.setrlimit(resource.RLIMIT_CPU, (fence.cpu_seconds, fence.cpu_seconds + 1))
        limit = _address_space() + fence.extra_memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        status = ("ok", work(*args))
    except MemoryError:
        status = ("fence", "memory")
    except BaseException as exc:
        try:
            pickle.dumps(exc)
            status = ("raised", exc)
        except Exception:  # an exception that cannot travel becomes its text
            status = ("raised", RuntimeError(repr(exc)))
    try:
        data = pickle.dumps(status)
        view = memoryview(data)
        while view:
            written = os.write(out, view)
            view = view[written:]
    finally:
        os._exit(0)


def run_fenced(work: Callable[..., Any], *args: Any, fence: Fence = Fence()) -> Any:
    """Return `work(*args)` computed in a forked child within `fence`.

    An exception raised by `work` is raised again here; crossing a limit raises FenceError.
    Without fork (not Linux) the work runs in this process, unfenced.
    """
    if not hasattr(os, "fork") or not os.path.exists("/proc/self/status"):
        return work(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _child(work, args, fence, write_end)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + fence.wall_seconds
    killed = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                killed = True
                break
            ready, _, _ = select.select([read_end], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_end, _READ_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        _, wait_status = os.waitpid(pid, 0)
    if killed:
        raise FenceError("time")
    if os.WIFSIGNALED(wait_status):
        # SIGXCPU at the soft CPU limit, SIGKILL at the hard one.
        cpu_signals = (signal.SIGXCPU, signal.SIGKILL)
        raise FenceError("cpu" if os.WTERMSIG(wait_status) in cpu_signals else "crashed")
    if not chunks:
        raise FenceError("crashed")
    status, value = pickle.loads(b"".join(chunks))  # noqa: S301 -- our own child's bytes
    if status == "ok":
        return value
    if status == "fence":
        raise FenceError(str(value))
    raise value

"""The fence: work in a forked child stops at its CPU, memory and time limits (issue #17)."""

from __future__ import annotations

import time

import pytest

from ketenwijs.inputs import Fence, FenceError, run_fenced


def _spin() -> None:
    while True:
        pass


def _allocate(size: int) -> int:
    return len(bytearray(size))


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _fail() -> None:
    raise ValueError("no such page")


def test_the_result_comes_back_from_the_child() -> None:
    assert run_fenced(sorted, [3, 1, 2]) == [1, 2, 3]
    assert run_fenced(str.upper, "é" * 300_000) == "É" * 300_000  # more than one pipe buffer


def test_an_exception_of_the_work_is_raised_again() -> None:
    with pytest.raises(ValueError, match="no such page"):
        run_fenced(_fail)


def test_endless_work_stops_at_the_cpu_limit() -> None:
    started = time.monotonic()
    with pytest.raises(FenceError) as caught:
        run_fenced(_spin, fence=Fence(cpu_seconds=1, wall_seconds=30))
    assert caught.value.reason == "cpu"
    assert time.monotonic() - started < 10


def test_a_memory_bomb_stops_at_the_memory_limit() -> None:
    with pytest.raises(FenceError) as caught:
        run_fenced(_allocate, 2 * 1024**3, fence=Fence(extra_memory_bytes=64 * 1024**2))
    assert caught.value.reason == "memory"
    assert run_fenced(_allocate, 1024**2, fence=Fence(extra_memory_bytes=64 * 1024**2)) == 1024**2


def test_waiting_work_stops_at_the_wall_clock_limit() -> None:
    with pytest.raises(FenceError) as caught:
        run_fenced(_sleep, 30, fence=Fence(wall_seconds=0.5))
    assert caught.value.reason == "time"
    assert run_fenced(_sleep, 0, fence=Fence(wall_seconds=5)) == "woke"

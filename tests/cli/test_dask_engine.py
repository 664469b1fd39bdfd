"""`ketenwijs.cli.dask_engine` without a cluster: bounded in-flight window, order, cancelling."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ketenwijs.cli import dask_engine
from ketenwijs.signals.batch import library_identity


class _Future:
    def __init__(self, client: _Client, work: Callable[[], Any]) -> None:
        self.client, self.work = client, work

    def result(self) -> Any:
        return self.work()

    def release(self) -> None:
        self.client.outstanding -= 1


class _Client:
    """Stands in for `distributed.Client`: runs a task when its result is asked for."""

    def __init__(self, nthreads: int = 2) -> None:
        self.nthreads = nthreads
        self.outstanding = 0
        self.most_outstanding = 0
        self.cancelled: list[_Future] = []

    def run(self, function: Callable[[], Any]) -> dict[str, Any]:
        return {"tcp://127.0.0.1:1": function()}

    def scheduler_info(self) -> dict[str, Any]:
        return {"workers": {"tcp://127.0.0.1:1": {"nthreads": self.nthreads}}}

    def submit(self, function: Callable[..., Any], *args: Any, pure: bool) -> _Future:
        assert pure is False  # equal partitions must not collapse into one task
        self.outstanding += 1
        self.most_outstanding = max(self.most_outstanding, self.outstanding)
        return _Future(self, lambda: function(*args))

    def cancel(self, futures: list[_Future]) -> None:
        self.cancelled.extend(futures)


def _documents(count: int, read: list[int]) -> Iterator[tuple[str, str]]:
    for i in range(count):
        read.append(i)
        yield (str(i), "Ze spijbelt." if i % 2 else "Gesprek gevoerd.")


def test_at_most_a_window_of_partitions_is_in_flight_and_order_is_kept() -> None:
    client = _Client(nthreads=2)
    read: list[int] = []
    results = dask_engine.scan_on_cluster(
        client,  # type: ignore[arg-type]
        _documents(100, read),
        minor=None,
        encoded=False,
        partition_size=5,
    )
    first = next(results)
    assert first["id"] == "0"
    assert len(read) == 4 * 5  # window = 2 per thread: four partitions read, not the corpus
    rest = list(results)
    assert [d["id"] for d in [first, *rest]] == [str(i) for i in range(100)]
    assert client.most_outstanding == 4
    assert client.outstanding == 0
    assert client.cancelled == []


def test_stopping_early_cancels_what_is_still_in_flight() -> None:
    client = _Client(nthreads=1)
    results = dask_engine.scan_on_cluster(
        client,  # type: ignore[arg-type]
        _documents(50, []),
        minor=None,
        encoded=True,
        partition_size=10,
    )
    next(results)
    results.close()
    assert len(client.cancelled) == 1  # window 2: the first was taken, the second is cancelled


def test_a_partition_from_another_library_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    client = _Client()
    real = library_identity()
    # The workers' check passes, but a partition comes back from another library version.
    monkeypatch.setattr(
        dask_engine,
        "scan_partition",
        lambda docs, minor, encoded: dask_engine.PartitionResult("9.9", "f" * 64, []),
    )
    results = dask_engine.scan_on_cluster(
        client,  # type: ignore[arg-type]
        [("a", "x")],
        minor=None,
        encoded=True,
    )
    with pytest.raises(dask_engine.DaskEngineError, match=re.escape(f"this client {real[0]}")):
        next(results)

"""`signals scan --engine dask`: partitions scanned on a Dask cluster, results back in input order.

`distributed` is imported lazily (it is the optional extra `ketenwijs[dask]`). The client reads and
partitions the documents, keeps at most a window of partitions in flight and emits each partition
as soon as it and all before it are done, so neither the corpus nor its results are held whole.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ketenwijs.signals.batch import (
    Document,
    PartitionResult,
    library_identity,
    partitions,
    scan_partition,
)

if TYPE_CHECKING:
    from distributed import Client, Future

DEFAULT_PARTITION_SIZE = 500
IN_FLIGHT_PER_THREAD = 2  # partitions queued per worker thread: workers never wait for the client


class DaskUnavailableError(Exception):
    """`distributed` is not installed in this environment."""


class DaskEngineError(Exception):
    """The cluster cannot be used or failed; the message is one line for the user."""


class SchedulerUnreachableError(DaskEngineError):
    """No connection to the scheduler within the timeout."""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def connect(address: str, timeout: float, tls: tuple[str, str, str] | None = None) -> Client:
    """Connect to the scheduler and wait (within `timeout`) until it has at least one worker.

    With `tls` (CA file, client certificate, key) the connection is encrypted and both sides
    prove who they are: case notes must not cross a network in the clear (AVG art. 32).
    """
    try:
        from distributed import Client
        from distributed.security import Security
    except ImportError as exc:
        raise DaskUnavailableError(_one_line(exc)) from exc
    security = None
    if tls is not None:
        ca_file, cert, key = tls
        security = Security(
            tls_ca_file=ca_file, tls_client_cert=cert, tls_client_key=key, require_encryption=True
        )
    try:
        client = Client(address, timeout=timeout, set_as_default=False, security=security)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerUnreachableError(_one_line(exc)) from exc
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as exc:
        client.close()
        raise DaskEngineError(
            f"the Dask scheduler at {address} has no workers (waited {timeout:g} s)"
        ) from exc
    return client


def check_workers(client: Client, expected: tuple[str, str]) -> None:
    """Load the indicator library on every worker now and check it equals the client's.

    Loading up front overlaps the workers' start-up cost; a worker with other content (another
    ketenwijs version) would give other results, so it stops the run.
    """
    try:
        identities: dict[str, tuple[str, str]] = client.run(library_identity)
    except Exception as exc:
        raise DaskEngineError(f"a Dask worker cannot load ketenwijs: {_one_line(exc)}") from exc
    for worker, identity in sorted(identities.items()):
        if tuple(identity) != expected:
            raise DaskEngineError(_mismatch(f"Dask worker {worker}", identity, expected))


def _mismatch(who: str, identity: tuple[str, str], expected: tuple[str, str]) -> str:
    return (
        f"{who} has indicator library {identity[0]} (sha256 {identity[1][:12]}), "
        f"this client {expected[0]} (sha256 {expected[1][:12]}); install the same ketenwijs on both"
    )


def scan_on_cluster(
    client: Client,
    documents: Iterable[Document],
    *,
    minor: bool | None,
    encoded: bool,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    window: int | None = None,
) -> Iterator[Any]:
    """Yield each document's result (a dict, or its JSON line when `encoded`) in input order.

    At most `window` partitions are submitted and not yet emitted (default: two per worker
    thread); the client waits for the oldest, so memory stays bounded by the window.
    """
    expected = library_identity()
    check_workers(client, expected)
    if window is None:
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        window = max(2, IN_FLIGHT_PER_THREAD * threads)
    pending: deque[Future[PartitionResult]] = deque()
    try:
        for chunk in partitions(documents, partition_size):
            pending.append(client.submit(scan_partition, chunk, minor, encoded, pure=False))
            if len(pending) >= window:
                yield from _collect(pending.popleft(), expected)
        while pending:
            yield from _collect(pending.popleft(), expected)
    finally:
        if pending:
            client.cancel(list(pending))


def _collect(future: Future[PartitionResult], expected: tuple[str, str]) -> list[Any]:
    try:
        result: PartitionResult = future.result()
    except Exception as exc:
        raise DaskEngineError(
            f"a partition failed on the cluster: {type(exc).__name__}: {_one_line(exc)}"
        ) from exc
    finally:
        future.release()
    identity = (result.library_version, result.library_sha256)
    if identity != expected:
        raise DaskEngineError(_mismatch("a Dask worker", identity, expected))
    return result.documents

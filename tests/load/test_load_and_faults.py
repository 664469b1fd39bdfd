"""Load and fault tests against gunicorn + PostgreSQL + Redis on loopback (`make test-load`).

Bounded: 50 users for 60 s, then two short fault runs (a worker killed with SIGKILL while
decisions are being saved; PostgreSQL restarted under load). Each checks what the issue asks:
no errors under load, no committed decision lost, no partial one, the chain intact, and recovery
without restarting the application. Figures are printed (run with -s) and kept in PERFORMANCE.md.
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping

import psycopg
import pytest

from tests.load.client import MOTIVATION, Outcome, SimulatedUser
from tests.load.conftest import PASSWORD, PG, Installation, restart_postgres
from tests.web.sharing.conftest import ANSWERS

pytestmark = pytest.mark.load

ANSWER_SETS: list[Mapping[str, object]] = list(ANSWERS.values())
LOAD_USERS = 50
LOAD_SECONDS = 60


def _run_users(
    installation: Installation,
    port: int,
    count: int,
    seconds: float,
    *,
    keep_going: bool = False,
    on_save: threading.Event | None = None,
    during: float = 0.0,
) -> list[SimulatedUser]:
    users = [
        SimulatedUser(port, installation.usernames[number], PASSWORD, seed=number)
        for number in range(count)
    ]
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=user.run,
            kwargs={
                "until": until,
                "answer_sets": ANSWER_SETS,
                "think": (0.0, during),
                "on_save": on_save,
                "keep_going": keep_going,
            },
            daemon=True,
        )
        for user in users
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
        assert not thread.is_alive(), "a simulated user hung"
    return users


def _outcomes(users: list[SimulatedUser]) -> list[Outcome]:
    return [outcome for user in users for outcome in user.stats.outcomes]


def _confirmed(users: list[SimulatedUser]) -> list[int]:
    return sorted(sequence for user in users for sequence in user.stats.saved)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def test_fifty_users_for_a_minute_without_a_single_error(installation: Installation) -> None:
    server = installation.start_server(workers=5)
    before = set(installation.stored_sequences())
    users = _run_users(installation, server.port, LOAD_USERS, LOAD_SECONDS, during=0.05)
    outcomes = _outcomes(users)
    failed = [o for o in outcomes if o.status not in (200, 302)]
    assert not failed, failed[:10]
    confirmed = _confirmed(users)
    stored = sorted(set(installation.stored_sequences()) - before)
    # Every confirmed save is stored, exactly once, and nothing else was stored.
    assert confirmed == stored
    assert len(confirmed) == len(set(confirmed))
    assert len(confirmed) >= LOAD_USERS, "each user should have saved at least one decision"
    chain = installation.verify_chain()
    latencies = [(o.ended - o.started) * 1000 for o in outcomes]
    print(
        f"\nload: {LOAD_USERS} users, {LOAD_SECONDS} s, {len(outcomes)} requests "
        f"({len(outcomes) / LOAD_SECONDS:.0f}/s), {len(confirmed)} decisions saved, 0 errors; "
        f"latency p50 {statistics.median(latencies):.0f} ms, "
        f"p95 {_percentile(latencies, 0.95):.0f} ms; chain: {chain}"
    )
    assert server.health()[0] == 200
    # The log is JSON lines and carries nothing a user typed or who they are.
    log = server.log.read_text(encoding="utf-8")
    lines = [line for line in log.splitlines() if line.startswith("{")]
    assert lines, "gunicorn should have logged its start"
    assert all(isinstance(json.loads(line), dict) for line in lines)
    assert MOTIVATION not in log
    assert PASSWORD not in log
    assert not re.search(r"\bload\d+\b", log), "a username in the log"


def _worker_with_local_port(port: int) -> int:
    """The process whose TCP socket has this local port (the worker behind a PostgreSQL session)."""
    out = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"pid=(\d+)", out)
    assert match, f"no process owns local port {port}: {out!r}"
    return int(match.group(1))


def test_killing_a_worker_mid_save_loses_nothing_committed_and_leaves_nothing_partial(
    installation: Installation,
) -> None:
    """Catch a save inside its transaction, then SIGKILL exactly the worker running it.

    The test holds the organisation's chain-head row lock itself; the next save blocks at its
    first write (record_decision's UPDATE of ChainHead), PostgreSQL shows which session waits,
    and the session's client port leads to the gunicorn worker. That worker dies mid-save.
    """
    server = installation.start_server(workers=2)
    before = set(installation.stored_sequences())
    stop = threading.Event()
    kills: list[int] = []
    problems: list[str] = []

    def killer() -> None:
        # Two sessions: pg_stat_activity is a snapshot per transaction, so the watcher polls in
        # autocommit mode while the other session holds the lock.
        with (
            psycopg.connect(dbname=installation.database, **PG) as lock_holder,
            psycopg.connect(dbname=installation.database, autocommit=True, **PG) as watcher,
        ):
            while not stop.is_set() and len(kills) < 6:
                with lock_holder.transaction():
                    lock_holder.execute(
                        "SELECT 1 FROM audit_chainhead WHERE organisation_id = %s FOR UPDATE",
                        [installation.organisation_id],
                    )
                    waiting = None
                    deadline = time.monotonic() + 10
                    while waiting is None and time.monotonic() < deadline and not stop.is_set():
                        waiting = watcher.execute(
                            "SELECT client_port FROM pg_stat_activity WHERE datname = %s "
                            "AND wait_event_type = 'Lock' AND query LIKE %s",
                            [installation.database, 'UPDATE "audit_chainhead"%'],
                        ).fetchone()
                        time.sleep(0.02)
                    if waiting is not None:
                        try:
                            victim = _worker_with_local_port(waiting[0])
                            os.kill(victim, signal.SIGKILL)
                            kills.append(victim)
                        except (AssertionError, OSError) as exc:
                            problems.append(str(exc))
                # The lock is released here; let the master fork a replacement worker.
                time.sleep(1.5)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    users = _run_users(installation, server.port, 6, 25, keep_going=True)
    stop.set()
    thread.join(timeout=30)

    assert not problems, problems
    assert len(kills) >= 4, f"only {len(kills)} workers were killed mid-save"
    confirmed = set(_confirmed(users))
    stored = set(installation.stored_sequences()) - before
    interrupted = sum(user.stats.interrupted_saves for user in users)
    assert interrupted >= len(kills), "each kill should have cut off the save it caught"
    # No committed record lost: everything the server confirmed is stored.
    assert confirmed <= stored
    # The killed saves were not committed: their transactions died with their connections.
    assert stored == confirmed
    # No partial record: every stored record is whole, linked and hashed (the chain verifies),
    # and the sequence has no gap where a killed save had taken a number.
    chain = installation.verify_chain()
    sequences = installation.chain_sequences()
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences))), "a gap"
    # The master replaced each killed worker; the application answers normally afterwards.
    assert server.health()[0] == 200
    after = _run_users(installation, server.port, 2, 3)
    assert not [o for o in _outcomes(after) if o.status not in (200, 302)]
    print(
        f"\nsigkill: {len(kills)} workers killed inside a save's transaction; "
        f"{interrupted} saves cut off, none stored; {len(confirmed)} saves confirmed and stored; "
        f"chain: {chain}"
    )


def test_restarting_postgresql_under_load_recovers_without_restarting_the_app(
    installation: Installation,
) -> None:
    server = installation.start_server(workers=3)
    before = set(installation.stored_sequences())
    window: dict[str, float] = {}

    def restarter() -> None:
        time.sleep(5)
        window["start"] = time.monotonic()
        restart_postgres()
        window["end"] = time.monotonic()

    thread = threading.Thread(target=restarter, daemon=True)
    thread.start()
    users = _run_users(installation, server.port, 8, 20, keep_going=True, during=0.05)
    thread.join(timeout=120)
    assert "end" in window, "PostgreSQL restart did not finish"

    outcomes = _outcomes(users)
    failures = [o for o in outcomes if o.status not in (200, 302)]
    # Errors only while the database was down (plus one request time to notice it came back).
    grace = 2.0
    outside = [
        o for o in failures if o.ended < window["start"] - 0.1 or o.started > window["end"] + grace
    ]
    assert not outside, outside[:10]
    # After the restart the same processes serve every request again.
    worked_after = [
        o for o in outcomes if o.started > window["end"] + grace and o.status in (200, 302)
    ]
    assert len(worked_after) > 50, "too few requests after the restart to show recovery"
    assert server.process.poll() is None
    status, body = server.health()
    assert (status, body["database"]) == (200, "ok")
    confirmed = set(_confirmed(users))
    stored = set(installation.stored_sequences()) - before
    interrupted = sum(user.stats.interrupted_saves for user in users)
    assert confirmed <= stored
    assert len(stored - confirmed) <= interrupted + len([o for o in failures if o.kind == "save"])
    chain = installation.verify_chain()
    print(
        f"\npostgres restart: down for {window['end'] - window['start']:.1f} s; "
        f"{len(failures)} requests failed during it "
        f"({sorted({o.status for o in failures})}), {len(worked_after)} succeeded after; "
        f"{len(confirmed)} saves confirmed; chain: {chain}"
    )

"""A production installation on loopback for load and fault tests: gunicorn, PostgreSQL, Redis.

Each module gets its own PostgreSQL database (`kw_load_<pid>`) and Redis database 6, prepared with
the real commands (`manage prepare`, `collectstatic`), and servers started as an operator would:
`ketenwijs serve --server gunicorn --no-prepare` with KETENWIJS_ENV=production behind a pretend
TLS-terminating load balancer (KETENWIJS_TRUSTED_PROXY, X-Forwarded-Proto). Nothing leaves the
machine; every process started here is stopped by its fixture.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
REDIS_URL = "redis://127.0.0.1:6379/6"
PASSWORD = "belasting-dam-" + secrets.token_urlsafe(12)
USERS = 50


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", database, "-Atc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def postgres_is_up() -> bool:
    result = subprocess.run(
        ["pg_isready", "-h", PG["host"], "-p", PG["port"], "-q"], check=False, timeout=10
    )
    return result.returncode == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Installation:
    """One prepared production installation and the commands to reach it."""

    env: dict[str, str]
    database: str
    organisation_id: int
    usernames: list[str]
    logs: Path
    servers: list[Server] = field(default_factory=list)

    def manage(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        return self.cli("manage", *args, timeout=timeout)

    def cli(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "ketenwijs.cli", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=timeout,
            check=False,
        )
        assert result.returncode in (0, 1), result.stderr[-3000:]
        return result

    def stored_sequences(self) -> list[int]:
        return [
            int(value)
            for value in psql(
                "SELECT sequence FROM audit_decisionrecord "  # noqa: S608 -- an int of ours
                f"WHERE organisation_id = {int(self.organisation_id)} ORDER BY sequence",
                self.database,
            ).split()
        ]

    def chain_sequences(self) -> list[int]:
        """Every sequence number of the organisation's chain: decisions and log events (views,
        exports, verifications) share one numbering (ADR 0018)."""
        return [
            int(value)
            for value in psql(
                "SELECT sequence FROM audit_decisionrecord "  # noqa: S608 -- an int of ours
                f"WHERE organisation_id = {int(self.organisation_id)} "
                "UNION ALL SELECT sequence FROM audit_logevent "
                f"WHERE organisation_id = {int(self.organisation_id)} ORDER BY 1",
                self.database,
            ).split()
        ]

    def verify_chain(self) -> str:
        """`ketenwijs audit verify` for the organisation; the test fails unless it is intact."""
        result = self.cli("audit", "verify", "--org", str(self.organisation_id))
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout.strip()

    def start_server(self, workers: int) -> Server:
        server = Server(self, workers)
        self.servers.append(server)
        return server


class Server:
    """`ketenwijs serve` with gunicorn in its own process group, stopped by the fixture."""

    def __init__(self, installation: Installation, workers: int) -> None:
        self.port = free_port()
        self.log = installation.logs / f"gunicorn-{self.port}.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ketenwijs.cli",
                "serve",
                "--server",
                "gunicorn",
                "--no-prepare",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            env=installation.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_healthy(timeout=60)
        # Wait until every worker is forked, so a test's first requests are not its start-up.
        deadline = time.monotonic() + 30
        while len(self.worker_pids()) < workers and time.monotonic() < deadline:
            time.sleep(0.1)

    def health(self) -> tuple[int, dict[str, str]]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/health/",
            headers={"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 -- loopback
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def wait_healthy(self, timeout: float) -> None:
        """Wait until /health/ says ok; fail with the server's log after `timeout` seconds."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited:\n{self.log.read_text()[-3000:]}")
            try:
                status, body = self.health()
                if status == 200 and body.get("status") == "ok":
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        raise AssertionError(f"server not healthy in {timeout} s:\n{self.log.read_text()[-3000:]}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _clean_environment(data_dir: Path, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENWIJS_", "DJANGO_"))}
    env.update(
        {
            "KETENWIJS_ENV": "production",
            "KETENWIJS_SECRET_KEY": secrets.token_urlsafe(64),
            "KETENWIJS_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "KETENWIJS_AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "KETENWIJS_TRUSTED_PROXY": "true",
            "KETENWIJS_DATA_DIR": str(data_dir),
            "KETENWIJS_DATABASE_URL": (
                f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{database}"
            ),
            "KETENWIJS_CACHE_URL": REDIS_URL,
            # Fifty colleagues behind one address log in at once; the default would slow them.
            "KETENWIJS_RATE_LIMITS": "login=10000/m",
            "KETENWIJS_LOG_LEVEL": "INFO",
        }
    )
    return env


_CREATE_USERS = """
from ketenwijs.web.accounts.models import Organisation, User
organisation = Organisation.objects.create(name="Gemeente Belastingdam", kind="municipality")
first = User.objects.create_user(
    username="load0", password={password!r}, email="load0@example.invalid",
    role="professional", organisation=organisation,
)
# One Argon2 hash for all: hashing {users} passwords one by one would take most of the set-up.
User.objects.bulk_create(
    User(
        username=f"load{{number}}", password=first.password,
        email=f"load{{number}}@example.invalid", role="professional", organisation=organisation,
    )
    for number in range(1, {users})
)
print(organisation.pk)
"""


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    if not postgres_is_up():
        pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 (load tests need it)")
    database = f"kw_load_{os.getpid()}"
    base = tmp_path_factory.mktemp("load")
    env = _clean_environment(base / "data", database)
    psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql(f"CREATE DATABASE {database}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    found = Installation(env, database, 0, [], base)
    try:
        for step in (("prepare",), ("collectstatic", "--noinput", "--verbosity", "0")):
            result = found.manage(*step)
            assert result.returncode == 0, result.stderr
        result = found.manage("shell", "-c", _CREATE_USERS.format(users=USERS, password=PASSWORD))
        assert result.returncode == 0, result.stderr
        found.organisation_id = int(result.stdout.split()[-1])
        found.usernames = [f"load{number}" for number in range(USERS)]
        yield found
    finally:
        for server in found.servers:
            server.stop()
        if not postgres_is_up():  # a fault test failed half-way: leave the machine as found
            _start_postgres()
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        redis.Redis.from_url(REDIS_URL).flushdb()


def _cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    return version, "main"


def _start_postgres() -> None:
    version, cluster = _cluster()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"],
        check=False,
        timeout=120,
    )
    for _ in range(60):
        if postgres_is_up():
            return
        time.sleep(1)


def restart_postgres() -> None:
    """Restart the machine's PostgreSQL (fast shutdown: open connections are cut, as in a crash)."""
    version, cluster = _cluster()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart", "-m", "fast"],
        check=True,
        timeout=120,
    )
    for _ in range(60):
        if postgres_is_up():
            return
        time.sleep(0.5)
    raise AssertionError("PostgreSQL did not come back within 30 s")

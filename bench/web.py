"""Benchmark web serving: Delen pages vs a bare view under wrk, worker memory, start-up time.

Run: .venv/bin/python bench/web.py [--workers 5,2] [--duration 7] [--skip-startup]
Needs wrk, PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and Redis on 127.0.0.1:6379.

1. Start-up: seconds from starting `ketenwijs serve` until `/health/` answers 200, on a fresh
   SQLite data folder (development: runserver, demo organisation) and on a fresh PostgreSQL
   database in production (gunicorn, default workers), each followed by a second start on the
   now prepared database.
2. Throughput and latency: gunicorn started through `ketenwijs.cli.web._run_gunicorn` (the code
   path of `ketenwijs serve`) with `bench/web_app/settings.py`, which adds `/bench/bare/` (a
   four-byte response) behind the same middleware and login. A professional signs in over HTTP and
   walks the Delen wizard, giving a question page (the data-categories question, mid-way) and a
   result page in that session. wrk (16 connections, 2 threads) measures bare, step, result,
   result, step, bare (so drift shows up as a difference between the two runs of one page) after
   a warm-up; requests go out as from a TLS-terminating load balancer (`X-Forwarded-Proto: https`).
   Any response that is not a 200 stops the benchmark. Then each page with one connection
   (`--single` seconds): its latency when nothing queues.
3. Memory: VmRSS, PSS and private memory of every gunicorn worker after the runs.

Throughput is reported as a ratio to the bare view measured in the same server, so the figure
means the same on any machine. Everything it creates (database `ketenwijs_bench`, Redis keys in
database 5, a temporary data folder, server processes) is removed at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LUA = REPO / "bench" / "web_app" / "wrk_report.lua"
LAUNCH = [sys.executable, "-m", "bench.web_app.launch"]  # gunicorn as `ketenwijs serve` runs it
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "ketenwijs_bench"  # created and dropped here; nothing else is touched
DATABASE_URL = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
CACHE_URL = "redis://127.0.0.1:6379/5"
HOST = "127.0.0.1"
TARGET_P95_MS = 25.0
TARGET_RATIO = 0.5
TARGET_RSS_MB = 150.0
# Answers leading to "allowed with conditions" (as in tests/web/sharing/conftest.py): a
# municipality shares with the RIEC in an RIEC case under the WGS.
ANSWERS: dict[str, object] = {
    "acute_danger": False,
    "sender": "municipality",
    "recipient": "riec",
    "purpose": "human_trafficking",
    "setting": "riec_case",
    "pattern": "incidental",
    "personal_data": "identifiable",
    "data_categories": ["ordinary", "criminal"],
    "data_subject_minor": False,
    "consent": "not_asked",
    "authorisation": "none",
    "agreement": "wgs",
    "necessity.purpose_specified": True,
    "necessity.less_intrusive_possible": False,
    "necessity.minimised": True,
    "dpia": "not_needed",
    "data_subject_informed": "restriction_applies",
}
STEP_FACT = "data_categories"  # the step page: a mid-way question with the most options
PAGES = ("bare", "step", "result")
ORDER = ("bare", "step", "result", "result", "step", "bare")


# ---- processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def clean_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The environment without any Ketenwijs or Django setting of the caller, plus `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KETENWIJS_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(extra)
    return env


class ServerExited(SystemExit):
    """The server process ended before it answered; `log` holds the end of its output."""

    def __init__(self, code: int, log: str) -> None:
        super().__init__(f"server exited with {code}:\n{log}")
        self.log = log


def python_path(env: Mapping[str, str]) -> str:
    """PYTHONPATH with the repository first, so the server can import `bench.web_app`."""
    return os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))


@dataclass
class Server:
    """A server process in its own process group, so stopping it also stops its workers."""

    argv: list[str]
    env: dict[str, str]
    port: int
    log: Path
    started: float = 0.0
    process: subprocess.Popen[bytes] | None = None
    _log_file: object = field(default=None, repr=False)

    def start(self) -> Server:
        handle = self.log.open("ab")
        self._log_file = handle
        self.started = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: S603 (fixed argv built in this script)
            self.argv,
            cwd=REPO,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_healthy(self, timeout: float = 120.0) -> float:
        """Poll /health/ until it answers 200; return seconds since the process was started."""
        assert self.process is not None
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise ServerExited(self.process.returncode, self.tail())
            with suppress(OSError, http.client.HTTPException):
                status, _, _ = request(self.port, "GET", "/health/", timeout=2)
                if status == 200:
                    return time.perf_counter() - self.started
            time.sleep(0.05)
        raise SystemExit(f"server not healthy after {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the whole process group: TERM, then KILL after 20 s."""
        if self.process is None:
            return
        pgid = self.process.pid  # start_new_session: the group id is the leader's pid
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            self.process.wait()
        # Workers left behind by a master that died first belong to the same group.
        for _ in range(100):
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        self.process = None
        if self._log_file is not None:
            self._log_file.close()  # type: ignore[attr-defined]
            self._log_file = None

    def workers(self) -> list[int]:
        assert self.process is not None
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]


def memory_kb(pid: int) -> dict[str, int | None]:
    """VmRSS from /proc/PID/status; PSS and private memory from smaps_rollup when readable."""
    out: dict[str, int | None] = {"rss": None, "pss": None, "private": None}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            out["rss"] = int(line.split()[1])
    with suppress(OSError):
        rollup = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value, *_ = line.split()
            rollup[name.rstrip(":")] = int(value)
        out["pss"] = rollup.get("Pss")
        out["private"] = rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0)
    return out


# ---- HTTP -----------------------------------------------------------------------------------

PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


def request(
    port: int,
    method: str,
    path: str,
    headers: Mapping[str, str] | None = None,
    body: str | None = None,
    timeout: float = 30,
) -> tuple[int, http.client.HTTPMessage, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@dataclass
class Browser:
    """A signed-in browser behind the load balancer; keeps its cookies itself (they are Secure)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in sorted(self.cookies.items()))

    def _send(
        self, method: str, path: str, form: Mapping[str, object] | None = None
    ) -> tuple[int, str, str]:
        headers = {**PROXY_HEADERS, "Cookie": self.cookie_header()}
        body = None
        if form is not None:
            origin = f"https://{HOST}:{self.port}"
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            }
            body = urlencode(form, doseq=True)
        status, response_headers, text = request(self.port, method, path, headers, body)
        for value in response_headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        location = urlsplit(response_headers.get("Location", "")).path
        return status, location, text

    def get(self, path: str) -> tuple[int, str, str]:
        return self._send("GET", path)

    def post(self, path: str, form: Mapping[str, object], token_from: str) -> tuple[int, str, str]:
        """POST `form` with the CSRF token of the page `token_from`, as a browser would."""
        status, _, page = self.get(token_from)
        expect(status == 200, f"GET {token_from} before posting: {status}")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        expect(match is not None, f"no CSRF token on {token_from}")
        assert match is not None
        return self._send("POST", path, {**form, "csrfmiddlewaretoken": match.group(1)})


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"bench/web.py: {message}")


def form_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return value or ["none"]
    return value


def sign_in_and_walk(port: int, username: str, password: str) -> tuple[Browser, dict[str, str]]:
    """Log in, then answer Delen questions: return the browser and the three page paths."""
    browser = Browser(port)
    login = "/accounts/login/"
    status, location, _ = browser.post(
        login, {"username": username, "password": password, "next": ""}, token_from=login
    )
    expect(status == 302 and "sessionid" in browser.cookies, f"login failed ({status})")
    expect(location != login, "login redirected back to the login page")

    def start() -> str:
        status, location, _ = browser.post("/sharing/", {"entry": "normal"}, "/sharing/")
        expect(status == 302 and "/assess/" in location, f"start: {status} {location}")
        return location

    def answer_until(url: str, stop_at: str | None) -> str:
        """Answer questions until `stop_at` is asked (its page) or the result is reached."""
        for _ in range(40):
            status, location, page = browser.get(url)
            if status == 302:
                # Done: the summary (check your answers), then the result.
                expect(location.endswith("/check/"), f"{url} redirected to {location}")
                return url + "result/"
            expect(status == 200, f"GET {url}: {status}")
            match = re.search(r'name="fact" value="([^"]+)"', page)
            expect(match is not None, f"no question on {url}")
            assert match is not None
            fact = match.group(1)
            if fact == stop_at:
                return url
            form = {"action": "answer", "fact": fact, "value": form_value(ANSWERS[fact])}
            status, location, _ = browser._send(
                "POST", url, {**form, "csrfmiddlewaretoken": csrf(page)}
            )
            expect(
                status == 302 and location in {url, url + "check/"},
                f"answer {fact}: {status} {location}",
            )
        raise SystemExit("bench/web.py: the wizard did not end after 40 questions")

    step = answer_until(start(), STEP_FACT)
    result = answer_until(start(), None)
    return browser, {"bare": "/bench/bare/", "step": step, "result": result}


def csrf(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    expect(match is not None, "no CSRF token on the page")
    assert match is not None
    return match.group(1)


def verify(browser: Browser, paths: Mapping[str, str]) -> dict[str, int]:
    """Each page must answer 200 with its own content (not a login page); return body sizes."""
    markers = {
        "bare": "bare",
        "step": f'name="fact" value="{STEP_FACT}"',
        "result": 'class="outcome outcome--allowed_with_conditions"',
    }
    sizes = {}
    for name, path in paths.items():
        status, location, page = browser.get(path)
        expect(status == 200, f"{name} page {path}: {status} {location}")
        expect(markers[name] in page, f"{name} page {path} lacks {markers[name]!r}")
        sizes[name] = len(page.encode())
    return sizes


# ---- wrk ------------------------------------------------------------------------------------


def wrk(
    wrk_bin: str, port: int, path: str, cookie: str, seconds: float, connections: int
) -> dict[str, float]:
    argv = [
        wrk_bin,
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "5s",
    ]
    argv += ["-s", str(LUA), "-H", f"Cookie: {cookie}"]
    for name, value in PROXY_HEADERS.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(argv, capture_output=True, text=True, check=True)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    expect(line is not None, f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    assert line is not None
    run = json.loads(line.removeprefix("WRK_JSON "))
    errors = {k: v for k, v in run.items() if k.endswith("_errors") or k in ("not_200", "timeouts")}
    expect(not any(errors.values()), f"wrk on {path} saw failures: {errors}")
    run["rps"] = run["requests"] / (run["duration_us"] / 1e6)
    return run


# ---- database -------------------------------------------------------------------------------


def recreate_database() -> None:
    import psycopg

    assert DB_NAME == "ketenwijs_bench"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def drop_database() -> None:
    import psycopg

    assert DB_NAME == "ketenwijs_bench"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def clear_cache() -> None:
    import redis

    client = redis.Redis.from_url(CACHE_URL)
    keys = list(client.scan_iter("ketenwijs:*"))
    if keys:
        client.delete(*keys)


# ---- the benchmark --------------------------------------------------------------------------


@dataclass
class Bench:
    tmp: Path
    servers: list[Server] = field(default_factory=list)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(64))

    @contextmanager
    def server(self, argv: list[str], env: dict[str, str], port: int) -> Iterator[Server]:
        server = Server(argv, env, port, self.tmp / f"server-{len(self.servers)}.log")
        self.servers.append(server)
        try:
            yield server.start()
        finally:
            server.stop()

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()

    def production_env(self) -> dict[str, str]:
        return clean_env(
            {
                "KETENWIJS_ENV": "production",
                "KETENWIJS_SECRET_KEY": self.secret_key,
                "KETENWIJS_ALLOWED_HOSTS": f"{HOST},localhost",
                "KETENWIJS_TRUSTED_PROXY": "true",
                "KETENWIJS_DATA_DIR": str(self.tmp / "production"),
                "KETENWIJS_DATABASE_URL": DATABASE_URL,
                "KETENWIJS_CACHE_URL": CACHE_URL,
            }
        )

    def start_up(self) -> list[tuple[str, float]]:
        """Time `ketenwijs serve` until /health/ is 200: fresh, then again on the same data."""
        times: list[tuple[str, float]] = []
        dev_env = clean_env({"KETENWIJS_DATA_DIR": str(self.tmp / "sqlite")})
        serve = [str(BIN / "ketenwijs"), "serve", "--port"]
        times += self._fresh_and_second("SQLite, development (runserver): fresh", serve, dev_env)
        env = self.production_env()
        workers = 2 * (os.cpu_count() or 1) + 1  # the default of `ketenwijs serve`
        label = f"PostgreSQL, production (gunicorn, {workers} workers)"
        serve = [str(BIN / "ketenwijs"), "serve", "--workers", str(workers), "--port"]
        times += self._fresh_and_second(label + ": fresh", serve, env)
        return times

    def _fresh_and_second(
        self, label: str, argv: list[str], env: dict[str, str]
    ) -> list[tuple[str, float]]:
        """Start `argv` + a port twice on the same data; seconds until healthy, each time."""
        times = []
        for name in (label, "  second start, same database"):
            port = free_port()
            with self.server([*argv, str(port)], env, port) as server:
                times.append((name, server.wait_healthy()))
        return times

    def collectstatic(self) -> float:
        """Production serves collected static files; collect them once (not part of start-up)."""
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [str(BIN / "ketenwijs"), "manage", "collectstatic", "--noinput", "-v0"],
            env=self.production_env(),
            cwd=REPO,
            check=True,
        )
        return time.perf_counter() - started

    def launch(self, port: int, workers: int) -> list[str]:
        return [*LAUNCH, "serve", "--port", str(port), "--workers", str(workers)]


def summarise(runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        "rps": statistics.mean(r["rps"] for r in runs),
        "p50": max(r["p50_us"] for r in runs) / 1000,
        "p95": max(r["p95_us"] for r in runs) / 1000,
        "p99": max(r["p99_us"] for r in runs) / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="5,2", help="gunicorn worker counts to try")
    parser.add_argument("--duration", type=float, default=7, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--single", type=float, default=3, help="seconds per page with one connection (0: skip)"
    )
    parser.add_argument("--skip-startup", action="store_true", help="no start-up timing")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    wrk_bin = shutil.which("wrk")
    expect(wrk_bin is not None, "wrk is not installed (apt-get install wrk)")
    assert wrk_bin is not None
    worker_counts = [int(n) for n in args.workers.split(",")]

    with tempfile.TemporaryDirectory(prefix="ketenwijs-bench-web-") as tmp:
        bench = Bench(Path(tmp))
        try:
            recreate_database()
            clear_cache()
            print(f"collectstatic (production, once before serving): {bench.collectstatic():.2f} s")
            if not args.skip_startup:
                print("start-up until /health/ answers 200 (s):")
                for label, seconds in bench.start_up():
                    print(f"  {label:<56} {seconds:6.2f}")
            env = bench.production_env()
            env["PYTHONPATH"] = python_path(env)
            username, password = "bench-professional", secrets.token_urlsafe(24)
            subprocess.run(  # noqa: S603
                [*LAUNCH, "make-user", "--username", username],
                env={**env, "BENCH_WEB_PASSWORD": password},
                cwd=REPO,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            browser: Browser | None = None
            paths: dict[str, str] = {}
            for workers in worker_counts:
                port = free_port()
                with bench.server(bench.launch(port, workers), env, port) as server:
                    server.wait_healthy()
                    if browser is None:
                        browser, paths = sign_in_and_walk(port, username, password)
                    browser.port = port
                    sizes = verify(browser, paths)
                    cookie = browser.cookie_header()
                    measure(args, wrk_bin, server, port, paths, cookie, workers, sizes)
        finally:
            bench.stop_all()
            drop_database()
            clear_cache()


def measure(
    args: argparse.Namespace,
    wrk_bin: str,
    server: Server,
    port: int,
    paths: Mapping[str, str],
    cookie: str,
    workers: int,
    sizes: Mapping[str, int],
) -> None:
    """Warm up, run wrk over the pages in ORDER, print the table and the workers' memory."""
    connections = args.connections
    print(
        f"\ngunicorn {workers} sync workers, wrk -t2 -c{connections} -d{args.duration:g}s "
        f"per run, {os.cpu_count()} cores shared by wrk and gunicorn, "
        f"load average {os.getloadavg()[0]:.1f} before"
    )
    for name in PAGES:
        wrk(wrk_bin, port, paths[name], cookie, args.warmup, connections)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in PAGES}
    for name in ORDER:
        run = wrk(wrk_bin, port, paths[name], cookie, args.duration, connections)
        runs[name].append(run)
        print(
            f"  run {name:<6} {run['rps']:7.1f} req/s  p50 {run['p50_us'] / 1000:6.1f}  "
            f"p95 {run['p95_us'] / 1000:6.1f}  p99 {run['p99_us'] / 1000:6.1f} ms"
        )
    bare = summarise(runs["bare"])
    print(
        f"  {'page':<7} {'bytes':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        f" {'ratio':>6}  p95 < {TARGET_P95_MS:g} ms  ratio >= {TARGET_RATIO:g}"
    )
    for name in PAGES:
        s = summarise(runs[name])
        ratio = s["rps"] / bare["rps"]
        print(
            f"  {name:<7} {sizes[name]:>6} {s['rps']:7.1f} {s['p50']:7.1f} {s['p95']:7.1f}"
            f" {s['p99']:7.1f} {ratio:6.2f}  {'met' if s['p95'] < TARGET_P95_MS else 'MISSED':<13}"
            f" {'met' if ratio >= TARGET_RATIO else 'MISSED'}"
        )
    print(
        "  (req/s: mean of the two runs; p50/p95/p99: the worse of the two; "
        f"load average {os.getloadavg()[0]:.1f} after)"
    )
    if args.single:
        print("  one connection at a time (wrk -t1 -c1), the latency of a page on an idle server:")
        for name in PAGES:
            run = wrk(wrk_bin, port, paths[name], cookie, args.single, 1)
            print(
                f"    {name:<6} {run['rps']:7.1f} req/s  p50 {run['p50_us'] / 1000:6.1f}  "
                f"p95 {run['p95_us'] / 1000:6.1f} ms  "
                f"{'met' if run['p95_us'] / 1000 < TARGET_P95_MS else 'MISSED'}"
            )
    assert server.process is not None
    master = memory_kb(server.process.pid)
    print(f"  memory after the runs (MB; target RSS < {TARGET_RSS_MB:g} per worker):")
    print(f"    master     rss {mb(master['rss'])}  pss {mb(master['pss'])}")
    for pid in server.workers():
        m = memory_kb(pid)
        verdict = "met" if (m["rss"] or 0) / 1024 < TARGET_RSS_MB else "MISSED"
        print(
            f"    worker {pid:<7} rss {mb(m['rss'])}  pss {mb(m['pss'])}  "
            f"private {mb(m['private'])}  {verdict}"
        )


def mb(kb: int | None) -> str:
    return "   n/a" if kb is None else f"{kb / 1024:6.1f}"


if __name__ == "__main__":
    main()

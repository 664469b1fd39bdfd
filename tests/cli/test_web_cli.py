"""`ketenwijs serve` / `manage`: clear one-line errors, production checks, first-run set-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

STRONG_KEY = "k" * 20 + "Q7w!e9R$t2Y#u4I%o6P^a8S&d0F*g1H(j3"
AUDIT_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # base64 of a 32-byte Ed25519 seed


def _run(
    args: list[str], env: dict[str, str], tmp_path: Path, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    # Only the variables a real user would have: no test settings, no test-only Django flags.
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KETENWIJS_", "DJANGO_"))}
    clean["KETENWIJS_DATA_DIR"] = str(tmp_path / "data")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "ketenwijs.cli", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=timeout,
        cwd=tmp_path,
        check=False,
    )


def test_bad_variable_is_one_line_before_anything_starts(tmp_path: Path) -> None:
    result = _run(["serve"], {"KETENWIJS_ENV": "production"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "ketenwijs: configuration error: KETENWIJS_SECRET_KEY is required when "
        "KETENWIJS_ENV=production (a random string of at least 50 characters)"
    ]
    assert not (tmp_path / "data").exists()


def test_unreachable_database_is_a_clear_message(tmp_path: Path) -> None:
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    result = _run(
        ["serve"], {"KETENWIJS_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"}, tmp_path
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "ketenwijs: cannot reach the database (PostgreSQL none on 127.0.0.1:9)"
    )
    assert "KETENWIJS_DATABASE_URL" in result.stderr


def test_production_deploy_check_passes(tmp_path: Path) -> None:
    env = {
        "KETENWIJS_ENV": "production",
        "KETENWIJS_SECRET_KEY": STRONG_KEY,
        "KETENWIJS_ALLOWED_HOSTS": "ketenwijs.example.nl",
        "KETENWIJS_AUDIT_SIGNING_KEY": AUDIT_KEY,
    }
    result = _run(["manage", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_first_run_creates_demo_admin_with_generated_password_once(tmp_path: Path) -> None:
    """Run the set-up `serve` does (via the management commands) twice on a fresh SQLite file."""
    first = _run(["manage", "migrate", "--verbosity", "0"], {}, tmp_path)
    assert first.returncode == 0, first.stderr
    created = _run(["manage", "ensuredemo"], {}, tmp_path)
    again = _run(["manage", "ensuredemo"], {}, tmp_path)
    assert "Password (shown once): " in created.stdout
    password = created.stdout.split("Password (shown once): ")[1].strip()
    assert len(password) >= 16
    assert "exists already" in again.stdout
    assert password not in again.stdout
    assert (tmp_path / "data" / "ketenwijs.sqlite3").exists()


def test_help_lists_commands(tmp_path: Path) -> None:
    result = _run(["--help"], {}, tmp_path)
    assert result.returncode == 0
    for command in ("serve", "manage"):
        assert command in result.stdout


@pytest.mark.parametrize("port", ["0", "70000", "abc"])
def test_serve_rejects_bad_port(tmp_path: Path, port: str) -> None:
    result = _run(["serve", "--port", port], {}, tmp_path)
    assert result.returncode == 2
    assert "--port" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--server", "gunicorn", "--reload"], "--reload works only with --server runserver"),
        (["--server", "runserver", "--workers", "3"], "--workers and --threads need gunicorn"),
        (["--workers", "0"], "--workers"),
    ],
)
def test_serve_rejects_options_that_do_not_fit_the_server(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = _run(["serve", "--no-prepare", *args], {}, tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_prepare_in_production_creates_no_demo_admin_unless_asked(tmp_path: Path) -> None:
    env = {
        "KETENWIJS_ENV": "production",
        "KETENWIJS_SECRET_KEY": STRONG_KEY,
        "KETENWIJS_ALLOWED_HOSTS": "ketenwijs.example.nl",
        "KETENWIJS_AUDIT_SIGNING_KEY": AUDIT_KEY,
    }
    first = _run(["manage", "prepare"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Content loaded: Delen" in first.stdout
    assert "Demo" not in first.stdout
    demo = _run(["manage", "prepare", "--demo"], env, tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Password (shown only this once)" in demo.stdout
    assert "(0 migrations applied now)" in demo.stdout


def test_serve_with_gunicorn_answers_health_logs_json_and_stops_cleanly(tmp_path: Path) -> None:
    import json
    import signal
    import socket
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KETENWIJS_", "DJANGO_"))}
    clean["KETENWIJS_DATA_DIR"] = str(tmp_path / "data")
    command = ["serve", "--server", "gunicorn", "--workers", "2", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "ketenwijs.cli", *command],
        cwd=tmp_path,
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 90
        while body is None and time.monotonic() < deadline and process.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/health/"
                with urllib.request.urlopen(url, timeout=5) as response:
                    body = json.loads(response.read())
            except OSError:
                time.sleep(0.2)
        assert body is not None, process.stderr.read() if process.poll() is not None else ""
        assert body["status"] == "ok"
        # A refused request (a form post without the CSRF cookie: Django logs it with the
        # exception attached) must log one short line under gunicorn too.
        fields = "&".join(f"f{i}=x" for i in range(300)).encode()
        refused = urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/", fields)
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(refused, timeout=10)  # noqa: S310 -- http://127.0.0.1 only
        assert caught.value.code == 403
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Ketenwijs runs on http://127.0.0.1:" in stdout
    lines = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    messages = [line["message"] for line in lines]
    assert any(message.startswith("Booting worker with pid") for message in messages)
    assert any("Shutting down" in message for message in messages), messages
    security = [line for line in lines if line["logger"].startswith("django.security")]
    assert security, messages
    assert all(line["level"] == "WARNING" and "exception" not in line for line in security)
    loggers = {line["logger"] for line in lines}
    assert {name for name in loggers if not name.startswith("django.security.")} <= {
        "gunicorn.error",
        "django.request",
        "root",
    }


@pytest.mark.postgres
def test_two_servers_preparing_one_fresh_postgresql_at_once_both_succeed(tmp_path: Path) -> None:
    """Several web servers behind a load balancer may start together: prepare takes a lock."""
    if not os.environ.get("KETENWIJS_DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("needs PostgreSQL (run by make test-postgres)")
    name = f"kw_prepare_{os.getpid()}"
    admin = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"]
    subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
    subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True)
    try:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("KETENWIJS_", "DJANGO_"))},
            "KETENWIJS_DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{name}",
        }
        runs = []
        for number in range(2):
            env["KETENWIJS_DATA_DIR"] = str(tmp_path / f"data{number}")
            runs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "ketenwijs.cli", "manage", "prepare"],
                    env=dict(env),
                    cwd=tmp_path,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        results = [(*run.communicate(timeout=300), run.returncode) for run in runs]
        for _stdout, stderr, code in results:
            assert code == 0, stderr[-2000:]
        applied = sorted(int(out.split("(")[1].split()[0]) for out, _, _ in results)
        assert applied[0] == 0 < applied[1], "one server migrates, the other finds it done"
        assert sum("Demo organisation" in out for out, _, _ in results) == 1
    finally:
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)


def test_gunicorn_logs_refused_requests_without_tracebacks_like_django_does() -> None:
    # `serve` hands gunicorn its own logging configuration; it must carry the same filter as
    # Django's LOGGING, or a 403 logs a full traceback in production (the re-review found that).
    from django.conf import settings
    from django.utils.module_loading import import_string

    from ketenwijs.cli.web import gunicorn_log_config
    from ketenwijs.web.core.logging import ClientErrorFilter

    for config in (gunicorn_log_config("INFO"), settings.LOGGING):
        filters = config["filters"]
        names = config["handlers"]["console"]["filters"]  # type: ignore[index]
        assert names
        assert all(import_string(filters[n]["()"]) is ClientErrorFilter for n in names)  # type: ignore[index]

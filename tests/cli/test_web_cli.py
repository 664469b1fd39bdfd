"""`ketenwijs serve` / `manage`: clear one-line errors, production checks, first-run set-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

STRONG_KEY = "k" * 20 + "Q7w!e9R$t2Y#u4I%o6P^a8S&d0F*g1H(j3"


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

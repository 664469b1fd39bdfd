"""`ketenwijs serve` and `ketenwijs manage`: start and administer the Django application."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from ketenwijs.config import ConfigError, load_config


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"ketenwijs: {message}", err=True)
    sys.exit(code)


def setup_django() -> None:
    """Check the configuration (one-line error on a bad variable), then initialise Django."""
    try:
        config = load_config()
    except ConfigError as exc:
        _fail(f"configuration error: {exc}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ketenwijs.web.settings"
    if not config.database.is_postgres:
        config.data_dir.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def ensure_database() -> None:
    """Connect once, so an unreachable database is one clear message rather than a traceback."""
    from django.db import DatabaseError, connection

    from ketenwijs.web.settings import CONFIG

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(
            f"cannot reach the database ({CONFIG.database.describe()}): {first_line}. "
            "Check KETENWIJS_DATABASE_URL and that the server is running.",
            code=1,
        )


def _default_workers() -> int:
    """Gunicorn's own rule of thumb: two workers per core plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def _run_gunicorn(host: str, port: int, workers: int, threads: int, log_level: str) -> None:
    """Serve the WSGI app with gunicorn in this process: content preloaded, workers forked."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from ketenwijs.web.wsgi import application

    # Workers must not share the master's database connection (a socket is not fork-safe).
    connections.close_all()
    options: dict[str, object] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        # Preloading loads Django, rules and indicators once; forked workers share those pages.
        "preload_app": True,
        "timeout": 30,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Recycle workers now and then so slow growth in one process cannot pile up.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "proc_name": "ketenwijs",
        "control_socket_disable": True,
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,  # noqa: S108
        # No access log: Django's JSON log records what matters without query strings.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": log_level.lower(),
        "logconfig_dict": gunicorn_log_config(log_level),
    }

    class _Application(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self) -> object:
            return application

    _Application().run()


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 behind a load balancer).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--server",
    type=click.Choice(["auto", "gunicorn", "runserver"]),
    default="auto",
    show_default=True,
    help="auto: gunicorn when KETENWIJS_ENV=production, Django's development server otherwise.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Gunicorn worker processes [default: 2 x CPU cores + 1].",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Threads per gunicorn worker (more than 1 uses gunicorn's gthread worker).",
)
@click.option(
    "--prepare/--no-prepare",
    default=True,
    show_default=True,
    help="Apply migrations and load content before serving (safe on several servers at once).",
)
@click.option(
    "--reload/--no-reload",
    default=False,
    show_default=True,
    help="Restart on code changes (development server only).",
)
def serve(
    host: str,
    port: int,
    server: str,
    workers: int | None,
    threads: int,
    prepare: bool,
    reload: bool,
) -> None:
    """Prepare the database and content, then serve Ketenwijs (gunicorn in production)."""
    setup_django()
    from django.core.management import call_command

    from ketenwijs.web.core.bootstrap import prepare as prepare_installation
    from ketenwijs.web.settings import CONFIG

    # Options first: a usage error should not wait for (or depend on) the database.
    use_gunicorn = server == "gunicorn" or (server == "auto" and CONFIG.is_production)
    if reload and use_gunicorn:
        raise click.UsageError("--reload works only with --server runserver")
    if not use_gunicorn and (workers is not None or threads != 1):
        raise click.UsageError("--workers and --threads need gunicorn (--server gunicorn)")
    ensure_database()
    if prepare:
        for line in prepare_installation():
            click.echo(line)
    shown_host = f"[{host}]" if ":" in host else host
    click.echo(f"Ketenwijs runs on http://{shown_host}:{port}/ (stop with Ctrl+C)")
    if use_gunicorn:
        _run_gunicorn(host, port, workers or _default_workers(), threads, CONFIG.log_level)
    else:
        call_command("runserver", f"{shown_host}:{port}", use_reloader=reload, skip_checks=False)


@click.command(
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "help_option_names": [],
    }
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `ketenwijs manage migrate`."""
    setup_django()
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(["ketenwijs manage", *args])
    except OperationalError as exc:
        _fail(f"database error: {str(exc).strip().splitlines()[0]}", code=1)


def gunicorn_log_config(log_level: str) -> dict[str, object]:
    """gunicorn's logging: Django's JSON configuration (4xx without tracebacks), with gunicorn's
    own error log on the same handler and its access log off; gunicorn merges this into its
    defaults, whose root logger uses "console"."""
    from ketenwijs.web.core.logging import json_logging_config

    return json_logging_config(
        log_level,
        {
            "gunicorn.error": {"handlers": ["console"], "propagate": False},
            "gunicorn.access": {"handlers": [], "propagate": False},
        },
    )

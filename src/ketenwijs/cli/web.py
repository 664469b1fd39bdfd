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


@click.command()
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port on 127.0.0.1.",
)
@click.option(
    "--reload/--no-reload",
    default=False,
    show_default=True,
    help="Restart on code changes (development).",
)
def serve(port: int, reload: bool) -> None:
    """Prepare the database and content, then run the development server on 127.0.0.1."""
    setup_django()
    ensure_database()
    from django.core.management import call_command

    from ketenwijs.web.core.bootstrap import prepare

    for line in prepare():
        click.echo(line)
    click.echo(f"Ketenwijs runs on http://127.0.0.1:{port}/ (stop with Ctrl+C)")
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=reload, skip_checks=False)


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

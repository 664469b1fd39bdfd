"""Serve Ketenwijs with the bench settings the way `ketenwijs serve` does in production.

    python -m bench.web_app.launch serve --port 8123 --workers 5 [--threads 1]
    BENCH_WEB_PASSWORD=... python -m bench.web_app.launch make-user --username bench

`serve` repeats `ketenwijs serve` step by step (check the configuration, set up Django, connect,
prepare, then `ketenwijs.cli.web._run_gunicorn`) with one difference: DJANGO_SETTINGS_MODULE is
`bench.web_app.settings`, which adds the bare page. Gunicorn therefore gets exactly the options
the real command gives it. `make-user` adds an organisation and a professional to sign in with.
Run from the repository root (or with it on PYTHONPATH) so `bench` is importable.
"""

from __future__ import annotations

import argparse
import os
import sys


def _setup() -> None:
    from ketenwijs.config import ConfigError, load_config

    try:
        load_config()
    except ConfigError as exc:
        sys.exit(f"launch: configuration error: {exc}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.web_app.settings"
    import django

    django.setup()
    from ketenwijs.cli.web import ensure_database

    ensure_database()


def serve(args: argparse.Namespace) -> None:
    """Prepare (unless --no-prepare) and run gunicorn through the CLI's own function."""
    _setup()
    from django.conf import settings

    from ketenwijs.cli.web import _run_gunicorn
    from ketenwijs.web.core.bootstrap import prepare

    if args.prepare:
        for line in prepare():
            print(line, flush=True)
    _run_gunicorn(args.host, args.port, args.workers, args.threads, settings.CONFIG.log_level)


def make_user(args: argparse.Namespace) -> None:
    """Prepare the database, then add an organisation and a professional (no second factor)."""
    _setup()
    from ketenwijs.web.accounts.constants import OrganisationKind, Role
    from ketenwijs.web.accounts.models import Organisation, User
    from ketenwijs.web.core.bootstrap import prepare

    for line in prepare():
        print(line, flush=True)
    password = os.environ["BENCH_WEB_PASSWORD"]
    organisation, _ = Organisation.objects.get_or_create(
        name="Benchmark-gemeente", defaults={"kind": OrganisationKind.MUNICIPALITY}
    )
    User.objects.filter(username=args.username).delete()
    User.objects.create_user(
        username=args.username,
        email=f"{args.username}@example.invalid",
        password=password,
        role=Role.PROFESSIONAL,
        organisation=organisation,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, required=True)
    run.add_argument("--workers", type=int, required=True)
    run.add_argument("--threads", type=int, default=1)
    run.add_argument("--prepare", action=argparse.BooleanOptionalAction, default=True)
    run.set_defaults(func=serve)
    user = commands.add_parser("make-user")
    user.add_argument("--username", required=True)
    user.set_defaults(func=make_user)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()

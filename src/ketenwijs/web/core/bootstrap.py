"""Everything `ketenwijs serve` does before serving: translations, migrations, content, demo."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ketenwijs.web.accounts.services import ensure_demo_organisation
from ketenwijs.web.core.content import load_all_content

# Any fixed 64-bit number; it names the "preparing" lock among PostgreSQL advisory locks.
_PREPARE_LOCK_KEY = 0x6B6574656E776A73  # "ketenwjs"


@contextmanager
def _prepare_lock() -> Iterator[None]:
    """Let one server at a time migrate and load content; the others wait, then find it done.

    Several web servers behind a load balancer may start together on one PostgreSQL, and Django's
    migrate has no lock of its own. SQLite is one file on one machine: it needs none.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_PREPARE_LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_PREPARE_LOCK_KEY])


def prepare(*, demo: bool | None = None) -> Iterator[str]:
    """Bring a fresh or existing installation up to date; yield one line per step for the user.

    The demo organisation (with a generated password) is created only outside production unless
    asked for: a production installation starts with `ketenwijs manage createsuperuser`.
    """
    with_demo = not settings.CONFIG.is_production if demo is None else demo
    with _prepare_lock():
        out = StringIO()
        call_command("migrate", interactive=False, verbosity=1, stdout=out)
        applied = out.getvalue().count(" OK")
        yield f"Database up to date ({applied} migrations applied now)."
        for summary in load_all_content():
            yield f"Content loaded: {summary}"
        if not with_demo:
            return
        user, password = ensure_demo_organisation()
    if password is not None:
        organisation = user.organisation.name if user.organisation else "-"
        yield ""
        yield f"Demo organisation '{organisation}' created with administrator '{user.username}'."
        yield f"Password (shown only this once): {password}"
        yield "This administrator must set up two-step verification (TOTP) at first login."
        yield ""

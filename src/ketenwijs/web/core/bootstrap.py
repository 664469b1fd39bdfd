"""Everything `ketenwijs serve` does before serving: translations, migrations, content, demo."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

from django.core.management import call_command

from ketenwijs.web.accounts.services import ensure_demo_organisation
from ketenwijs.web.core.content import load_all_content


def prepare() -> Iterator[str]:
    """Bring a fresh or existing installation up to date; yield one line per step for the user."""
    out = StringIO()
    call_command("migrate", interactive=False, verbosity=1, stdout=out)
    applied = out.getvalue().count(" OK")
    yield f"Database up to date ({applied} migrations applied now)."
    for summary in load_all_content():
        yield f"Content loaded: {summary}"
    user, password = ensure_demo_organisation()
    if password is not None:
        organisation = user.organisation.name if user.organisation else "-"
        yield ""
        yield f"Demo organisation '{organisation}' created with administrator '{user.username}'."
        yield f"Password (shown only this once): {password}"
        yield "This administrator must set up two-step verification (TOTP) at first login."
        yield ""

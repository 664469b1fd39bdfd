"""`ketenwijs audit verify|purge`: check and maintain the decision log from a terminal (or cron)."""

from __future__ import annotations

import sys

import click

from ketenwijs.cli.web import ensure_database, setup_django


def _organisations(org: str | None):  # type: ignore[no-untyped-def]
    from ketenwijs.web.accounts.models import Organisation

    organisations = Organisation.objects.order_by("pk")
    if org is None:
        return list(organisations)
    found = organisations.filter(pk=int(org)) if org.isdigit() else organisations.filter(name=org)
    if not found:
        names = ", ".join(f"{o.pk}={o.name}" for o in organisations[:20])
        raise click.BadParameter(
            f"no organisation {org!r}; known: {names or '(none)'}", param_hint="--org"
        )
    return list(found)


@click.group()
def audit() -> None:
    """Verify and maintain the tamper-evident decision log."""


@audit.command()
@click.option("--org", help="Organisation id or exact name (default: every organisation).")
def verify(org: str | None) -> None:
    """Recompute each organisation's hash chain; exit 1 at the first broken link."""
    setup_django()
    ensure_database()
    from ketenwijs.web.audit.services import run_verification

    broken = False
    for organisation in _organisations(org):
        result = run_verification(organisation, trigger="cli")
        click.echo(f"{organisation.pk} {organisation.name}: {result.message()}")
        broken = broken or not result.ok
    sys.exit(1 if broken else 0)


@audit.command()
@click.option("--org", help="Organisation id or exact name (default: every organisation).")
def purge(org: str | None) -> None:
    """Remove records past their organisation's retention period, leaving a signed checkpoint."""
    setup_django()
    ensure_database()
    from ketenwijs.audit import PurgeError
    from ketenwijs.web.audit.services import purge_expired

    failed = False
    for organisation in _organisations(org):
        try:
            result = purge_expired(organisation)
        except PurgeError as exc:
            click.echo(f"{organisation.pk} {organisation.name}: {exc}", err=True)
            failed = True
            continue
        click.echo(
            f"{organisation.pk} {organisation.name}: {result.purged} record(s) older than "
            f"{result.cutoff:%Y-%m-%d} removed"
        )
    sys.exit(1 if failed else 0)

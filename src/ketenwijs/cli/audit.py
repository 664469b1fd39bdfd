"""`ketenwijs audit …`: verify, purge, export and verify bundles, show the public key(s)."""

from __future__ import annotations

import sys
from pathlib import Path

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
    from ketenwijs.web.audit.tree import verify_tree

    broken = False
    for organisation in _organisations(org):
        result = run_verification(organisation, trigger="cli")
        click.echo(f"{organisation.pk} {organisation.name}: {result.message()}")
        # The Merkle tree against the Ed25519-signed checkpoint (ADR 0019).
        tree_ok, tree_message = verify_tree(organisation)
        click.echo(f"{organisation.pk} {organisation.name}: Merkle tree: {tree_message}")
        broken = broken or not result.ok or not tree_ok
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


@audit.command()
@click.option("--org", required=True, help="Organisation id or exact name.")
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bundle file to write (JSON Lines; see docs/audit-bundle.md).",
)
def export(org: str, out_path: Path) -> None:
    """Write an offline bundle: records as hashed, signed checkpoints and proofs."""
    setup_django()
    ensure_database()
    from ketenwijs.web.audit.tree import TreeUnavailableError, export_bundle

    (organisation,) = _organisations(org)
    try:
        with out_path.open("w", encoding="utf-8") as out:
            count = export_bundle(organisation, out)
    except TreeUnavailableError as exc:
        out_path.unlink(missing_ok=True)
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{organisation.pk} {organisation.name}: {count} record(s) written to {out_path}")


@audit.command("verify-bundle")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option(
    "--public-key",
    "public_key_files",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Trusted public key(s): PEM, base64 or the public keys JSON. Repeat for rotated keys.",
)
@click.option(
    "--known-checkpoint",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A checkpoint (JSON) you saw earlier, e.g. from a record's PDF or JSON: a bundle that "
    "is older than it, or disagrees with it, is reported broken (rollback).",
)
def verify_bundle_command(
    bundle: Path, public_key_files: tuple[Path, ...], known_checkpoint: Path | None
) -> None:
    """Verify a bundle without database or secret: exit 0 intact, 1 broken, 2 unreadable."""
    import json

    from ketenwijs.audit.bundle import Status, verify_bundle
    from ketenwijs.audit.signing import SigningKeyError, TreeCheckpoint, load_public_keys

    keys = {}
    known = None
    try:
        for key_file in public_key_files:
            keys.update(load_public_keys(key_file.read_text(encoding="utf-8")))
        if known_checkpoint is not None:
            data = json.loads(known_checkpoint.read_text(encoding="utf-8"))
            known = TreeCheckpoint.from_dict(data.get("checkpoint", data))
    except (OSError, UnicodeDecodeError, ValueError, SigningKeyError, AttributeError) as exc:
        click.echo(f"Unreadable input: {exc}", err=True)
        sys.exit(Status.UNREADABLE)
    result = verify_bundle(bundle, keys, known)
    click.echo(result.message, err=result.status != Status.INTACT)
    sys.exit(int(result.status))


@audit.command("public-key")
@click.option("--json", "as_json", is_flag=True, help="All keys, old ones too, as JSON.")
def public_key(as_json: bool) -> None:
    """Print the installation's public key(s) for verifying checkpoints (PEM, current first)."""
    setup_django()
    ensure_database()
    import json

    from ketenwijs.audit.signing import public_key_pem
    from ketenwijs.web.audit.tree import installation_key, public_keys

    keys = public_keys()
    if as_json:
        click.echo(json.dumps({"keys": keys}, indent=2))
        return
    click.echo(public_key_pem(installation_key().public_key()), nl=False)
    from ketenwijs.audit.signing import raw_public_key

    for row in keys:
        if not row["current"]:
            click.echo(f"# retired key {row['key_id']}")
            click.echo(public_key_pem(raw_public_key(row["public_key"])), nl=False)


@audit.command("generate-key")
def generate_key() -> None:
    """Print a new Ed25519 private key (PEM) for KETENWIJS_AUDIT_SIGNING_KEY(_FILE)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ketenwijs.audit.signing import private_key_pem

    click.echo(private_key_pem(Ed25519PrivateKey.generate()), nl=False)

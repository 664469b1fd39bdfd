"""`ketenwijs privacy check PATH|-`: run the privacy guard over a text file (spec §4.3).

Exit codes are the contract: 0 nothing found, 1 personal data found, 2 unreadable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from ketenwijs.privacy import check_text, describe_hit

EXIT_CLEAN = 0
EXIT_FOUND = 1
EXIT_UNREADABLE = 2


def _read(path: str) -> str:
    """Return the UTF-8 text of `path` (or stdin for '-'); exit 2 with a clear message if not."""
    label = "stdin" if path == "-" else path
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        _fail(f"bestand '{label}' bestaat niet", f"file '{label}' does not exist")
    except IsADirectoryError:
        _fail(f"'{label}' is een map, geen bestand", f"'{label}' is a directory, not a file")
    except OSError as exc:
        _fail(f"'{label}' kan niet gelezen worden ({exc.strerror})",
              f"cannot read '{label}' ({exc.strerror})")  # fmt: skip
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(
            f"'{label}' is geen UTF-8-tekst (ongeldige byte op positie {exc.start})",
            f"'{label}' is not UTF-8 text (invalid byte at position {exc.start})",
        )


def _fail(nl: str, en: str) -> NoReturn:
    click.echo(f"Fout: {nl}.\nError: {en}.", err=True)
    sys.exit(EXIT_UNREADABLE)


@click.group()
def privacy() -> None:
    """Privacyfilter: vind persoonsgegevens in tekst / privacy guard: find personal data."""


@privacy.command("check")
@click.argument("path", metavar="PATH|-")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="Uitvoer / output format.",
)
def check(path: str, output_format: str) -> None:
    """Controleer een tekst op persoonsgegevens / check a text for personal data.

    Exit 0: niets gevonden / nothing found; 1: persoonsgegevens gevonden / personal data found;
    2: onleesbare invoer / unreadable input.
    """
    text = _read(path)
    hits = check_text(text)
    source = "-" if path == "-" else path
    if output_format == "json":
        document = {"source": source, "count": len(hits), "hits": [h.to_dict() for h in hits]}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    elif not hits:
        click.echo("Geen persoonsgegevens gevonden. / No personal data found.")
    else:
        for hit in hits:
            nl, en = describe_hit(text, hit)
            click.echo(f"{source}: {nl} / {en}: {hit.text!r}")
        click.echo(f"{len(hits)} vondst(en) / finding(s).")
    sys.exit(EXIT_FOUND if hits else EXIT_CLEAN)

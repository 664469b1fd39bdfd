"""`ketenwijs privacy check PATH|-`: run the privacy guard over a text file (spec §4.3).

Exit codes are the contract: 0 nothing found, 1 personal data found, 2 unreadable input.
"""

from __future__ import annotations

import json
import sys
from typing import NoReturn

import click

from ketenwijs.inputs import (
    InputTooLargeError,
    UndecodableTextError,
    decode_text,
    parse_size,
    read_path_limited,
)
from ketenwijs.inputs.reading import describe_size
from ketenwijs.privacy import check_text, describe_hit

EXIT_CLEAN = 0
EXIT_FOUND = 1
EXIT_UNREADABLE = 2


DEFAULT_MAX_SIZE = "10MB"


def _read(path: str, limit: int) -> str:
    """Return the text of `path` (or stdin for '-') read by the one decoding policy (UTF-8,
    UTF-16, Windows-1252); exit 2 with a clear message if it is unreadable or too large."""
    label = "stdin" if path == "-" else path
    try:
        data = read_path_limited(path, limit)
    except FileNotFoundError:
        _fail(f"bestand '{label}' bestaat niet", f"file '{label}' does not exist")
    except IsADirectoryError:
        _fail(f"'{label}' is een map, geen bestand", f"'{label}' is a directory, not a file")
    except OSError as exc:
        _fail(f"'{label}' kan niet gelezen worden ({exc.strerror})",
              f"cannot read '{label}' ({exc.strerror})")  # fmt: skip
    except InputTooLargeError as exc:
        size = describe_size(exc.limit)
        _fail(
            f"'{label}' is groter dan {size} (hoger met --max-size)",
            f"'{label}' is larger than {size} (raise it with --max-size)",
        )
    try:
        return decode_text(data).text
    except UndecodableTextError as exc:
        _fail(f"'{label}' is geen leesbare tekst ({exc.detail})",
              f"'{label}' is not readable text ({exc.detail})")  # fmt: skip


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
@click.option(
    "--max-size",
    default=DEFAULT_MAX_SIZE,
    show_default=True,
    help="Grootste invoer / largest input (e.g. 10MB, 1GB).",
)
def check(path: str, output_format: str, max_size: str) -> None:
    """Controleer een tekst op persoonsgegevens / check a text for personal data.

    Exit 0: niets gevonden / nothing found; 1: persoonsgegevens gevonden / personal data found;
    2: onleesbare invoer / unreadable input.
    """
    try:
        limit = parse_size(max_size)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-size") from exc
    text = _read(path, limit)
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

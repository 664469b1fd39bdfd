"""`ketenwijs manage write_openapi [--check]`: write (or compare) docs/api/openapi.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenwijs.web.api.openapi import COMMITTED, openapi_text


class Command(BaseCommand):
    help = "Write the API's OpenAPI document to docs/api/openapi.json (or --check it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default=str(COMMITTED), help="Where to write the document.")
        parser.add_argument(
            "--check", action="store_true", help="Exit 1 if the file differs; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        text = openapi_text()
        if options["check"]:
            current = out.read_text(encoding="utf-8") if out.exists() else ""
            if current != text:
                raise CommandError(f"{out} is out of date: run `ketenwijs manage write_openapi`")
            self.stdout.write(f"{out} is up to date")
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {out}")

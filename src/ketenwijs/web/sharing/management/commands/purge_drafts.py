"""`ketenwijs manage purge_drafts`: delete Delen drafts older than KETENWIJS_DRAFT_DAYS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ketenwijs.web.sharing.wizard import purge_expired


class Command(BaseCommand):
    help = (
        "Delete unfinished Delen assessments (drafts) not changed for KETENWIJS_DRAFT_DAYS days; "
        "run it daily, next to `ketenwijs audit purge`."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        self.stdout.write(f"Delen drafts: {deleted} expired drafts deleted.")

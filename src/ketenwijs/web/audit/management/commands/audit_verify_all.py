"""`ketenwijs manage audit_verify_all`: the daily job that verifies every organisation's log.

Each result is kept (the pages warn on affected records), written to the application log
(logger `ketenwijs.audit`, no names or texts) and, when intact, appended to the chain as a
verification record. Exit status 1 when any chain is broken, so cron or a timer can alert.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from ketenwijs.web.accounts.models import Organisation
from ketenwijs.web.audit.services import run_verification


class Command(BaseCommand):
    help = "Verify the decision log of every organisation (daily job); exit 1 if any is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = 0
        organisations = Organisation.objects.order_by("pk")
        for organisation in organisations:
            result = run_verification(organisation, trigger="daily")
            self.stdout.write(f"{organisation.pk}: {result.message()}")
            broken += 0 if result.ok else 1
        self.stdout.write(f"{organisations.count()} organisation(s) verified, {broken} broken")
        if broken:
            sys.exit(1)

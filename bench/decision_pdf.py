"""Benchmark the decision PDF (issue 15): render time and page count of typical decisions.

Run: .venv/bin/python bench/decision_pdf.py [--runs 40]
Creates a throw-away SQLite data folder, one organisation, one professional and one decision per
outcome (the answers of the Delen web tests: a municipality shares with the RIEC, and the
variants that are not allowed or need advice), then calls the PDF view `--runs` times per
decision, as a signed-in request does (query, template, WeasyPrint). Prints the number of pages
and p50/p95 in milliseconds of wall time and of this process's CPU time: on a shared machine the
wall time includes waiting for a core, the CPU time is what one request costs on an idle one.
The target of issue 15 is p95 < 300 ms and two pages.
Everything it creates is removed at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="renders per decision (default 40)")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="ketenwijs-bench-pdf-")
    os.environ["KETENWIJS_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenwijs.web.settings")
    sys.path.insert(0, str(ROOT))
    try:
        return _run(args.runs)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(runs: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import RequestFactory
    from django.utils import translation
    from pypdf import PdfReader
    from tests.web.sharing.conftest import ANSWERS

    from ketenwijs.sharing import Case, evaluate, load_rulebook
    from ketenwijs.web.accounts.constants import Role
    from ketenwijs.web.accounts.models import Organisation, User
    from ketenwijs.web.audit.services import record_decision
    from ketenwijs.web.audit.views import record_pdf

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(name="Gemeente Aa", kind="municipality")
    user = User.objects.create_user(
        username="bench",
        email="bench@example.invalid",
        password=None,
        organisation=organisation,
        role=Role.PROFESSIONAL,
    )
    # As after sign-in with the second factor (the OTP middleware sets this on a real request).
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    translation.activate("nl")
    factory = RequestFactory()
    print(f"decision PDF, {runs} renders per decision (after one warm-up render)")
    print(
        f"{'outcome':26} {'pages':>5} {'wall p50':>9} {'wall p95':>9} {'cpu p50':>8} {'cpu p95':>8}"
    )
    worst = worst_cpu = 0.0
    for outcome in ("allowed_with_conditions", "not_allowed", "seek_advice", "allowed"):
        data: dict[str, object] = {"reference_date": "2026-06-01", "necessity": {}}
        for fact, value in ANSWERS[outcome].items():
            if fact.startswith("necessity."):
                data["necessity"][fact.split(".", 1)[1]] = value  # type: ignore[index]
            else:
                data[fact] = value
        case = Case.from_dict(data)
        record = record_decision(
            user=user,
            case=case,
            assessment=evaluate(case, load_rulebook(), explain=True),
            motivation="Gedeeld met het RIEC na het casusoverleg; alleen de nodige velden.",
        )

        def render(sequence: int = record.sequence) -> bytes:
            request = factory.get(f"/audit/{sequence}/pdf/", HTTP_HOST="localhost")
            request.user = user
            response = record_pdf(request, sequence)
            return bytes(response.content)

        pages = len(PdfReader(io.BytesIO(render())).pages)
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            render()
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        worst = max(worst, _p95(wall))
        worst_cpu = max(worst_cpu, _p95(cpu))
        print(
            f"{outcome:26} {pages:>5} {statistics.median(wall):>9.0f} {_p95(wall):>9.0f} "
            f"{statistics.median(cpu):>8.0f} {_p95(cpu):>8.0f}"
        )
    print(f"worst p95: wall {worst:.0f} ms, CPU {worst_cpu:.0f} ms (target < 300 ms)")
    return 0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


if __name__ == "__main__":
    sys.exit(main())

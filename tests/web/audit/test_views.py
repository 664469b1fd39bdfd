"""Decision log pages: who sees what (never another organisation), filters, exports, PDF."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit.views import XLSX
from tests.web.audit.conftest import make_record
from tests.web.factories import current_code

RECORD_URLS = ["audit:detail", "audit:pdf"]
LIST_URLS = ["audit:list", "audit:export_csv", "audit:export_xlsx", "audit:export_json"]


def _sequences_in(response) -> set[int]:  # type: ignore[no-untyped-def]
    if response["Content-Type"].startswith("application/json"):
        return {item["content"]["sequence"] for item in json.loads(response.content)["records"]}
    if response["Content-Type"].startswith("text/csv"):
        text = io.StringIO(response.content.decode("utf-8-sig"))
        rows = list(csv.DictReader(text, delimiter=";"))
        return {int(row["Nummer"]) for row in rows}
    if response["Content-Type"] == XLSX:
        sheet = load_workbook(io.BytesIO(response.content)).active
        return {int(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    return {record.sequence for record in response.context["page"]}


@pytest.mark.parametrize(
    "role", [Role.PROFESSIONAL, Role.TRAINER, Role.CONTENT_EDITOR, Role.AUDITOR, Role.ORG_ADMIN]
)
def test_nobody_sees_another_organisations_records(
    role: str,
    org_a: Organisation,
    org_b: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    make_record(user_factory(Role.PROFESSIONAL, org_b), motivation="Geheim besluit van B.")
    client = client_for(user_factory(role, org_a))
    for name in RECORD_URLS:
        assert client.get(reverse(name, kwargs={"sequence": 1})).status_code == 404, (role, name)
    for name in LIST_URLS:
        response = client.get(reverse(name))
        assert response.status_code == 200, (role, name)
        assert _sequences_in(response) == set(), (role, name)
        assert b"Geheim besluit van B." not in response.content
    # Auditors and (issue 14) organisation admins verify their own organisation's chain.
    verifies = role in {Role.AUDITOR, Role.ORG_ADMIN}
    assert client.get(reverse("audit:verify")).status_code == (200 if verifies else 404)


def test_professional_sees_only_own_records_auditor_sees_all(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    alice = user_factory(Role.PROFESSIONAL, org_a)
    bob = user_factory(Role.PROFESSIONAL, org_a)
    make_record(alice)
    make_record(bob)
    alice_client = client_for(alice)
    for name in LIST_URLS:
        assert _sequences_in(alice_client.get(reverse(name))) == {1}, name
    assert alice_client.get(reverse("audit:detail", kwargs={"sequence": 2})).status_code == 404
    auditor = client_for(user_factory(Role.AUDITOR, org_a))
    for name in LIST_URLS:
        assert _sequences_in(auditor.get(reverse(name))) == {1, 2}, name
    assert auditor.get(reverse("audit:detail", kwargs={"sequence": 2})).status_code == 200


def test_platform_admin_has_no_decision_log(
    user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(user_factory(Role.PLATFORM_ADMIN, None))
    for name in LIST_URLS:
        assert client.get(reverse(name)).status_code == 404


def test_filters_narrow_the_list_and_bad_dates_are_explained(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    auditor = user_factory(Role.AUDITOR, org_a)
    user = user_factory(Role.PROFESSIONAL, org_a)
    make_record(user, recipient="police")
    make_record(user, recipient="veilig_thuis", purpose="victim_protection")
    client = client_for(auditor)
    assert _sequences_in(client.get(reverse("audit:list"), {"partner": "veilig_thuis"})) == {2}
    assert _sequences_in(client.get(reverse("audit:list"), {"purpose": "human_trafficking"})) == {1}
    assert _sequences_in(client.get(reverse("audit:export_csv"), {"partner": "police"})) == {1}
    assert _sequences_in(client.get(reverse("audit:list"), {"user": str(user.pk)})) == {1, 2}
    bad = client.get(reverse("audit:list"), {"date_from": "2025-13-45", "outcome": "maybe"})
    assert set(bad.context["form"].errors) == {"date_from", "outcome"}
    assert _sequences_in(bad) == set()
    reversed_range = client.get(
        reverse("audit:list"), {"date_from": "2025-02-01", "date_to": "2025-01-01"}
    )
    assert "date_to" in reversed_range.context["form"].errors


def test_detail_shows_sources_and_motivation(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    record = make_record(
        user, motivation="Noodzakelijk voor de RIEC-casus; alleen adresgegevens gedeeld."
    )
    page = client_for(user).get(record.get_absolute_url()).content.decode()
    assert "Noodzakelijk voor de RIEC-casus" in page
    assert "wetten.overheid.nl" in page or "eur-lex.europa.eu" in page
    assert record.ruleset_sha256 in page


def test_pdf_record_contains_the_decision(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    record = make_record(user, motivation="Gedeeld met de wijkagent na het casusoverleg.")
    response = client_for(user).get(reverse("audit:pdf", kwargs={"sequence": record.sequence}))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Gedeeld met de wijkagent" in text
    assert record.decision_maker["username"] in text
    assert "Gemeente Aa" in text
    # Checks are grouped as the sections of an accountability record, with readable statuses.
    for section in ("Grondslag en bevoegdheid om te verstrekken", "Noodzaak en minimalisatie"):
        assert section in text
    assert "not_met" not in text
    assert "{'id'" not in text  # precedents are written out, not dumped as data


def test_csv_export_neutralises_formulas(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    make_record(user, motivation='=HYPERLINK("http://example.invalid")')
    rows = list(
        csv.DictReader(
            io.StringIO(
                client_for(user).get(reverse("audit:export_csv")).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[0]["Motivering"].startswith("'=")


def test_csv_export_is_dutch_with_semicolons_labels_and_local_time(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    """Dutch Excel splits on `;`; the row shows what the screen shows, in Amsterdam time."""
    from django.utils import timezone, translation

    from ketenwijs.web.audit.labels import option_label

    user = user_factory(Role.PROFESSIONAL, org_a)
    record = make_record(user, recipient="police")
    raw = client_for(user).get(reverse("audit:export_csv")).content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert header[:4] == ["Nummer", "Datum en tijd", "Besluitnemer", "Rol"]
    with translation.override("nl"):
        assert row[header.index("Ontvanger")] == option_label("recipient", "police")
        assert row[header.index("Uitkomst")] == record.get_outcome_display()
    assert row[header.index("Ontvanger")] != "police"
    assert row[header.index("Rol")] == "Professional"  # the label, not the code "professional"
    local = timezone.localtime(record.created_at)
    assert row[header.index("Datum en tijd")] == local.strftime("%d-%m-%Y %H:%M:%S")
    assert str(local.tzinfo) == "Europe/Amsterdam"
    assert row[header.index("Ketenhash")] == record.chain_hash


def test_json_export_hashes_can_be_checked_offline(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    from ketenwijs.audit import content_hash

    user = user_factory(Role.AUDITOR, org_a)
    make_record(user_factory(Role.PROFESSIONAL, org_a))
    data = json.loads(client_for(user).get(reverse("audit:export_json")).content)
    item = data["records"][0]
    assert content_hash(item["content"]) == item["content_hash"]


def test_verify_page_reports_first_broken_link(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    from ketenwijs.web.audit.models import DecisionRecord

    auditor = user_factory(Role.AUDITOR, org_a)
    user = user_factory(Role.PROFESSIONAL, org_a)
    make_record(user)
    make_record(user)
    client = client_for(auditor)
    assert (
        "Intact" in client.get(reverse("audit:verify")).content.decode()
        or client.get(reverse("audit:verify")).context["result"].ok
    )
    DecisionRecord.objects.filter(organisation=org_a, sequence=2).update(
        motivation="stiekem gewijzigd"
    )
    response = client.get(reverse("audit:verify"))
    assert not response.context["result"].ok
    assert response.context["result"].first_broken.sequence == 2


def test_org_admin_sets_retention_and_bad_value_is_explained(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    from ketenwijs.web.audit.models import AuditSettings

    admin = user_factory(Role.ORG_ADMIN, org_a)
    client = client_for(admin)
    url = reverse("audit:retention")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"retention_days": "5"})
    assert "retention_days" in refused.context["form"].errors
    saved = client.post(url, {"retention_days": "730", "stepup-code": current_code(admin)})
    assert saved.status_code == 302
    assert AuditSettings.objects.get(organisation=org_a).retention_days == 730


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.AUDITOR, Role.TRAINER])
def test_only_org_admins_set_retention(
    role: str,
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(user_factory(role, org_a))
    assert client.get(reverse("audit:retention")).status_code == 404
    assert client.post(reverse("audit:retention"), {"retention_days": "40"}).status_code == 404


def test_record_links_each_source_at_the_reference_date_and_says_if_its_text_was_read(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    # Issue 12: the record (and its PDF) keeps it short: the dated link and the law-text status.
    user = user_factory(Role.PROFESSIONAL, org_a)
    record = make_record(user)
    client = client_for(user)
    page = client.get(record.get_absolute_url()).content.decode()
    assert 'href="https://wetten.overheid.nl/BWBR0040940/2025-06-01"' in page
    assert "(wettekst niet gelezen)" in page
    response = client.get(reverse("audit:pdf", kwargs={"sequence": record.sequence}))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "wettekst niet gelezen" in text


def test_xlsx_export_has_the_csv_columns_typed_cells_and_no_formulas(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    from django.utils import timezone

    from ketenwijs.web.audit.views import CSV_COLUMNS

    user = user_factory(Role.PROFESSIONAL, org_a)
    record = make_record(user, motivation='=HYPERLINK("http://example.invalid")')
    response = client_for(user).get(reverse("audit:export_xlsx"))
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert list(header) == CSV_COLUMNS
    assert row[0] == record.sequence  # a number, not text
    local = timezone.localtime(record.created_at).replace(tzinfo=None, microsecond=0)
    assert row[1].replace(microsecond=0) == local  # a date in Amsterdam time
    motivation = sheet.cell(row=2, column=CSV_COLUMNS.index("Motivering") + 1)
    assert motivation.data_type == "s"
    assert str(motivation.value).startswith("'=")

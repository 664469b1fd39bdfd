"""Issue 14: what is shown is hashed, tampering of every kind is detected and shown, redaction
keeps the chain green, corrections are linked, and every read or change is one log record."""

from __future__ import annotations

import csv
import io
import json
import logging
import subprocess
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ketenwijs.audit import Problem, canonical_json, content_hash, make_link, text_matches
from ketenwijs.cli.audit import audit as audit_cli
from ketenwijs.sharing import Case, evaluate, load_rulebook
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit import services
from ketenwijs.web.audit.models import (
    TOMBSTONE,
    ChainHead,
    DecisionRecord,
    LogEvent,
    VerificationRun,
)
from ketenwijs.web.audit.services import (
    ChainWiped,
    PrivacyRefused,
    RedactionError,
    record_decision,
    redact_motivation,
    verify_organisation,
)
from tests.web.audit.conftest import make_record

MOTIVATION = "Gedeeld via het RIEC-casusoverleg op grond van het convenant."


@pytest.fixture
def three(org_a: Organisation, user_factory: Callable[..., User]) -> list[DecisionRecord]:
    user = user_factory(Role.PROFESSIONAL, org_a, username="pieter")
    return [make_record(user, motivation=f"{MOTIVATION} Nr {i}.") for i in range(3)]


def _list_warns(client: Client) -> bool:
    """The list page shows the broken-log banner (in Dutch or English)."""
    page = client.get(reverse("audit:list")).content.decode()
    return "Het besluitenlog is verbroken." in page or "The decision log is broken." in page


def _broken_everywhere(
    org: Organisation, sequence: int, auditor_client: Client, problem: Problem | None = None
) -> None:
    """`audit verify` exits 1 naming the record, and the list and detail page warn."""
    result = verify_organisation(org)
    assert not result.ok
    assert result.first_broken is not None
    assert result.first_broken.sequence == sequence, result.message()
    if problem is not None:
        assert result.first_broken.problem == problem
    outcome = CliRunner().invoke(audit_cli, ["verify", "--org", str(org.pk)])
    assert outcome.exit_code == 1, outcome.output
    assert f"record {sequence}" in outcome.output
    assert _list_warns(auditor_client)
    assert "integrity-warning" in auditor_client.get(reverse("audit:list")).content.decode()


@pytest.mark.parametrize(
    ("column", "value"),
    [("sender", "police"), ("recipient", "veilig_thuis"), ("purpose", "victim_protection")],
)
def test_changing_a_shown_column_is_detected(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
    column: str,
    value: str,
) -> None:
    auditor = client_for(user_factory(Role.AUDITOR, org_a))
    assert verify_organisation(org_a).ok
    DecisionRecord.objects.filter(pk=three[1].pk).update(**{column: value})
    _broken_everywhere(org_a, three[1].sequence, auditor, Problem.CONTENT_CHANGED)
    detail = auditor.get(three[1].get_absolute_url()).content.decode()
    assert "Integrity warning" in detail or "Integriteitswaarschuwing" in detail


def test_moving_a_record_to_another_user_is_detected(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    thief = user_factory(Role.PROFESSIONAL, org_a)
    DecisionRecord.objects.filter(pk=three[0].pk).update(user=thief)
    _broken_everywhere(org_a, three[0].sequence, client_for(user_factory(Role.AUDITOR, org_a)))


def test_changing_the_motivation_text_is_detected(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    DecisionRecord.objects.filter(pk=three[2].pk).update(motivation="Iets anders.")
    _broken_everywhere(org_a, three[2].sequence, client_for(user_factory(Role.AUDITOR, org_a)))


def test_emptying_the_motivation_without_redaction_is_detected(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    DecisionRecord.objects.filter(pk=three[1].pk).update(motivation="", motivation_salt="")
    _broken_everywhere(org_a, three[1].sequence, client_for(user_factory(Role.AUDITOR, org_a)))


def test_reordering_and_inserting_are_detected(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    auditor = client_for(user_factory(Role.AUDITOR, org_a))
    a, b = three[0], three[1]
    DecisionRecord.objects.filter(pk=a.pk).update(sequence=999)
    DecisionRecord.objects.filter(pk=b.pk).update(sequence=a.sequence)
    DecisionRecord.objects.filter(pk=a.pk).update(sequence=b.sequence)
    _broken_everywhere(org_a, a.sequence, auditor)
    # Put them back, then insert a forged record in the middle with self-consistent hashes.
    DecisionRecord.objects.filter(pk=b.pk).update(sequence=999)
    DecisionRecord.objects.filter(pk=a.pk).update(sequence=a.sequence)
    DecisionRecord.objects.filter(pk=b.pk).update(sequence=b.sequence)
    assert verify_organisation(org_a).ok
    DecisionRecord.objects.filter(pk=three[2].pk).update(sequence=three[2].sequence + 1)
    forged = DecisionRecord.objects.get(pk=b.pk)
    forged.pk = None
    forged.sequence = three[2].sequence
    link = make_link(forged.sequence, forged.chain_content(), b.chain_hash)
    forged.content_hash, forged.prev_hash, forged.chain_hash = (
        link.content_hash,
        link.prev_hash,
        link.chain_hash,
    )
    forged.save()
    _broken_everywhere(org_a, three[2].sequence + 1, auditor)


# Real commits: the anchor file is written after the commit (on_commit).
@pytest.mark.django_db(transaction=True)
def test_wiping_records_and_head_is_detected(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
    settings: pytest.FixtureRequest,
) -> None:
    auditor = client_for(user_factory(Role.AUDITOR, org_a))
    DecisionRecord.objects.filter(organisation=org_a).delete()
    LogEvent.objects.filter(organisation=org_a).delete()
    ChainHead.objects.filter(organisation=org_a).delete()
    result = verify_organisation(org_a)
    assert not result.ok
    assert "wiped" in result.first_broken.detail_en  # type: ignore[union-attr]
    outcome = CliRunner().invoke(audit_cli, ["verify", "--org", str(org_a.pk)])
    assert outcome.exit_code == 1
    assert _list_warns(auditor)
    # Nothing is appended on top of a wiped log (that would start a fresh, "intact" chain).
    assert not ChainHead.objects.filter(organisation=org_a).exists()
    # Also with the marker cleared, the anchor file outside the database still tells.
    Organisation.objects.filter(pk=org_a.pk).update(audit_log_started_at=None)
    assert not verify_organisation(org_a).ok


# Real commits: the anchor file is written after the commit (on_commit).
@pytest.mark.django_db(transaction=True)
def test_rollback_to_an_older_head_is_detected(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    head = ChainHead.objects.get(organisation=org_a)
    older = (head.last_sequence, head.last_chain_hash, head.signature)
    newest = make_record(three[0].user)  # type: ignore[arg-type]
    assert verify_organisation(org_a).ok
    newest.delete()
    ChainHead.objects.filter(organisation=org_a).update(
        last_sequence=older[0], last_chain_hash=older[1], signature=older[2]
    )
    result = verify_organisation(org_a)
    assert not result.ok
    assert result.first_broken.problem == Problem.ROLLBACK  # type: ignore[union-attr]
    outcome = CliRunner().invoke(audit_cli, ["verify", "--org", str(org_a.pk)])
    assert outcome.exit_code == 1
    listing = client_for(user_factory(Role.AUDITOR, org_a)).get(reverse("audit:list"))
    assert "rolled back" in listing.content.decode() or "teruggezet" in listing.content.decode()
    # Appending over the rollback is refused: the signed Merkle tree already holds that number.
    count = DecisionRecord.objects.filter(organisation=org_a).count()
    with pytest.raises(ChainWiped):
        make_record(three[0].user)  # type: ignore[arg-type]
    assert DecisionRecord.objects.filter(organisation=org_a).count() == count
    assert not verify_organisation(org_a).ok


def _rendered_values(record: DecisionRecord) -> dict[str, str]:
    """What every page must show, taken from the hashed content only."""
    content = record.chain_content()
    assert content_hash(content) == record.content_hash
    return {
        "username": content["decision_maker"]["username"],
        "outcome": content["outcome"],
        "ruleset_sha256": content["ruleset"]["sha256"],
        "sender": content["facts"]["sender"],
        "recipient": content["facts"]["recipient"],
        "purpose": content["facts"]["purpose"],
    }


def test_every_rendered_field_comes_from_the_hashed_content(
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    from tests.web.api.conftest import api_client, make_token

    token_factory = make_token

    auditor = user_factory(Role.AUDITOR, org_a)
    author = user_factory(Role.PROFESSIONAL, org_a, username="renske")
    record = make_record(author, motivation=MOTIVATION, recipient="veilig_thuis")
    expected = _rendered_values(record)
    assert text_matches(record.motivation_salt, record.motivation, record.motivation_sha256)
    client = client_for(auditor)
    from ketenwijs.web.audit.labels import option_label

    labels = {f: option_label(f, expected[f]) for f in ("sender", "recipient", "purpose")}
    # Detail page.
    detail = client.get(record.get_absolute_url())
    page = detail.content.decode()
    for value in (expected["username"], expected["ruleset_sha256"], MOTIVATION, *labels.values()):
        assert value in page
    assert detail.context["sender"] == labels["sender"]
    assert detail.context["recipient"] == labels["recipient"]
    # PDF text.
    pdf = client.get(reverse("audit:pdf", kwargs={"sequence": record.sequence})).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    for value in (expected["username"], MOTIVATION, labels["recipient"], labels["purpose"]):
        assert " ".join(value.split()) in flat, value
    # CSV row.
    body = client.get(reverse("audit:export_csv")).content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert row["Besluitnemer"] == expected["username"]
    with translation.override("nl"):
        dutch = {f: option_label(f, expected[f]) for f in ("sender", "recipient", "purpose")}
    for header, field in (
        ("Verstrekker", "sender"),
        ("Ontvanger", "recipient"),
        ("Doel", "purpose"),
    ):
        assert row[header] == dutch[field]
    assert row["Hash regelset (SHA-256)"] == expected["ruleset_sha256"]
    assert row["Motivering"] == MOTIVATION
    assert row["Inhoudshash"] == record.content_hash
    # API JSON: the served content is the hashed content, and the text matches its commitment.
    _token, secret = token_factory(org_a, scopes=["decisions:read"], role=Role.AUDITOR)
    item = api_client(secret).get(f"/api/v1/decisions/{record.sequence}").json()
    assert content_hash(item["content"]) == record.content_hash
    assert item["content"]["facts"]["recipient"] == "veilig_thuis"
    assert text_matches(
        item["motivation_salt"], item["motivation"], item["content"]["motivation_sha256"]
    )


def test_redaction_keeps_the_chain_green_and_shows_when_and_why(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    auditor = user_factory(Role.AUDITOR, org_a)
    client = client_for(auditor)
    target = three[1]
    url = reverse("audit:redact", kwargs={"sequence": target.sequence})
    # A professional may not redact.
    assert client_for(target.user).get(url).status_code == 404  # type: ignore[arg-type]
    # No reason: a field error, nothing changed.
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    # A reason with personal data is refused, saying where.
    response = client.post(url, {"reason": "Verzoek van Jan Jansen, BSN 123456782"})
    assert "reason" in response.context["form"].errors
    assert DecisionRecord.objects.get(pk=target.pk).motivation == target.motivation
    response = client.post(url, {"reason": "Verzoek art. 17 AVG van 3 maart 2026."})
    assert response.status_code == 302
    stored = DecisionRecord.objects.get(pk=target.pk)
    assert stored.motivation == ""
    assert stored.motivation_salt == ""
    assert stored.content_hash == target.content_hash  # the hashed content did not change
    result = verify_organisation(org_a)
    assert result.ok, result.message()
    event = LogEvent.objects.get(organisation=org_a, kind=LogEvent.Kind.MOTIVATION_REDACTED)
    assert event.decision == target.sequence
    assert event.actor_id == auditor.pk
    page = client.get(target.get_absolute_url()).content.decode()
    assert TOMBSTONE in page
    assert "Verzoek art. 17 AVG van 3 maart 2026." in page
    assert f"{MOTIVATION} Nr 1." not in page
    verify_page = client.get(reverse("audit:verify")).content.decode()
    assert "Verzoek art. 17 AVG van 3 maart 2026." in verify_page
    # A second redaction is refused; so is one on a format-1 record.
    with pytest.raises(RedactionError):
        redact_motivation(stored, actor=auditor, reason="Nogmaals.")
    DecisionRecord.objects.filter(pk=three[0].pk).update(format_version=1)
    with pytest.raises(RedactionError):
        redact_motivation(
            DecisionRecord.objects.get(pk=three[0].pk), actor=auditor, reason="Verzoek."
        )


def test_format_1_records_keep_verifying(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    """A record saved before issue 14 (format 1: plain motivation hashed) verifies as before."""
    user = user_factory(Role.PROFESSIONAL, org_a)
    record = make_record(user)
    old = DecisionRecord.objects.get(pk=record.pk)
    old.format_version = 1
    old.motivation_salt = old.motivation_sha256 = ""
    old.author_id = None
    link = make_link(old.sequence, old.chain_content(), old.prev_hash)
    assert "motivation" in old.chain_content()
    assert "format" not in old.chain_content()
    old.content_hash, old.chain_hash = link.content_hash, link.chain_hash
    old.save(_allow_update=True)
    head = ChainHead.objects.get(organisation=org_a)
    from ketenwijs.audit import sign_head
    from ketenwijs.web.audit.models import chain_id

    head.last_chain_hash = link.chain_hash
    head.signature = sign_head(
        chain_id(org_a.pk), head.last_sequence, link.chain_hash, services._head_key()
    )
    head.save()  # no anchor file: this test runs inside one transaction (no on_commit)
    assert verify_organisation(org_a).ok
    DecisionRecord.objects.filter(pk=record.pk).update(motivation="anders")
    assert not verify_organisation(org_a).ok


def test_a_correction_is_a_new_linked_record_shown_together(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    original = make_record(user)
    case = Case.from_dict({**json.loads(canonical_json(original.facts)), "recipient": "police"})
    correction = record_decision(
        user=user,
        case=case,
        assessment=evaluate(case, load_rulebook()),
        motivation="Correctie: de ontvanger was de politie.",
        corrects=original,
    )
    assert correction.corrects == original.sequence
    assert correction.chain_content()["corrects"] == original.sequence
    assert DecisionRecord.objects.get(pk=original.pk).content_hash == original.content_hash
    client = client_for(user)
    original_page = client.get(original.get_absolute_url()).content.decode()
    assert correction.get_absolute_url() in original_page
    correction_page = client.get(correction.get_absolute_url()).content.decode()
    assert original.get_absolute_url() in correction_page
    assert verify_organisation(org_a).ok
    # Another organisation's decision cannot be corrected.
    other = make_record(user_factory(Role.PROFESSIONAL, Organisation.objects.create(name="Ander")))
    with pytest.raises(PermissionError):
        record_decision(
            user=user,
            case=case,
            assessment=evaluate(case, load_rulebook()),
            motivation="x",
            corrects=other,
        )


def _events(org: Organisation) -> list[tuple[str, int | None]]:
    return list(
        LogEvent.objects.filter(organisation=org)
        .order_by("sequence")
        .values_list("kind", "decision")
    )


def test_every_read_is_exactly_one_log_record(
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    from tests.web.api.conftest import api_client, make_token

    token_factory = make_token

    auditor = user_factory(Role.AUDITOR, org_a)
    record = make_record(user_factory(Role.PROFESSIONAL, org_a))
    client = client_for(auditor)
    _token, secret = token_factory(org_a, scopes=["decisions:read"], role=Role.AUDITOR)
    api = api_client(secret)
    kinds = LogEvent.Kind
    reads = [
        (lambda: client.get(record.get_absolute_url()), kinds.DECISION_VIEWED, record.sequence),
        (
            lambda: client.get(reverse("audit:pdf", kwargs={"sequence": record.sequence})),
            kinds.DECISION_PRINTED,
            record.sequence,
        ),
        (lambda: client.get(reverse("audit:export_csv")), kinds.LOG_EXPORTED, None),
        (lambda: client.get(reverse("audit:export_json")), kinds.LOG_EXPORTED, None),
        (lambda: client.get(reverse("audit:verify")), kinds.CHAIN_VERIFIED, None),
        (
            lambda: api.get(f"/api/v1/decisions/{record.sequence}"),
            kinds.DECISION_VIEWED,
            record.sequence,
        ),
        (lambda: api.get("/api/v1/decisions"), kinds.LOG_EXPORTED, None),
    ]
    for read, kind, decision in reads:
        before = _events(org_a)
        assert read().status_code == 200
        after = _events(org_a)
        assert after[: len(before)] == before
        assert after[len(before) :] == [(kind, decision)], kind
    # The list page itself is not a read of a decision's content beyond what it shows: no record.
    before = _events(org_a)
    client.get(reverse("audit:list"))
    assert _events(org_a) == before
    assert verify_organisation(org_a).ok


def test_every_settings_change_is_exactly_one_log_record_with_old_and_new(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    admin = user_factory(Role.ORG_ADMIN, org_a)
    services.record_retention(admin, 400)
    events = LogEvent.objects.filter(organisation=org_a, kind=LogEvent.Kind.SETTINGS_CHANGED)
    assert events.count() == 1
    event = events.get()
    assert event.details["changes"] == {"retention_days": [5 * 365, 400]}
    assert event.actor_id == admin.pk
    assert event.actor_role == Role.ORG_ADMIN
    from ketenwijs.web.accounts.models import AdminEvent

    admin_event = AdminEvent.objects.get(pk=event.details["admin_event"])
    assert admin_event.action == AdminEvent.Action.RETENTION_CHANGED
    services.record_retention(admin, 400)  # no change, no record
    assert events.count() == 1
    # A user change: staff e-mail addresses are not copied into the chain.
    from ketenwijs.web.accounts.services import log_event

    log_event(
        admin,
        AdminEvent.Action.USER_CHANGED,
        organisation=org_a,
        target=admin,
        changes={"email": ["oud@example.invalid", "nieuw@example.invalid"], "role": ["a", "b"]},
    )
    assert events.count() == 2
    latest = events.order_by("-sequence").first()
    assert latest is not None
    assert "example.invalid" not in json.dumps(latest.details)
    assert latest.details["changes"]["role"] == ["a", "b"]
    assert verify_organisation(org_a).ok


def test_activity_page_filters_by_type_for_auditors_and_admins(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    auditor = client_for(user_factory(Role.AUDITOR, org_a))
    auditor.get(three[0].get_absolute_url())
    auditor.get(reverse("audit:export_csv"))
    admin = client_for(user_factory(Role.ORG_ADMIN, org_a))
    response = admin.get(reverse("audit:activity"), {"kind": "decision_viewed"})
    assert response.status_code == 200
    kinds = {event.kind for event, _actor in response.context["rows"]}
    assert kinds == {"decision_viewed"}
    bad = admin.get(reverse("audit:activity"), {"kind": "nonsense"})
    assert "kind" in bad.context["form"].errors
    professional = client_for(three[0].user)  # type: ignore[arg-type]
    assert professional.get(reverse("audit:activity")).status_code == 404


def test_daily_job_verifies_all_and_logs_without_names_or_texts(
    org_a: Organisation,
    org_b: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_record(user_factory(Role.PROFESSIONAL, org_b, username="bram"), motivation=MOTIVATION)
    caplog.set_level(logging.DEBUG)
    call_command("audit_verify_all", stdout=io.StringIO())
    assert VerificationRun.objects.filter(trigger="daily", ok=True).count() == 2
    DecisionRecord.objects.filter(pk=three[1].pk).update(outcome="allowed", sender="police")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify_all", stdout=out)
    assert exit_info.value.code == 1
    assert "1 broken" in out.getvalue()
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for secret in ("pieter", "bram", MOTIVATION, "Nr 1."):
        assert secret not in logged
    # The kept run makes the pages warn, also on the PDF.
    client = client_for(user_factory(Role.AUDITOR, org_a))
    assert _list_warns(client)
    pdf = client.get(reverse("audit:pdf", kwargs={"sequence": three[2].sequence})).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Integrity warning" in text or "Integriteitswaarschuwing" in text


def test_org_admin_runs_verification_for_own_organisation(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    admin = client_for(user_factory(Role.ORG_ADMIN, org_a))
    response = admin.get(reverse("audit:verify"))
    assert response.status_code == 200
    assert response.context["result"].ok
    run = VerificationRun.objects.get(organisation=org_a)
    assert run.trigger == "page"
    assert run.ok


def test_privacy_refusal_of_a_correction_reason_never_logs_the_value(
    org_a: Organisation, three: list[DecisionRecord], user_factory: Callable[..., User]
) -> None:
    with pytest.raises(PrivacyRefused) as info:
        redact_motivation(three[0], actor=user_factory(Role.AUDITOR, org_a), reason="BSN 123456782")
    assert "123456782" not in info.value.message("en")


def test_a_changed_record_is_flagged_before_any_verification_run(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(user_factory(Role.AUDITOR, org_a))
    rows = client.get(reverse("audit:list")).context["rows"]
    assert all(flag is None for _record, flag in rows)
    DecisionRecord.objects.filter(pk=three[1].pk).update(purpose="victim_protection")
    assert not VerificationRun.objects.exists()
    flags = {record.pk: flag for record, flag in client.get(reverse("audit:list")).context["rows"]}
    assert flags[three[1].pk] is not None
    assert flags[three[0].pk] is None
    detail = client.get(three[1].get_absolute_url())
    assert detail.context["integrity_warning"]


def test_an_auditor_cannot_redact_another_organisations_record(
    org_a: Organisation,
    org_b: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    theirs = make_record(user_factory(Role.PROFESSIONAL, org_b), motivation=MOTIVATION)
    auditor_a = user_factory(Role.AUDITOR, org_a)
    url = reverse("audit:redact", kwargs={"sequence": theirs.sequence})
    assert client_for(auditor_a).post(url, {"reason": "Verzoek."}).status_code == 404
    with pytest.raises(PermissionError):
        redact_motivation(theirs, actor=auditor_a, reason="Verzoek.")
    assert DecisionRecord.objects.get(pk=theirs.pk).motivation == MOTIVATION


def test_deleting_or_editing_a_who_looked_record_is_detected(
    org_a: Organisation,
    three: list[DecisionRecord],
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    auditor = client_for(user_factory(Role.AUDITOR, org_a))
    auditor.get(three[0].get_absolute_url())
    auditor.get(reverse("audit:export_csv"))
    make_record(three[0].user)  # type: ignore[arg-type]
    assert verify_organisation(org_a).ok
    viewed = LogEvent.objects.get(organisation=org_a, kind=LogEvent.Kind.DECISION_VIEWED)
    LogEvent.objects.filter(pk=viewed.pk).update(actor_id=None)
    assert verify_organisation(org_a).first_broken.sequence == viewed.sequence  # type: ignore[union-attr]
    LogEvent.objects.filter(pk=viewed.pk).delete()
    result = verify_organisation(org_a)
    assert not result.ok
    assert result.first_broken.problem == Problem.SEQUENCE_GAP  # type: ignore[union-attr]

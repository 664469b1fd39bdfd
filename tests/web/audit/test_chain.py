"""The decision log is append-only and tamper-evident; the privacy guard keeps people out of it."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from django.db import connection, connections
from django.utils import timezone

from ketenwijs.cli.audit import audit as audit_cli
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit.models import AuditSettings, DecisionRecord, PurgeCheckpoint
from ketenwijs.web.audit.services import PrivacyRefused, purge_expired, verify_organisation
from tests.web.audit.conftest import make_record


def test_records_form_a_verifiable_chain(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    records = [make_record(user) for _ in range(3)]
    assert [r.sequence for r in records] == [1, 2, 3]
    assert records[1].prev_hash == records[0].chain_hash
    result = verify_organisation(org_a)
    assert result.ok
    assert result.verified_count == 3


def test_each_organisation_has_its_own_chain(
    org_a: Organisation, org_b: Organisation, user_factory: Callable[..., User]
) -> None:
    first_a = make_record(user_factory(Role.PROFESSIONAL, org_a))
    first_b = make_record(user_factory(Role.PROFESSIONAL, org_b))
    assert first_a.sequence == first_b.sequence == 1
    assert first_a.prev_hash != first_b.prev_hash  # genesis differs per organisation


def test_motivation_with_personal_data_is_refused_and_nothing_stored(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    text = "Besproken met mevrouw Fatima de Vries, BSN 123456782, wonend Kerkstraat 12."
    with pytest.raises(PrivacyRefused) as excinfo:
        make_record(user, motivation=text)
    message = excinfo.value.message("nl")
    assert "BSN" in message
    assert "123456782" not in message  # the message never repeats the personal data
    assert DecisionRecord.objects.count() == 0


def test_legal_references_in_motivation_are_accepted(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    text = (
        "Op grond van art. 20 Wpg en het RIEC-convenant besloten op 3 maart 2025 "
        "(zaaknummer 2025-0312)."
    )
    assert make_record(user, motivation=text).motivation == text


def test_record_cannot_be_saved_twice(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    record = make_record(user_factory(Role.PROFESSIONAL, org_a))
    record.motivation = "anders"
    with pytest.raises(PermissionError):
        record.save()


def test_edit_behind_the_applications_back_is_detected_at_that_record(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    for _ in range(4):
        make_record(user)
    # Someone with database access rewrites the outcome of record 3 with plain SQL.
    with connection.cursor() as cursor:
        table = DecisionRecord._meta.db_table  # a constant model name, not user input
        cursor.execute(
            f"UPDATE {table} SET outcome = %s WHERE organisation_id = %s AND sequence = 3",  # noqa: S608
            ["allowed", org_a.pk],
        )
    result = verify_organisation(org_a)
    assert not result.ok
    assert result.first_broken is not None
    assert result.first_broken.sequence == 3
    assert result.verified_count == 2
    runner = CliRunner()
    outcome = runner.invoke(audit_cli, ["verify", "--org", str(org_a.pk)])
    assert outcome.exit_code == 1
    assert "record 3" in outcome.output


def test_deleting_the_newest_record_is_detected(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    for _ in range(3):
        make_record(user)
    DecisionRecord.objects.filter(organisation=org_a, sequence=3).delete()
    result = verify_organisation(org_a)
    assert not result.ok
    assert "newest records were removed" in result.first_broken.detail_en  # type: ignore[union-attr]


def test_deleting_a_middle_record_is_detected(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    for _ in range(3):
        make_record(user)
    DecisionRecord.objects.filter(organisation=org_a, sequence=2).delete()
    result = verify_organisation(org_a)
    assert not result.ok
    assert result.first_broken.sequence == 3  # type: ignore[union-attr]


def test_cli_verify_reports_intact_chain(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    make_record(user_factory(Role.PROFESSIONAL, org_a))
    outcome = CliRunner().invoke(audit_cli, ["verify"])
    assert outcome.exit_code == 0, outcome.output
    assert "Chain intact: 1 records verified" in outcome.output


def test_cli_verify_unknown_org_is_a_clear_error(db: None) -> None:
    outcome = CliRunner().invoke(audit_cli, ["verify", "--org", "Nergenshuizen"])
    assert outcome.exit_code == 2
    assert "no organisation 'Nergenshuizen'" in outcome.output


def test_purge_removes_expired_records_and_chain_still_verifies(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    for _ in range(5):
        make_record(user)
    AuditSettings.objects.update_or_create(organisation=org_a, defaults={"retention_days": 30})
    old = timezone.now() - dt.timedelta(days=40)
    # Age the first three records; the hash covers created_at, so rebuild them as if saved then.
    _age_records(org_a, [1, 2, 3], old)
    result = purge_expired(org_a)
    assert result.purged == 3
    assert list(
        DecisionRecord.objects.filter(organisation=org_a).values_list("sequence", flat=True)
    ) == [4, 5]
    verified = verify_organisation(org_a)
    assert verified.ok, verified.message()
    assert verified.started_from == "checkpoint"
    # A forged checkpoint (moved forward to hide record 4) is detected.
    PurgeCheckpoint.objects.filter(organisation=org_a).update(last_sequence=4)
    DecisionRecord.objects.filter(organisation=org_a, sequence=4).delete()
    assert not verify_organisation(org_a).ok


def test_cli_purge_reports_per_organisation(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    make_record(user_factory(Role.PROFESSIONAL, org_a))
    outcome = CliRunner().invoke(audit_cli, ["purge", "--org", org_a.name])
    assert outcome.exit_code == 0, outcome.output
    assert "0 record(s) older than" in outcome.output


def _age_records(org: Organisation, sequences: list[int], when: dt.datetime) -> None:
    """Rebuild the whole chain with older timestamps for `sequences` (test set-up only)."""
    from ketenwijs.audit import genesis, make_link, sign_head
    from ketenwijs.web.audit.models import ChainHead, chain_id
    from ketenwijs.web.audit.services import _head_key

    prev = genesis(chain_id(org.pk))
    for record in DecisionRecord.objects.filter(organisation=org).order_by("sequence"):
        if record.sequence in sequences:
            record.created_at = when.replace(microsecond=0)
        link = make_link(record.sequence, record.chain_content(), prev)
        record.content_hash, record.prev_hash, record.chain_hash = (
            link.content_hash,
            link.prev_hash,
            link.chain_hash,
        )
        record.save(_allow_update=True)
        prev = link.chain_hash
    head = ChainHead.objects.get(organisation=org)
    head.last_chain_hash = prev
    head.signature = sign_head(chain_id(org.pk), head.last_sequence, prev, _head_key())
    head.save()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_never_fork_the_chain(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    """Eight threads on their own connections append at once; sequences stay 1..N and verify."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (SQLite serialises all writers anyway)")
    users = [user_factory(Role.PROFESSIONAL, org_a) for _ in range(8)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(users))

    def write(user: User) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                make_record(user)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sequences = sorted(
        DecisionRecord.objects.filter(organisation=org_a).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, 41))
    assert verify_organisation(org_a).ok


def test_a_record_keeps_whether_each_law_text_was_read_not_the_words(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    # The words follow from the rule set (its SHA-256 is in the record); copying them into every
    # record would add about 46 kB per decision.
    record = make_record(user_factory(Role.PROFESSIONAL, org_a))
    entries = record.assessment["law_texts"]
    assert entries
    assert {e["law_text"]["status"] for e in entries} == {"read", "not_read"}
    for entry in entries:
        assert set(entry["law_text"]) <= {"status", "read_on", "official", "version_date"}
        assert entry["url_in_force"].startswith("https://")
    assert verify_organisation(org_a).ok

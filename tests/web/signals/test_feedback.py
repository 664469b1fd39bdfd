"""Professionals teach the checker: verdicts store ids only, a sentence only by explicit choice
and through the privacy guard; content editors read their own organisation's counts and exports."""

from __future__ import annotations

import csv
import html
import io
import logging
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from ketenwijs.privacy import check_text, refusal_message
from ketenwijs.signals import CONTEXT_VALUES, default_library, scan_text
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.signals import feedback, services
from ketenwijs.web.signals.feedback import FindingKey
from ketenwijs.web.signals.models import (
    SENTENCE_LENGTH,
    EvaluationSentence,
    SavedNote,
    SignalFeedback,
)
from tests.signals.evaluation import load_notes
from tests.web.factories import verified_client
from tests.web.signals.conftest import NOTE, PERSONAL_NOTE

CHECK = "/signals/"
SUMMARY = "/signals/feedback/"
CSV_URL = "/signals/feedback/export.csv"
YAML_URL = "/signals/feedback/evaluation.yaml"
# Pieces of NOTE that must never reach the database (none of them is in a pattern).
NOTE_PIECES = ("Cliënte is 15 jaar", "na school", "Een jongen haalt haar op", "Mocht ze weglopen")
CLEAN_SENTENCE = "Een jongen haalt haar op na school."
VERSION = default_library().version


def _buttons(page: str) -> dict[str, str]:
    """Map "<verdict>|<indicator>|<rule kind>|<context>" to the value of its answer button."""
    values = [html.unescape(v) for v in re.findall(r'name="feedback" value="([^"]*)"', page)]
    return {"|".join(v.split("|")[:4]): v for v in values}


def _scan(client: Client, text: str = NOTE) -> str:
    response = client.post(CHECK, {"text": text, "minor": "text"})
    assert response.status_code == 200
    return response.content.decode()


def _text(page: str) -> str:
    """The page with entities (&#x27; for ') turned back into characters."""
    return html.unescape(page)


def _answer(client: Client, value: str, text: str = NOTE, **extra: object) -> str:
    response = client.post(CHECK, {"text": text, "minor": "text", "feedback": value, **extra})
    assert response.status_code == 200
    return response.content.decode()


def _stored_values() -> list[str]:
    """Every column of every row of the new tables, as text."""
    values = []
    for model in (SignalFeedback, EvaluationSentence):
        for row in model.objects.all():
            values += [str(getattr(row, f.attname)) for f in model._meta.concrete_fields]
    return values


@pytest.fixture
def editor(org_a: Organisation, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.CONTENT_EDITOR, org_a)


# --- answering on the result page --------------------------------------------------------------


def test_each_finding_gets_correct_and_not_correct_buttons_with_ids_only(signed_in: Client) -> None:
    page = _scan(signed_in)
    buttons = _buttons(page)
    result = scan_text(NOTE)
    for finding in (*result.findings, *result.vulnerabilities):
        key = FindingKey.of(finding, VERSION).encode()
        for verdict in ("confirmed", "rejected"):
            head = f"{verdict}|{finding.indicator}|{finding.rule_kind}|{finding.context}"
            assert buttons[head] == f"{verdict}|{key}"
    assert 'form="note-form"' in page
    assert 'id="note-form"' in page
    for value in buttons.values():
        assert not any(piece in value for piece in NOTE_PIECES)


def test_confirming_stores_ids_only_and_keeps_the_result(
    signed_in: Client, professional: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    value = _buttons(_scan(signed_in))["confirmed|earnings_handed_over|pattern|affirmed"]
    page = _answer(signed_in, value)
    row = SignalFeedback.objects.get()
    finding = next(f for f in scan_text(NOTE).findings if f.indicator == "earnings_handed_over")
    expected = {
        "organisation_id": professional.organisation_id,
        "day": date.today(),
        "verdict": "confirmed",
        "indicator": "earnings_handed_over",
        "rule_kind": "pattern",
        "rule": finding.rule,
        "context": "affirmed",
        "role": "subject",
        "content_version": VERSION,
    }
    stored = {
        f.attname: getattr(row, f.attname)
        for f in SignalFeedback._meta.concrete_fields
        if f.attname != "id"
    }
    assert stored == expected
    assert not EvaluationSentence.objects.exists()
    assert not SavedNote.objects.exists()
    for text in _stored_values() + [caplog.text] + [str(v) for v in signed_in.session.values()]:
        assert not any(piece in text for piece in NOTE_PIECES)
    # The same result is shown again, with the answer and a confirmation.
    assert 'class="marked-note"' in page
    assert "Cliënte is 15 jaar" in page
    label = default_library().indicators["earnings_handed_over"].label.nl
    assert f"Bedankt. Opgeslagen: '{label}' klopt." in _text(page)
    assert "Je antwoord: klopt (opgeslagen)." in page
    assert value in [html.unescape(v) for v in re.findall(r'name="answered" value="([^"]*)"', page)]


def test_rejecting_a_negated_finding_stores_its_context(signed_in: Client) -> None:
    value = _buttons(_scan(signed_in))["rejected|threats_of_violence|pattern|negated"]
    _answer(signed_in, value)
    row = SignalFeedback.objects.get()
    assert (row.verdict, row.indicator, row.context) == (
        "rejected",
        "threats_of_violence",
        "negated",
    )
    assert row.context in CONTEXT_VALUES


def test_an_answer_given_on_the_page_is_not_stored_twice(signed_in: Client) -> None:
    value = _buttons(_scan(signed_in))["confirmed|earnings_handed_over|pattern|affirmed"]
    page = _answer(signed_in, value)
    assert value not in _buttons(page).values()  # the buttons made way for the answer
    _answer(signed_in, value, answered=value)
    assert SignalFeedback.objects.count() == 1


def test_an_answer_for_a_finding_the_note_does_not_have_is_refused(signed_in: Client) -> None:
    forged = FindingKey("documents_taken", "pattern", "affirmed", "subject", VERSION, "paspoort")
    page = _answer(signed_in, f"confirmed|{forged.encode()}")
    assert not SignalFeedback.objects.exists()
    assert "niet opgeslagen" in page.lower()
    assert 'class="marked-note"' in page


def test_an_answer_from_another_content_version_is_refused(signed_in: Client) -> None:
    value = _buttons(_scan(signed_in))["confirmed|earnings_handed_over|pattern|affirmed"]
    old = value.replace(f"|{VERSION}|", "|0.9.0+context-0.9.0|")
    _answer(signed_in, old)
    assert not SignalFeedback.objects.exists()


@pytest.mark.parametrize(
    "value",
    ["", "maybe|x|pattern|affirmed|subject|v|r", "confirmed|only|three", "confirmed|" + "x|" * 900],
)
def test_an_unreadable_answer_is_a_bad_request(signed_in: Client, value: str) -> None:
    response = signed_in.post(CHECK, {"text": NOTE, "minor": "text", "feedback": value})
    assert response.status_code == 400
    assert not SignalFeedback.objects.exists()


def test_platform_admins_get_no_buttons_and_store_nothing(
    user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    admin = client_for(user_factory(Role.PLATFORM_ADMIN, None))
    page = _scan(admin)
    assert 'name="feedback"' not in page
    key = FindingKey.of(scan_text(NOTE).findings[0], VERSION).encode()
    admin.post(CHECK, {"text": NOTE, "minor": "text", "feedback": f"confirmed|{key}"})
    admin.post(
        CHECK, {"text": NOTE, "minor": "text", "action": "missed", "missed-indicator": "minor"}
    )
    assert not SignalFeedback.objects.exists()


def test_csrf_is_enforced_on_answers(professional: User) -> None:
    client = verified_client(professional)
    client.handler.enforce_csrf_checks = True
    key = FindingKey.of(scan_text(NOTE).findings[0], VERSION).encode()
    response = client.post(CHECK, {"text": NOTE, "minor": "text", "feedback": f"confirmed|{key}"})
    assert response.status_code == 403
    assert not SignalFeedback.objects.exists()


# --- missed signals ----------------------------------------------------------------------------


def _missed(client: Client, text: str = NOTE, **fields: object) -> str:
    data = {"text": text, "minor": "text", "action": "missed"}
    data.update({f"missed-{name}": value for name, value in fields.items()})
    response = client.post(CHECK, data)
    assert response.status_code == 200
    return response.content.decode()


def test_a_missed_signal_without_the_choice_stores_only_the_indicator(signed_in: Client) -> None:
    page = _missed(signed_in, indicator="documents_taken", sentence=CLEAN_SENTENCE)
    row = SignalFeedback.objects.get()
    assert (row.verdict, row.indicator, row.rule_kind, row.rule, row.context, row.role) == (
        "missed", "documents_taken", "", "", "", "",
    )  # fmt: skip
    assert not EvaluationSentence.objects.exists()
    assert not any(piece in v for v in _stored_values() for piece in NOTE_PIECES)
    label = default_library().indicators["documents_taken"].label.nl
    assert f"Bedankt. Het gemiste signaal '{label}' is geteld." in _text(page)
    assert "evaluatieset van je organisatie" not in page
    assert 'class="marked-note"' in page


def test_the_sentence_is_saved_only_with_the_explicit_choice(
    signed_in: Client, professional: User
) -> None:
    page = _missed(
        signed_in, indicator="picked_up_by_unknown", sentence=CLEAN_SENTENCE, keep_sentence="on"
    )
    saved = EvaluationSentence.objects.get()
    assert saved.text == CLEAN_SENTENCE
    assert saved.organisation_id == professional.organisation_id
    assert saved.feedback.verdict == "missed"
    assert saved.feedback.indicator == "picked_up_by_unknown"
    assert "De zin is bewaard in de evaluatieset van je organisatie." in page


def test_a_sentence_with_personal_data_is_refused_with_a_field_error(signed_in: Client) -> None:
    sentence = "Jan de Vries moet zijn geld afgeven."
    page = _missed(
        signed_in,
        text=PERSONAL_NOTE,
        indicator="earnings_handed_over",
        sentence=sentence,
        keep_sentence="on",
    )
    assert not SignalFeedback.objects.exists()
    assert not EvaluationSentence.objects.exists()
    expected = refusal_message(sentence, check_text(sentence)).nl
    assert expected in _text(page)
    assert "naam" in expected
    assert 'class="error-summary"' in page
    assert 'href="#id_missed-sentence"' in page


def test_the_choice_without_a_sentence_is_a_field_error(signed_in: Client) -> None:
    page = _missed(signed_in, indicator="documents_taken", keep_sentence="on")
    assert not SignalFeedback.objects.exists()
    assert 'href="#id_missed-sentence"' in page


@pytest.mark.parametrize(
    "sentence",
    [
        "Zij heeft haar paspoort niet meer.",  # not in the note
        "Een jongen haalt haar op na school. Ze moet haar geld afgeven aan hem.",  # two sentences
    ],
)
def test_the_sentence_must_be_one_sentence_of_the_note(signed_in: Client, sentence: str) -> None:
    page = _missed(signed_in, indicator="documents_taken", sentence=sentence, keep_sentence="on")
    assert not SignalFeedback.objects.exists()
    assert 'href="#id_missed-sentence"' in page


def test_a_too_long_sentence_is_refused_before_the_guard_reads_it(
    signed_in: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    monkeypatch.setattr(services, "check_text", lambda text: read.append(text) or [])
    long_note = "Ze moet haar geld afgeven aan hem " + "en " * 300 + "verder."
    page = _missed(
        signed_in,
        text=long_note,
        indicator="documents_taken",
        sentence=long_note,
        keep_sentence="on",
    )
    assert read == []
    assert not SignalFeedback.objects.exists()
    assert str(SENTENCE_LENGTH) in page


def test_an_unknown_indicator_is_a_field_error(signed_in: Client) -> None:
    page = _missed(signed_in, indicator="not_an_indicator")
    assert not SignalFeedback.objects.exists()
    assert 'href="#id_missed-indicator"' in page


# --- what content editors see ------------------------------------------------------------------


def _key(indicator: str, rule: str, context: str = "affirmed") -> FindingKey:
    return FindingKey(indicator, "pattern", context, "subject", VERSION, rule)


def _fill(org_member: User, other_member: User) -> None:
    """A: earnings pattern P1 2x confirmed, 1x rejected; frame 1x rejected; 1 missed with a
    sentence and 1 without. B: lots of confirmations that A must never see."""
    for verdict in ("confirmed", "confirmed", "rejected"):
        services.record_verdict(
            user=org_member, verdict=verdict, key=_key("earnings_handed_over", "P1")
        )
    frame = FindingKey("picked_up_by_unknown", "frame", "affirmed", "subject", VERSION, "a/b")
    services.record_verdict(user=org_member, verdict="rejected", key=frame)
    services.record_missed(user=org_member, indicator="documents_taken", version=VERSION)
    services.record_missed(
        user=org_member, indicator="documents_taken", version=VERSION, sentence=CLEAN_SENTENCE
    )
    for _ in range(5):
        services.record_verdict(
            user=other_member, verdict="confirmed", key=_key("documents_taken", "P9")
        )
    services.record_missed(
        user=other_member, indicator="minor", version=VERSION, sentence="Zij zit in de brugklas."
    )


@pytest.fixture
def filled(professional: User, org_b: Organisation, user_factory: Callable[..., User]) -> None:
    _fill(professional, user_factory(Role.PROFESSIONAL, org_b))


def test_summary_counts_per_indicator_and_rule_for_the_own_organisation(
    filled: None, editor: User
) -> None:
    rows = {
        r["indicator"]: r
        for r in feedback.summary(services.feedback_of(editor), default_library(), "nl")
    }
    assert set(rows) == {"earnings_handed_over", "picked_up_by_unknown", "documents_taken"}
    earnings = rows["earnings_handed_over"]
    assert (earnings["confirmed"], earnings["rejected"], earnings["missed"]) == (2, 1, 0)
    assert earnings["rate"] == pytest.approx(2 / 3)
    assert [
        (r["rule_kind"], r["rule"], r["confirmed"], r["rejected"]) for r in earnings["rules"]
    ] == [("pattern", "P1", 2, 1)]
    assert rows["picked_up_by_unknown"]["rate"] == 0
    missed = rows["documents_taken"]
    assert (missed["confirmed"], missed["rejected"], missed["missed"], missed["rate"]) == (
        0,
        0,
        2,
        None,
    )
    assert missed["rules"] == []


def test_summary_page_shows_the_counts(filled: None, editor: User) -> None:
    page = verified_client(editor).get(SUMMARY).content.decode()
    assert 'data-indicator="earnings_handed_over"' in page
    assert "0,67" in page or "0.67" in page
    assert 'data-indicator="minor"' not in page  # organisation B's
    assert "P9" not in page


def test_period_filter(filled: None, editor: User) -> None:
    SignalFeedback.objects.filter(indicator="picked_up_by_unknown").update(
        day=date.today() - timedelta(days=40)
    )
    since = (date.today() - timedelta(days=7)).isoformat()
    page = verified_client(editor).get(SUMMARY, {"date_from": since}).content.decode()
    assert 'data-indicator="picked_up_by_unknown"' not in page
    assert 'data-indicator="earnings_handed_over"' in page
    body = verified_client(editor).get(CSV_URL, {"date_from": since}).content.decode("utf-8")
    assert "picked_up_by_unknown" not in body


def test_a_reversed_period_is_a_field_error(editor: User) -> None:
    page = (
        verified_client(editor)
        .get(SUMMARY, {"date_from": "2026-12-05", "date_to": "2026-12-01"})
        .content.decode()
    )
    assert 'href="#id_date_to"' in page
    assert (
        verified_client(editor)
        .get(CSV_URL, {"date_from": "2026-12-05", "date_to": "2026-12-01"})
        .status_code
        == 400
    )


def test_csv_export(filled: None, editor: User) -> None:
    response = verified_client(editor).get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Niveau", "Indicator", "Naam indicator", "Soort regel", "Regel", "Klopt", "Klopt niet",
        "Gemist", "Aandeel klopt",
    ]  # fmt: skip
    label = default_library().indicators["earnings_handed_over"].label.nl
    assert ["indicator", "earnings_handed_over", label, "", "", "2", "1", "0", "0,67"] in rows
    assert ["regel", "earnings_handed_over", label, "pattern", "P1", "2", "1", "", "0,67"] in rows
    missed_label = default_library().indicators["documents_taken"].label.nl
    assert ["indicator", "documents_taken", missed_label, "", "", "0", "0", "2", ""] in rows
    assert all(row[1] != "minor" for row in rows)  # organisation B's
    assert len(rows) == 1 + 3 + 2  # header, three indicators, two rules


def test_xlsx_export_is_the_csv_table_with_numbers(filled: None, editor: User) -> None:
    from openpyxl import load_workbook

    response = verified_client(editor).get(CSV_URL.replace(".csv", ".xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0])[:3] == ["Niveau", "Indicator", "Naam indicator"]
    label = default_library().indicators["earnings_handed_over"].label.nl
    totals = next(r for r in rows if r[0] == "indicator" and r[1] == "earnings_handed_over")
    assert list(totals[:8]) == ["indicator", "earnings_handed_over", label, None, None, 2, 1, 0]
    assert abs(totals[8] - 2 / 3) < 0.01  # a number Excel can compute with, not "0,67"
    assert len(rows) == 1 + 3 + 2


def test_csv_neutralises_formulas(editor: User, professional: User) -> None:
    services.record_verdict(
        user=professional, verdict="confirmed", key=_key("earnings_handed_over", "=1+1")
    )
    rows = list(
        csv.reader(
            io.StringIO(verified_client(editor).get(CSV_URL).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert "'=1+1" in rows[2]


def test_evaluation_export_is_the_dev2_format_of_the_own_sentences(
    filled: None, editor: User, tmp_path: Path
) -> None:
    response = verified_client(editor).get(YAML_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "brugklas" not in body  # organisation B's sentence
    path = tmp_path / "feedback.yaml"
    path.write_text(body, encoding="utf-8")
    notes = load_notes(path, strict=True)
    assert len(notes) == 1
    note = notes[0]
    assert (note.text, note.style, note.signals) == (
        CLEAN_SENTENCE,
        "sentence",
        frozenset({"documents_taken"}),
    )
    assert (note.mentions, note.minor, note.control) == ((), None, False)
    assert yaml.safe_load(body)["notes"][0]["id"].startswith("feedback-")


def test_a_vulnerability_goes_into_the_vulnerability_list(editor: User, professional: User) -> None:
    services.record_missed(
        user=professional, indicator="minor", version=VERSION, sentence="Cliënte is 15 jaar."
    )
    note = yaml.safe_load(verified_client(editor).get(YAML_URL).content)["notes"][0]
    assert (note["signals"], note["vulnerability"]) == ([], ["minor"])


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.TRAINER, Role.AUDITOR, Role.ORG_ADMIN])
def test_only_content_editors_read_feedback(
    filled: None, org_a: Organisation, user_factory: Callable[..., User], role: Role
) -> None:
    client = verified_client(user_factory(role, org_a))
    for url in (SUMMARY, CSV_URL, YAML_URL):
        assert client.get(url).status_code == 403
    assert reverse("signals:feedback_summary") not in client.get(CHECK).content.decode()


def test_platform_admins_read_no_feedback(filled: None, user_factory: Callable[..., User]) -> None:
    client = verified_client(user_factory(Role.PLATFORM_ADMIN, None))
    assert client.get(SUMMARY).status_code == 403


def test_an_editor_of_another_organisation_sees_none_of_it(
    filled: None, org_b: Organisation, user_factory: Callable[..., User]
) -> None:
    other = user_factory(Role.CONTENT_EDITOR, org_b)
    rows = feedback.summary(services.feedback_of(other), default_library(), "nl")
    assert [r["indicator"] for r in rows] == ["documents_taken", "minor"]
    assert [r["confirmed"] for r in rows] == [5, 0]
    assert CLEAN_SENTENCE not in verified_client(other).get(YAML_URL).content.decode()


def test_editors_find_the_page(editor: User) -> None:
    client = verified_client(editor)
    assert reverse("signals:feedback_summary") in client.get(CHECK).content.decode()
    assert client.get(SUMMARY).status_code == 200


def test_signed_out_users_are_sent_to_log_in(client: Client) -> None:
    response = client.get(SUMMARY)
    assert response.status_code in (302, 403)
    assert not response.content.startswith(b"\xef\xbb\xbf")


# --- erasing a saved sentence (AVG art. 17) ------------------------------------------------------


def test_an_editor_erases_a_saved_sentence_and_the_count_stays(filled: None, editor: User) -> None:
    own = EvaluationSentence.objects.get(organisation_id=editor.organisation_id)
    client = verified_client(editor)
    page = client.get(SUMMARY).content.decode()
    assert html.escape(CLEAN_SENTENCE, quote=False) in page
    url = reverse("signals:sentence_delete", args=[own.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert not EvaluationSentence.objects.filter(pk=own.pk).exists()
    assert SignalFeedback.objects.filter(pk=own.feedback_id, verdict="missed").exists()
    assert html.escape(CLEAN_SENTENCE, quote=False) not in response.content.decode()


def test_a_sentence_of_another_organisation_cannot_be_erased(
    filled: None, editor: User, org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    foreign = EvaluationSentence.objects.exclude(organisation_id=editor.organisation_id).get()
    url = reverse("signals:sentence_delete", args=[foreign.pk])
    assert verified_client(editor).post(url).status_code == 404
    member = verified_client(user_factory(Role.PROFESSIONAL, org_a))
    own = EvaluationSentence.objects.get(organisation_id=editor.organisation_id)
    assert member.post(reverse("signals:sentence_delete", args=[own.pk])).status_code == 403
    assert EvaluationSentence.objects.count() == 2

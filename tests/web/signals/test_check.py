"""The note checker through HTTP: paste, upload, context shown, minor choice, hand-off, privacy."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketenwijs.web.signals.extract import MAX_UPLOAD_BYTES
from ketenwijs.web.signals.models import SavedNote
from tests.web.signals.conftest import ADULT_NOTE, NOTE, make_docx, make_pdf

URL = "/signals/"


def _marks(html: str) -> dict[str, str]:
    """Return {indicator ids: contexts} of every <mark> in the marked note."""
    found = re.findall(
        r'<mark class="finding[^"]*"[^>]*data-indicators="([^"]+)" data-contexts="([^"]+)"', html
    )
    return dict(found)


def _steps(html: str) -> list[str]:
    return re.findall(r'<li data-step="([a-z_]+)"', html)


def test_form_page_renders_with_upload_form(signed_in: Client) -> None:
    response = signed_in.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="text"' in html
    assert 'name="file"' in html
    assert 'name="minor"' in html
    assert "result" not in response.context or response.context.get("result") is None


def test_pasted_note_is_marked_with_context(signed_in: Client) -> None:
    response = signed_in.post(URL, {"text": NOTE, "minor": "text", "action": "scan"})
    assert response.status_code == 200
    html = response.content.decode()
    marks = _marks(html)
    assert marks["picked_up_by_unknown"] == "affirmed"
    assert marks["earnings_handed_over"] == "affirmed"
    assert marks["threats_of_violence"] == "negated"
    assert marks["runaway_missing"] == "hypothetical"
    # Offsets map to the original text: the marked phrase is the text between the tags.
    assert re.search(r'data-indicators="threats_of_violence"[^>]*>bedreigingen</mark>', html)


def test_non_affirmed_findings_are_greyed_with_their_trigger(signed_in: Client) -> None:
    html = signed_in.post(URL, {"text": NOTE, "minor": "text"}).content.decode()
    negated = re.search(r'<mark class="finding finding--(\w+)"[^>]*data-contexts="negated"', html)
    hypothetical = re.search(
        r'<mark class="finding finding--(\w+)"[^>]*data-contexts="hypothetical"', html
    )
    affirmed = re.search(
        r'<mark class="finding finding--(\w+)"[^>]*data-indicators="earnings_handed_over"', html
    )
    context = re.search(r'<mark class="finding finding--(\w+)"[^>]*data-indicators="minor"', html)
    assert negated
    assert negated.group(1) == "muted"
    assert hypothetical
    assert hypothetical.group(1) == "muted"
    assert affirmed
    assert affirmed.group(1) == "affirmed"
    assert context
    assert context.group(1) == "context"  # a vulnerability is shown apart from the signals
    # The reason names the trigger word from the note.
    assert "&#x27;geen&#x27;" in html
    assert "&#x27;Mocht&#x27;" in html


def test_only_affirmed_findings_enter_the_summary(signed_in: Client) -> None:
    response = signed_in.post(URL, {"text": NOTE, "minor": "text"})
    result = response.context["result"]
    assert result["affirmed_count"] == 2
    counted = {i["id"] for row in result["by_category"] for i in row["indicators"]}
    assert counted == {"picked_up_by_unknown", "earnings_handed_over"}
    by_dimension = {row["key"]: row for row in result["by_dimension"]}
    assert by_dimension["exploitation"]["count"] == 1
    assert by_dimension["coercion"]["count"] == 0
    explained = {item["id"]: item for item in result["explained"]}
    assert explained["threats_of_violence"]["counts"] is False
    assert explained["earnings_handed_over"]["counts"] is True
    assert explained["earnings_handed_over"]["sources"]  # every indicator shows its sources
    assert [v["id"] for v in result["vulnerabilities"]] == ["minor"]


def test_explanation_shows_label_description_strength_dimension_and_source(
    signed_in: Client,
) -> None:
    from ketenwijs.signals import default_library

    spec = default_library().indicators["earnings_handed_over"]
    html = signed_in.post(URL, {"text": NOTE, "minor": "text"}).content.decode()
    section = html.split('id="indicator-earnings_handed_over"', 1)[1].split(
        '<li class="indicator', 1
    )[0]
    assert spec.label.nl in section
    assert spec.description.nl.split(",")[0] in section
    assert default_library().meta.sources[spec.sources[0]].title in section


def test_html_in_the_note_is_escaped(signed_in: Client) -> None:
    note = "<script>alert(1)</script> Ze moet haar geld afgeven aan hem."
    html = signed_in.post(URL, {"text": note, "minor": "text"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("minor", "present", "absent"),
    [
        ("yes", "minor_exploitation_same_day", "adult_several_dimensions"),
        ("no", "adult_several_dimensions", "minor_exploitation_same_day"),
    ],
)
def test_next_steps_follow_the_minor_choice(
    signed_in: Client, minor: str, present: str, absent: str
) -> None:
    html = signed_in.post(URL, {"text": ADULT_NOTE, "minor": minor}).content.decode()
    steps = _steps(html)
    assert present in steps
    assert absent not in steps
    expected = "true" if minor == "yes" else "false"
    assert f'data-minor="{expected}" data-minor-source="option"' in html


def test_letting_the_text_decide_reads_the_age_from_the_note(signed_in: Client) -> None:
    html = signed_in.post(URL, {"text": NOTE, "minor": "text"}).content.decode()
    assert 'data-minor="true" data-minor-source="text"' in html
    assert "minor_exploitation_same_day" in _steps(html)
    unknown = signed_in.post(URL, {"text": ADULT_NOTE, "minor": "text"}).content.decode()
    assert 'data-minor="none" data-minor-source="unknown"' in unknown


def test_combination_view_and_prompts_are_shown(signed_in: Client) -> None:
    response = signed_in.post(URL, {"text": ADULT_NOTE, "minor": "no"})
    result = response.context["result"]
    assert result["combination"]["guidance"]
    assert result["combination"]["rule"] == "adult"
    html = response.content.decode()
    assert 'data-pattern-met="false"' in html
    assert 'data-prompt="other_routes_than_love"' in html


def test_handoff_link_starts_delen_with_the_implied_facts(signed_in: Client) -> None:
    response = signed_in.post(URL, {"text": NOTE, "minor": "text"})
    handoff = response.context["result"]["handoff"]
    assert handoff["url"] is not None
    url = urlsplit(handoff["url"])
    assert url.path == reverse("sharing:start")
    query = parse_qs(url.query)
    assert query["purpose"] == ["human_trafficking"]
    assert query["personal_data"] == ["identifiable"]
    assert query["data_subject_minor"] == ["true"]
    assert "special_sex_life" in query["data_categories"]
    assert query["data_categories"][0] == "ordinary"
    html = response.content.decode()
    assert 'id="start-delen"' in html


def test_handoff_leaves_age_out_when_unknown_and_says_false_for_adults(signed_in: Client) -> None:
    unknown = signed_in.post(URL, {"text": ADULT_NOTE, "minor": "text"}).context["result"]
    assert "data_subject_minor" not in parse_qs(urlsplit(unknown["handoff"]["url"]).query)
    adult = signed_in.post(URL, {"text": ADULT_NOTE, "minor": "no"}).context["result"]
    assert parse_qs(urlsplit(adult["handoff"]["url"]).query)["data_subject_minor"] == ["false"]


def test_handoff_link_is_accepted_by_the_delen_start_page(signed_in: Client) -> None:
    url = signed_in.post(URL, {"text": NOTE, "minor": "text"}).context["result"]["handoff"]["url"]
    assert signed_in.get(url).status_code == 200


def test_empty_note_gives_a_field_error(signed_in: Client) -> None:
    response = signed_in.post(URL, {"text": "   ", "minor": "text"})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert response.context.get("result") is None


def test_unknown_minor_answer_is_a_field_error(signed_in: Client) -> None:
    response = signed_in.post(URL, {"text": NOTE, "minor": "maybe"})
    assert response.context["form"].errors["minor"]


# -- uploads ------------------------------------------------------------------------------------


def _upload(client: Client, name: str, data: bytes, **extra: str) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        URL, {"file": SimpleUploadedFile(name, data), "minor": "text", "text": "", **extra}
    )


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("notitie.txt", lambda: NOTE.encode("utf-8")),
        ("notitie-windows.TXT", lambda: NOTE.replace("\n", "\r\n").encode("cp1252")),
        ("notitie-utf16.txt", lambda: NOTE.encode("utf-16")),
        ("notitie-utf16-zonder-bom.txt", lambda: NOTE.encode("utf-16-le")),
        ("notitie.docx", lambda: make_docx(NOTE.split("\n"))),
        ("notitie.pdf", lambda: make_pdf(NOTE.split("\n"))),
    ],
)
def test_uploaded_note_is_read_and_checked(signed_in: Client, name: str, build: object) -> None:
    response = _upload(signed_in, name, build())  # type: ignore[operator]
    assert response.status_code == 200  # type: ignore[attr-defined]
    context = response.context  # type: ignore[attr-defined]
    assert context["form"].errors == {}
    marks = _marks(response.content.decode())  # type: ignore[attr-defined]
    assert marks["earnings_handed_over"] == "affirmed"
    assert marks["threats_of_violence"] == "negated"
    # The extracted text is put in the text box, so it can be checked again or saved.
    assert "Er zijn geen bedreigingen geweest." in context["form"].initial["text"]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("notitie.exe", b"MZ\x90\x00", "wrong_type"),
        ("notitie.odt", b"PK\x03\x04 odt", "wrong_type"),
        ("notitie.docx", b"%PDF-1.7 not a docx", "wrong_type"),
        ("notitie.pdf", b"PK\x03\x04 not a pdf", "wrong_type"),
        ("notitie.docx", b"PK\x03\x04 broken zip", "unreadable"),
        ("notitie.pdf", b"%PDF-1.7\n garbage without pages", "unreadable"),
        ("notitie.txt", bytes(range(256)) * 4, "unreadable"),
        ("notitie.txt", b"   \n  ", "no_text"),
        ("notitie.docx", make_docx([""]), "no_text"),
    ],
)
def test_bad_upload_gives_a_clear_field_error(
    signed_in: Client, name: str, data: bytes, code: str
) -> None:
    from ketenwijs.web.signals.forms import upload_error

    response = _upload(signed_in, name, data)
    errors = response.context["form"].errors  # type: ignore[attr-defined]
    assert errors["file"] == [upload_error(code)]
    assert response.context.get("result") is None  # type: ignore[attr-defined]


def test_empty_upload_gives_a_field_error(signed_in: Client) -> None:
    response = _upload(signed_in, "leeg.txt", b"")
    assert response.context["form"].errors["file"]  # type: ignore[attr-defined]


def test_too_large_upload_is_refused_without_reading_it(signed_in: Client) -> None:
    from ketenwijs.web.signals.forms import upload_error

    response = _upload(signed_in, "groot.txt", b"a" * (MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 200  # type: ignore[attr-defined]
    errors = response.context["form"].errors  # type: ignore[attr-defined]
    assert errors["file"] == [upload_error("too_large")]


def test_upload_and_pasted_text_together_is_a_field_error(signed_in: Client) -> None:
    response = _upload(signed_in, "notitie.txt", NOTE.encode(), text="Ook geplakte tekst.")
    assert response.context["form"].errors["file"]  # type: ignore[attr-defined]


def test_docx_with_a_doctype_is_refused() -> None:
    import io
    import zipfile

    from ketenwijs.web.signals.extract import ExtractionError, extract_text

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><w:document/>',
        )
    with pytest.raises(ExtractionError) as caught:
        extract_text("bom.docx", buffer.getvalue())
    assert caught.value.code == "unreadable"


# -- privacy by design --------------------------------------------------------------------------


def test_a_scan_writes_nothing_to_the_database(signed_in: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.post(URL, {"text": NOTE, "minor": "text", "action": "scan"})
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]
    assert writes == []
    assert SavedNote.objects.count() == 0


def test_an_upload_scan_writes_nothing_to_the_database(signed_in: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        _upload(signed_in, "notitie.docx", make_docx([NOTE]))
    assert not [q for q in queries.captured_queries if "INSERT" in q["sql"].upper()]
    assert SavedNote.objects.count() == 0


def test_a_scan_keeps_the_note_out_of_the_session_and_the_log(
    signed_in: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        signed_in.post(URL, {"text": NOTE, "minor": "text"})
    session = signed_in.session
    assert all("bedreigingen" not in str(value) for value in session.values())
    assert "bedreigingen" not in caplog.text


def test_pages_with_a_note_are_not_cached(signed_in: Client) -> None:
    response = signed_in.post(URL, {"text": NOTE, "minor": "text"})
    assert "no-store" in response["Cache-Control"]


def test_csrf_is_enforced_on_the_checker(professional: object) -> None:
    from tests.web.factories import verified_client

    client = verified_client(professional)  # type: ignore[arg-type]
    client.handler.enforce_csrf_checks = True
    response = client.post(URL, {"text": NOTE, "minor": "text"})
    assert response.status_code == 403


def test_page_works_in_english(signed_in: Client) -> None:
    from ketenwijs.signals import default_library

    signed_in.cookies["ketenwijs_language"] = "en"
    html = signed_in.post(URL, {"text": NOTE, "minor": "text"}).content.decode()
    assert default_library().indicators["earnings_handed_over"].label.en in html


def test_result_shows_role_rule_and_age_evidence(signed_in: Client) -> None:
    note = (
        "Pt 16 jr. Haar moeder biedt haar aan voor webcamshows aan mannen. "
        "Haar vriendin wordt door hem naar hotels gebracht."
    )
    html = signed_in.post(URL, {"text": note, "minor": "text"}).content.decode()
    assert 'data-role="perpetrator_on_subject"' in html
    assert 'data-role="third_person"' in html
    assert "sex_with_others_arranged/sold_or_rented_out" in html  # the frame that fired
    assert "indicators/e_online.yaml" in html
    assert 'class="minor-evidence" data-age-kind="age"' in html
    assert "16 jr" in html
    # A child offered for webcam shows gets act-now steps and never "wait and see".
    steps = _steps(html)
    assert "minor_act_now" in steps
    assert "weak_signals_follow_up" not in steps
    assert "vulnerability_only" not in steps

"""Refusal messages say what was found and where, in Dutch and English, without the value."""

from __future__ import annotations

from ketenwijs.privacy import Hit, check_text, locate, refusal_message

DASH = "\u2013"


def test_location_is_line_and_characters_counted_from_one() -> None:
    text = "Eerste regel.\nHet BSN 123456782 staat hier."
    (hit,) = check_text(text)
    where = locate(text, hit)
    assert (where.line, where.first_column, where.last_column) == (2, 9, 17)


def test_message_names_kind_and_place_in_both_languages() -> None:
    text = "Eerste regel.\nHet BSN 123456782 staat hier."
    message = refusal_message(text, check_text(text))
    assert f"regel 2, teken 9{DASH}17: BSN (burgerservicenummer)" in message.nl
    assert f"line 2, characters 9{DASH}17: BSN (citizen service number)" in message.en
    assert str(message) == f"{message.nl}\n{message.en}"


def test_message_never_repeats_the_personal_data() -> None:
    text = "Mevrouw Fatima de Vries, 06-12345678, f.devries@example.nl"
    message = str(refusal_message(text, check_text(text)))
    for hit in check_text(text):
        assert hit.text not in message
    assert "naam van een persoon" in message
    assert "telefoonnummer" in message
    assert "e-mail address" in message


def test_message_tells_what_to_do_and_that_the_text_is_kept() -> None:
    text = "BSN 123456782"
    message = refusal_message(text, check_text(text))
    assert "cliënte A" in message.nl
    assert "bewaard in het formulier" in message.nl
    assert "kept in the form" in message.en


def test_message_for_no_hits_says_so() -> None:
    assert refusal_message("Niets.", []).en == "No personal data found."


def test_location_of_a_hit_on_the_first_line() -> None:
    where = locate("06-12345678", Hit("phone", 0, 11, "06-12345678"))
    assert (where.line, where.first_column, where.last_column) == (1, 1, 11)

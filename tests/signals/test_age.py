"""Age of the note's subject: ages, birth dates and years, school years; others' ages skipped."""

from __future__ import annotations

from datetime import date

import pytest

from ketenwijs.signals import scan_text
from ketenwijs.signals.age import find_age, number_word

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "minor", "age", "evidence"),
    [
        ("J. (15) wordt na school opgehaald.", True, 15, "(15)"),
        ("M. (15 jr) is weggelopen.", True, 15, "(15 jr)"),
        ("Pt 16 jr, komt voor buikpijn.", True, 16, "16 jr"),
        ("Ze is vijftien jaar en woont bij oma.", True, 15, "is vijftien jaar"),
        ("Hij is een zestienjarige jongen uit Zwolle.", True, 16, "zestienjarige"),
        ("Het gaat om een 14-jarige leerling.", True, 14, "14-jarige"),
        ("Leeftijd: 17", True, 17, "Leeftijd: 17"),
        ("Cliënte is 17 jaar oud.", True, 17, "17 jaar oud"),
        ("Meisje van 13 komt op het spreekuur.", True, 13, "Meisje van 13"),
        ("Jongere, 16 jaar, woont in een gezinshuis.", True, 16, "Jongere, 16 jaar"),
        ("Mevrouw, 34 jaar, moeder van twee kinderen.", False, 34, "Mevrouw, 34 jaar"),
        ("Ze is 19 en werkt in een hotel.", False, 19, "is 19"),
        ("Ze is drieëntwintig jaar.", False, 23, "is drieëntwintig jaar"),
        ("Cliënte (22) woont zelfstandig.", False, 22, "(22)"),
        ("Jeugdige (v, 15) is weggelopen.", True, 15, "(v, 15)"),
        ("Jongere (16/m) woont in een gezinshuis.", True, 16, "(16/m)"),
        ("Lisa, 15, woont bij haar moeder.", True, 15, "Lisa, 15"),
        ("Jongen 16 jaar, woont bij zijn oom.", True, 16, "Jongen 16 jaar"),
    ],
)
def test_stated_ages(text: str, minor: bool, age: int, evidence: str) -> None:
    found = find_age(text, TODAY)
    assert found is not None
    assert (found.minor, found.age, found.text) == (minor, age, evidence)
    assert text[found.start : found.end] == evidence


@pytest.mark.parametrize(
    ("text", "minor", "age"),
    [
        ("Ze is geboren in 2011.", True, 15),
        ("Geboren: 2012, woont bij vader.", True, 14),
        ("Cliënte, geboren 12-03-2008, woont bij haar moeder.", False, 18),
        ("Cliënte, geboren 12-12-2008, woont bij haar moeder.", True, 17),
        ("Geb. 3 december 2008.", False, 18),
        ("Geboortejaar 1990.", False, 36),
    ],
)
def test_birth_dates_are_read_against_the_reference_date(text: str, minor: bool, age: int) -> None:
    found = find_age(text, TODAY)
    assert found is not None
    assert (found.minor, found.age) == (minor, age)
    assert found.kind == "birth_date"


def test_a_birth_year_that_leaves_both_ages_open_says_unknown() -> None:
    assert find_age("Ze is geboren in 2008.", TODAY) is None  # 17 or 18 on 4 December 2026


@pytest.mark.parametrize(
    "text",
    [
        "Ze zit in de brugklas.",
        "Leerling zit in 3 havo.",
        "Hij zit in havo 2.",
        "Ze zit in groep 8 van de basisschool.",
        "Ze zit in de tweede klas van het vmbo.",
        "Ze is minderjarig.",
    ],
)
def test_school_years_and_words_say_minor(text: str) -> None:
    found = find_age(text, TODAY)
    assert found is not None
    assert found.minor is True


@pytest.mark.parametrize(
    "text",
    [
        "Haar vriend (24) haalt haar op.",
        "Een man van 45 jaar biedt haar een lift aan.",
        "Zijn zusje van 8 is thuis.",
        "Ze woont al 15 jaar in Nederland.",
        "Toen ze 14 was, is ze misbruikt.",
        "Ze is 3 weken zwanger.",
        "De vrouw 3 keer geslagen.",
        "Hij kreeg 2 jaar cel.",
        "Ze zit in vwo 6.",
        "Ze zat vroeger op een school, 200 meter verderop.",
    ],
)
def test_other_peoples_ages_durations_and_open_cases_give_nothing(text: str) -> None:
    assert find_age(text, TODAY) is None


def test_negated_words_turn_around() -> None:
    found = find_age("Ze is niet minderjarig.", TODAY)
    assert found is not None
    assert found.minor is False


def test_number_words() -> None:
    assert number_word("vijftien") == 15
    assert number_word("drieëntwintig") == 23
    assert number_word("zeventien") == 17
    assert number_word("boek") is None


def test_scan_shows_the_evidence_and_uses_it_for_minor() -> None:
    result = scan_text("Pt 16 jr. Ze moet met mannen naar bed.", reference_date=TODAY)
    minor = result.to_dict()["minor"]
    assert minor["value"] is True
    assert minor["source"] == "text"
    assert minor["evidence"]["text"] == "16 jr"
    assert minor["evidence"]["age"] == 16
    assert "minor" in result.assessment.vulnerabilities


def test_the_option_wins_over_the_text() -> None:
    result = scan_text("Pt 16 jr.", minor=False, reference_date=TODAY)
    assert result.assessment.minor is False
    assert result.assessment.minor_source == "option"
    assert result.to_dict()["minor"]["evidence"]["age"] == 16  # still shown


@pytest.mark.parametrize(
    ("text", "minor", "evidence"),
    [
        # Number words with a cue and no "jaar"; onlookers' estimates.
        ("Ze is pas vijftien en woont bij haar oma.", True, "is pas vijftien"),
        ("Zij is zeventien.", True, "is zeventien"),
        ("De meisjes waren hooguit 14 of 15.", True, "hooguit 14"),
        ("Een meisje van een jaar of vijftien stapte in.", True, "jaar of vijftien"),
        ("Een meisje, ongeveer 14, stond bij de ingang.", True, "ongeveer 14"),
        ("Ze leek me rond de 15.", True, "rond de 15"),
        # School years without the school type.
        ("Ze zit in de 2e klas.", True, "2e klas"),
        ("Leerling uit klas 3 van het vmbo.", True, "klas 3"),
        ("Leerling uit de tweede klas.", True, "uit de tweede klas"),
        ("Hij is een tweedeklasser.", True, "tweedeklasser"),
        ("ze is 4 havo", True, "4 havo"),
        ("Jongen (m/16) is weggelopen.", True, "(m/16)"),
        # A parent reporting about their child: the child's age, not the parent's.
        ("Moeder (42) meldt dat haar dochter van 14 laat thuiskomt.", True, "dochter van 14"),
        ("Twee meisjes die uitzagen als brugklassers stapten in.", True, "brugklassers"),
        ('Een man (rond de 35) met een meisje dat er "ongeveer 14" uitzag.', True, "ongeveer 14"),
        ("Man (50) boekt met meisje van ongeveer 12 een kamer.", True, "meisje van ongeveer 12"),
        ("Een man van rond de 35, met een meisje.", None, None),
        ("Gesprek met de huurster, 44 jaar: zij werkt in de zorg.", False, "huurster, 44 jaar"),
        ("Een jongeman die verklaart 19 jaar te zijn.", False, "19 jaar te zijn"),
        ("Een getrouwd stel van middelbare leeftijd.", False, "middelbare leeftijd"),
    ],
)
def test_age_forms_written_by_other_people(
    text: str, minor: bool | None, evidence: str | None
) -> None:
    found = find_age(text, TODAY)
    got = (found.minor, found.text) if found else (None, None)
    assert got == (minor, evidence), text


@pytest.mark.parametrize(
    "text",
    [
        "Ze had die nacht zo'n 15 klanten.",
        "Hij is twaalf keer gebeld.",
        "Ze werkt ongeveer 14 uur per dag.",
        "Het gesprek duurde rond de 15 minuten.",
        "Ongeveer 14 mannen kwamen langs.",
        "Ze zag hem hooguit 3 keer.",
        "Zij heeft een dochter van 4.",  # the daughter's age, not the client's
        "Melder (35) hoorde geschreeuw in de flat.",  # the reporter's age
        "het was elf uur",
    ],
)
def test_counts_times_and_other_peoples_ages_are_no_age_of_the_subject(text: str) -> None:
    assert find_age(text, TODAY) is None, text

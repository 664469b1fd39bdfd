"""The privacy guard finds personal data and leaves the language of decisions alone."""

from __future__ import annotations

import itertools

import pytest

from ketenwijs.privacy import HIT_KINDS, Hit, check_text

# (text, kind, the exact text of the single expected hit of that kind)
POSITIVE = [
    # BSN, both forms
    ("BSN 123456782 is bekend.", "bsn", "123456782"),
    ("Het nummer 123456782 staat in het dossier.", "bsn", "123456782"),
    ("Burgerservicenummer: 1234.56.782.", "bsn", "1234.56.782"),
    ("bsn 123.456.782", "bsn", "123.456.782"),
    ("Zijn nummer is 123 456 782, dat bleek.", "bsn", "123 456 782"),
    ("Nummer 111222333 opgevraagd", "bsn", "111222333"),
    ("BSN-nummer: 12345672", "bsn", "12345672"),
    # IBAN
    ("Betaald naar NL91ABNA0417164300 gisteren.", "iban", "NL91ABNA0417164300"),
    ("IBAN NL91 ABNA 0417 1643 00 en verder", "iban", "NL91 ABNA 0417 1643 00"),
    ("Rekening NL91 ABNA 0417 1643 00 3 keer gebruikt", "iban", "NL91 ABNA 0417 1643 00"),
    ("Duitse rekening DE89 3704 0044 0532 0130 00.", "iban", "DE89 3704 0044 0532 0130 00"),
    ("Belgische rekening BE71096123456769.", "iban", "BE71096123456769"),
    # phone numbers
    ("Bel 0612345678 na vijf uur.", "phone", "0612345678"),
    ("Mobiel: 06-12345678.", "phone", "06-12345678"),
    ("Mobiel: 06 1234 5678.", "phone", "06 1234 5678"),
    ("Mobiel: 06 12 34 56 78", "phone", "06 12 34 56 78"),
    ("Thuis 020-1234567 bellen", "phone", "020-1234567"),
    ("Thuis 010 123 45 67 bellen", "phone", "010 123 45 67"),
    ("Thuis (020) 123 4567 bellen", "phone", "(020) 123 4567"),
    ("Thuis 0111-123456 bellen", "phone", "0111-123456"),
    ("Via +31 6 12345678 bereikbaar", "phone", "+31 6 12345678"),
    ("Via +31612345678 bereikbaar", "phone", "+31612345678"),
    ("Via +31 (0)6 12345678 bereikbaar", "phone", "+31 (0)6 12345678"),
    ("Via 0031 20 123 4567 bereikbaar", "phone", "0031 20 123 4567"),
    ("Via 06.12.34.56.78 bereikbaar", "phone", "06.12.34.56.78"),
    # e-mail
    ("Mail f.devries@example.nl voor meer.", "email", "f.devries@example.nl"),
    ("Zie <jan.de-jong+werk@mail.example.com>.", "email", "jan.de-jong+werk@mail.example.com"),
    # dates of birth
    ("Zij is geboren op 3 maart 2009 in Utrecht.", "date_of_birth", "3 maart 2009"),
    ("Jongen (geb. 12-03-2001) verhuisd.", "date_of_birth", "12-03-2001"),
    ("Geboortedatum: 2001-03-12", "date_of_birth", "2001-03-12"),
    ("geboren te Nador op 1 januari 2000", "date_of_birth", "1 januari 2000"),
    ("DOB 12/03/2001", "date_of_birth", "12/03/2001"),
    ("born on 4 July 1999 in Lagos", "date_of_birth", "4 July 1999"),
    ("Een meisje, geboortejaar 2008, werd gezien.", "date_of_birth", "2008"),
    ("Betrokkene (* 12-03-2001) is bekend.", "date_of_birth", "12-03-2001"),
    # person names
    (
        "Gesprek met mevrouw Fatima de Vries-Bakker over de zaak.",
        "person_name",
        "Fatima de Vries-Bakker",
    ),
    ("Gesprek met mevrouw Jansen.", "person_name", "Jansen"),
    ("Gesprek met mw. A. Yilmaz gevoerd.", "person_name", "A. Yilmaz"),
    ("Dhr. J.P. de Jong was aanwezig.", "person_name", "J.P. de Jong"),
    ("de heer Van den Berg belde", "person_name", "Van den Berg"),
    ("Meneer El Amrani belde", "person_name", "El Amrani"),
    ("Cliënte Samira werkt in de horeca.", "person_name", "Samira"),
    ("De verdachte Kowalski is gehoord.", "person_name", "Kowalski"),
    ("Mijn collega Piet zei dat het mocht.", "person_name", "Piet"),
    ("Haar werkgever, Jan Pietersen, belde.", "person_name", "Jan Pietersen"),
    ("Mohamed zei niets over het geld.", "person_name", "Mohamed"),
    ("Ayşe Yılmaz werd opgehaald.", "person_name", "Ayşe Yılmaz"),  # noqa: RUF001 (Turkish dotless i)
    ("Zij werkte voor Małgorzata Nowak.", "person_name", "Małgorzata Nowak"),
    ("Het slachtoffer Ben werd opgevangen.", "person_name", "Ben"),
    ("Roos de Wit kwam niet opdagen.", "person_name", "Roos de Wit"),
    ("Jansen heeft het geld overgemaakt.", "person_name", "Jansen"),
    ("De familie de Vries is verhuisd.", "person_name", "de Vries"),
    ("Het gesprek met Jan-Willem van Dijk liep goed.", "person_name", "Jan-Willem van Dijk"),
    ("The victim Precious Okafor was interviewed.", "person_name", "Precious Okafor"),
    # addresses
    ("Zij woont aan de Kerkstraat 12 in Zeist.", "address", "Kerkstraat 12"),
    ("Adres: Kerkstraat 12, 3511 AB Utrecht.", "address", "Kerkstraat 12, 3511 AB Utrecht"),
    ("Gezien op de Jan van Galenstraat 12a.", "address", "Jan van Galenstraat 12a"),
    ("Pand aan de Oudegracht 231-3 bezocht.", "address", "Oudegracht 231-3"),
    ("Pand aan de Van Goghstraat 4 bis bezocht.", "address", "Van Goghstraat 4 bis"),
    ("Pand aan de Laan van Meerdervoort 52 bezocht.", "address", "Laan van Meerdervoort 52"),
    ("Woning aan de Dorpsweg 7.", "address", "Dorpsweg 7"),
    ("Postcode 3511AB bekend.", "address", "3511AB"),
    ("Postcode 2511 CV Den Haag bekend.", "address", "2511 CV Den Haag"),
    # other identifiers
    ("Paspoortnummer NXC3F8K45 ingenomen.", "other", "NXC3F8K45"),
    ("Kenteken 12-ABC-3 gezien.", "other", "12-ABC-3"),
    ("V-nummer 1234567890 aangevraagd.", "other", "1234567890"),
    ("BSN 123456789 (klopt niet).", "other", "123456789"),
    ("Rekening NL91ABNA0417164301 (typfout).", "other", "NL91ABNA0417164301"),
]


def _ids(rows: list[tuple[str, str, str]]) -> list[str]:
    return [row[0][:40] for row in rows]


@pytest.mark.parametrize(("text", "kind", "expected"), POSITIVE, ids=_ids(POSITIVE))
def test_personal_data_is_found_with_exact_offsets(text: str, kind: str, expected: str) -> None:
    hits = [hit for hit in check_text(text) if hit.kind == kind]
    assert [hit.text for hit in hits] == [expected], check_text(text)
    hit = hits[0]
    assert text[hit.start : hit.end] == expected
    assert hit.start == text.index(expected)


# Text a professional writes in a motivation; none of it is personal data.
NEGATIVE = [
    "Op grond van art. 20 Wpg en het convenant RIEC is op 3 maart 2025 besloten de informatie "
    "te delen.",
    "Zie art. 7:457 BW en artikel 67 Awr.",
    "De Wet Bibob en AVG art 9 zijn van toepassing.",
    "Artikel 9 lid 2 sub g AVG en art. 22 UAVG.",
    "De Wet gegevensverwerking door samenwerkingsverbanden (WGS) geldt sinds 1 maart 2025.",
    "De Jeugdwet, de Wmo 2015 en de Wet politiegegevens bieden een grondslag.",
    "Zaaknummer 2024-0312 is afgerond.",
    "Parketnummer 13/123456-24 loopt nog.",
    "Zie ECLI:NL:RVS:2023:1234 en ECLI:NL:HR:2019:1234.",
    "Het bedrag van € 1.250,00 is teruggevorderd.",
    "Een boete van EUR 123.456.782 is opgelegd.",
    "De boete was € 123456782 in totaal.",
    "Besluit van 12 maart 2024, kenmerk 2024/12345.",
    "Het besluit van 12-03-2024 is op 14-03-2024 verzonden.",
    "Ons kenmerk 123456782.",
    "Zaaknummer 123456782 is gesloten.",
    "KvK-nummer 123456782 van de B.V. Utrecht is bekend.",
    "Overleg met Veilig Thuis, CoMensha en het Openbaar Ministerie.",
    "Melding door de Gemeente Utrecht aan RIEC Amsterdam-Amstelland.",
    "De Raad voor de Kinderbescherming en de Nationale Politie zijn geïnformeerd.",
    "De jeugdwerker sprak met de wijkagent en de leerplichtambtenaar.",
    "Maandag is overlegd. Dinsdag volgt een besluit. Maart was druk.",
    "In januari 2025 startte het project.",
    "Bel Veilig Thuis via 0800-2000 of de politie via 0900-8844.",
    "Cliënte X en meneer A. zijn gesproken; betrokkene 1 weigerde.",
    "Het slachtoffer, een jongere Marokkaanse vrouw, is opgevangen.",
    "Een Poolse man en een Roemeense vrouw werkten er.",
    "Het Emma Kinderziekenhuis en het Sophia Kinderziekenhuis zijn betrokken.",
    "Overleg met de William Schrikker Stichting.",
    "De Nationaal Rapporteur Mensenhandel publiceerde in 2024 een rapport.",
    "Op 3 maart 2025 om 10:30 uur is gesproken.",
    "De termijn is 6 weken; zie ook 4 jaar bewaartermijn.",
    "Ben je het daarmee eens? Rob zegt iets.",
    "Max. 3 personen krijgen inzage.",
    "Er zijn 12 meldingen in 2024 EU-breed gedaan.",
    "In 2024 OM en politie samen.",
    "De loopbaan 3 jaar later is niet bekend.",
    "Het Gerechtshof 's-Hertogenbosch deed uitspraak.",
    "Stuur vragen naar info@ketenwijs.example of meldpunt@comensha.example.",
    "Het pand in Sint Maarten is onderzocht.",
    "Zie bijlage A. Daarna volgt het advies.",
    "Ketenwijs B.V. Utrecht levert de software.",
    "De rechtbank Noord-Holland sprak op 15 Jan 2024 recht.",
    "Gesprek op 06-12-2024 10:00 uur.",
    "Hoofdstuk 3, paragraaf 2.1 en tabel 4 geven het overzicht.",
    "De kosten bedroegen 1.234.567 euro.",
    "Telefoonnummer van de gemeente: 14 030.",
    "Het convenant is in 2019 EU-breed gedeeld.",
]


@pytest.mark.parametrize("text", NEGATIVE, ids=[t[:40] for t in NEGATIVE])
def test_language_of_decisions_is_not_flagged(text: str) -> None:
    assert check_text(text) == []


def test_hits_are_sorted_and_do_not_overlap() -> None:
    text = (
        "Op 12 maart 2024 sprak ik met mevrouw Fatima de Vries-Bakker (BSN 123456782), wonend "
        "aan de Kerkstraat 12, 3511 AB Utrecht. Zij is bereikbaar op 06-12345678 en via "
        "f.devries@example.nl. Haar werkgever, Jan Pietersen, belde op 14-03-2024 vanuit "
        "Amsterdam. IBAN NL91ABNA0417164300."
    )
    hits = check_text(text)
    assert [(h.kind, h.text) for h in hits] == [
        ("person_name", "Fatima de Vries-Bakker"),
        ("bsn", "123456782"),
        ("address", "Kerkstraat 12, 3511 AB Utrecht"),
        ("phone", "06-12345678"),
        ("email", "f.devries@example.nl"),
        ("person_name", "Jan Pietersen"),
        ("iban", "NL91ABNA0417164300"),
    ]
    for before, after in itertools.pairwise(hits):
        assert before.end <= after.start
    assert all(text[h.start : h.end] == h.text for h in hits)


def test_offsets_count_characters_not_bytes() -> None:
    text = "Één opmerking: BSN 123456782."
    (hit,) = check_text(text)
    assert (hit.start, hit.end) == (19, 28)


@pytest.mark.parametrize(
    ("text", "absent_kind"),
    [
        ("Nummer 123456789 in het dossier.", "bsn"),
        ("Nummer 1234.56.789 in het dossier.", "bsn"),
        ("Rekening NL91ABNA0417164301.", "iban"),
        ("Rekening DE89 3704 0044 0532 0130 01.", "iban"),
    ],
)
def test_failed_checksum_is_never_called_bsn_or_iban(text: str, absent_kind: str) -> None:
    assert absent_kind not in {hit.kind for hit in check_text(text)}


def test_more_specific_kind_wins_an_overlap() -> None:
    # The BSN keyword makes the number both a BSN candidate and an "other" id; BSN wins.
    assert [h.kind for h in check_text("BSN: 123456782")] == ["bsn"]


def test_email_with_a_name_is_one_email_hit() -> None:
    assert [h.kind for h in check_text("Mail Fatima.Yilmaz@example.nl")] == ["email"]


def test_hit_to_dict_has_the_cli_shape() -> None:
    assert Hit("bsn", 4, 13, "123456782").to_dict() == {
        "kind": "bsn",
        "start": 4,
        "end": 13,
        "text": "123456782",
    }


def test_kinds_are_the_closed_set_of_the_spec() -> None:
    assert HIT_KINDS == (
        "bsn",
        "iban",
        "phone",
        "email",
        "date_of_birth",
        "person_name",
        "address",
        "other",
    )


def test_empty_text_has_no_hits() -> None:
    assert check_text("") == []


def test_name_lists_have_no_month_names() -> None:
    from ketenwijs.privacy.lexicon import MONTHS_AND_DAYS, load_name_lists

    lists = load_name_lists()
    every = lists.first_names | lists.ambiguous_first_names | lists.surnames
    assert not {name.lower() for name in every} & MONTHS_AND_DAYS
    assert len(lists.first_names) > 400

"""Loading rules: the packaged content is valid; every broken file fails with its message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from ketenwijs.content import ContentError
from ketenwijs.sharing import PACKAGED_RULES, Rulebook, VersionError, load_rulebook
from ketenwijs.sharing.rulebook import _Loader
from ketenwijs.sharing.schema import SourceDef, SourcesFile

BROKEN = Path(__file__).parent / "broken"


def test_packaged_rules_load_with_three_dated_versions(rulebook: Rulebook) -> None:
    assert [v.version.id for v in rulebook.versions] == ["2018-05-25", "2022-10-01", "2025-03-01"]
    assert len(rulebook.sha256) == 64


def test_load_is_cached_per_path() -> None:
    assert load_rulebook() is load_rulebook(PACKAGED_RULES)


def test_every_research_question_1_to_14_has_a_check_or_is_a_condition(rulebook: Rulebook) -> None:
    covered = {c.research_question for c in rulebook.checks.values()}
    # Question 10 (accuracy) and 13 (security/logging) are conditions to fulfil, not checks.
    assert set(range(1, 15)) - {10, 13} <= covered
    assert {"accuracy_facts_vs_opinions", "security_and_logging"} <= {
        c.id for c in rulebook.conditions
    }


def test_every_check_cites_at_least_one_source_on_an_official_site(rulebook: Rulebook) -> None:
    for check in rulebook.checks.values():
        assert check.sources
        for source in check.sources:
            assert source.url.startswith(
                ("https://wetten.overheid.nl/", "https://eur-lex.europa.eu/", "https://zoek.")
            )


def test_version_before_the_first_is_refused(rulebook: Rulebook) -> None:
    import datetime as dt

    with pytest.raises(VersionError, match="the rules start on 2018-05-25"):
        rulebook.version_for(dt.date(2018, 5, 24))


def test_unknown_version_id_suggests_the_nearest(rulebook: Rulebook) -> None:
    with pytest.raises(VersionError, match="did you mean '2025-03-01'"):
        rulebook.version("2025-03-02")


def test_missing_rules_folder_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="rules directory not found"):
        _Loader(tmp_path / "nope").load()


def _expected(path: Path) -> str:
    marker = "# expect: "
    lines = [line for line in path.read_text().splitlines() if line.startswith(marker)]
    return lines[0][len(marker) :]


@pytest.mark.parametrize("broken", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_broken_rule_file_fails_with_file_line_and_cause(broken: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(PACKAGED_RULES, rules, ignore=shutil.ignore_patterns("scenarios"))
    if broken.name.startswith("check_"):
        target = "checks/99-broken.yaml"
    else:
        target = broken.name.split("_")[0] + ".yaml"
    (rules / target).write_text(broken.read_text())
    with pytest.raises(ContentError) as exc:
        _Loader(rules, analyse_routes=True).load()
    assert str(exc.value).replace(f"{rules}/", "") == _expected(broken)


def test_packaged_rules_have_no_conflicting_route_in_any_version() -> None:
    # The exhaustive route search runs here and in `rules validate`, not at every load.
    from ketenwijs.sharing import analyse_rulebook

    assert analyse_rulebook().route_pairs


def test_law_text_is_either_read_words_or_a_reason_and_matches_verified() -> None:
    """A source's own words are read (then it is verified) or not read with a reason (issue 12)."""
    data = yaml.safe_load((PACKAGED_RULES / "sources.yaml").read_text(encoding="utf-8"))
    sources = SourcesFile.model_validate(data).sources
    with_text = {k: s for k, s in sources.items() if s.law_text is not None}
    assert with_text
    for key, source in with_text.items():
        assert source.law_text is not None
        if source.law_text.status == "read":
            # A partly read article (e.g. AVG 28 lid 1-2) may stay unverified, with its note.
            assert source.verified or source.note is not None, key
            version = source.law_text.version_date
            assert version is None or source.law_text.read_on >= version, key
    base = {"law": "X", "title": "X", "article": "1", "url": "https://wetten.overheid.nl/BWBR1"}
    with pytest.raises(ValidationError):
        SourceDef.model_validate({**base, "verified": False, "law_text": {"status": "maybe"}})
    with pytest.raises(ValidationError):  # a read text needs its date and place
        SourceDef.model_validate(
            {**base, "verified": True, "law_text": {"status": "read", "nl": "x"}}
        )


# -- issue 12: the law's own words -------------------------------------------------------------


def _copy_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(PACKAGED_RULES, rules, ignore=shutil.ignore_patterns("scenarios"))
    return rules


def _line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_every_cited_source_has_its_wording_or_a_reason(rulebook: Rulebook) -> None:
    cited = [s for c in rulebook.checks.values() for s in c.sources]
    cited += [s for c in rulebook.checks.values() for ss in c.regime_sources.values() for s in ss]
    cited += [s for c in rulebook.conditions for s in c.sources]
    assert cited
    for source in cited:
        assert source.law_text is not None, source.cite
        if source.law_text.status == "read":
            assert source.law_text.nl.strip(), source.cite
        else:
            assert source.law_text.reason.nl, source.cite
            assert source.law_text.reason.en, source.cite
        if not source.verified:
            assert source.note is not None, source.cite  # the reason users see


def test_cited_source_without_law_text_fails_with_file_and_line(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    path = rules / "sources.yaml"
    text = path.read_text()
    block_start = text.index("\n  wpg-18:\n")
    line_start = text.index("\n    law_text:", block_start)
    line_end = text.index("\n", line_start + 1)
    path.write_text(text[:line_start] + text[line_end:])
    with pytest.raises(ContentError) as exc:
        _Loader(rules).load()
    # The error points at the source's entry (its first field, the line after its id).
    line = _line_of(path.read_text(), "  wpg-18:") + 1
    message = str(exc.value).replace(f"{rules}/", "")
    assert message.startswith(f"sources.yaml:{line}: source 'wpg-18' is cited (")
    assert "has no law_text" in message


def test_a_url_with_another_bwb_id_than_its_law_is_refused(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    path = rules / "sources.yaml"
    # The mistake issue 12 found: Wet Bibob linked as BWBR0013287 instead of BWBR0013798.
    path.write_text(
        path.read_text().replace(
            "    url: https://wetten.overheid.nl/BWBR0013798\n",
            "    url: https://wetten.overheid.nl/BWBR0013287\n",
            1,
        )
    )
    with pytest.raises(ContentError) as exc:
        _Loader(rules).load()
    assert "url names BWBR0013287 but laws: gives BWBR0013798" in str(exc.value)


def test_law_text_is_read_or_not_read_and_official_only_on_an_official_site() -> None:
    from pydantic import ValidationError

    from ketenwijs.sharing.schema import SourceDef

    base = {
        "law": "Wpg",
        "title": "Wet politiegegevens",
        "article": "18",
        "url": "https://wetten.overheid.nl/BWBR0022463",
        "verified": True,
    }
    read = {"status": "read", "nl": "Tekst.", "read_on": "2026-12-05", "official": True}
    ok = SourceDef.model_validate(
        {**base, "law_text": {**read, "at": "https://wetten.overheid.nl/BWBR0022463/2025-06-01"}}
    )
    assert ok.law_text is not None
    assert ok.law_text.status == "read"
    with pytest.raises(ValidationError, match="official: true needs a page on"):
        SourceDef.model_validate({**base, "law_text": {**read, "at": "https://example.org/wpg"}})
    with pytest.raises(ValidationError):  # a not_read statement carries a reason, not a text
        SourceDef.model_validate({**base, "law_text": {"status": "not_read", "nl": "Tekst."}})
    with pytest.raises(ValidationError, match="verified: false needs a note"):
        SourceDef.model_validate({**base, "verified": False})


def test_deep_link_goes_to_the_law_as_in_force_on_the_day(rulebook: Rulebook) -> None:
    import datetime as dt

    day = dt.date(2022, 10, 1)
    sources = {s.cite: s for c in rulebook.checks.values() for s in c.sources}
    bibob = sources["Wet Bibob 28"]
    assert bibob.url_on(day) == "https://wetten.overheid.nl/BWBR0013798/2022-10-01"
    avg = sources["AVG 6(1)(e)"]
    assert avg.url_on(day) == "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
    assert bibob.to_dict(day)["url_in_force"] == "https://wetten.overheid.nl/BWBR0013798/2022-10-01"
    assert "url_in_force" not in bibob.to_dict()  # without a day: the §4.1 form
    law_text = bibob.law_text_dict()
    assert law_text is not None
    assert law_text["status"] == "not_read"

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
            assert source.verified, key
            assert source.read is not None, key
            assert source.law_text.read_on >= source.law_text.version_date, key
        else:
            assert not source.verified, key
    base = {"law": "X", "title": "X", "article": "1", "url": "https://wetten.overheid.nl/BWBR1"}
    with pytest.raises(ValidationError):
        SourceDef.model_validate({**base, "verified": False, "law_text": {"status": "maybe"}})
    with pytest.raises(ValidationError):  # a read text needs its date and place
        SourceDef.model_validate(
            {**base, "verified": True, "law_text": {"status": "read", "nl": "x"}}
        )

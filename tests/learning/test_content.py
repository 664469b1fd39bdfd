"""The packaged learning content loads; broken content files fail with file, line and cause."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketenwijs.content import ContentError, load_yaml_file
from ketenwijs.learning import (
    PACKAGED_CONTENT,
    LearningContentError,
    check_learning_content,
    load_learning_content,
)
from ketenwijs.learning.content import (
    check_cards,
    check_explainer,
    check_lesson,
    check_quiz,
    check_scenario,
    content_sha256,
)
from ketenwijs.learning.spot import check_spot_note

BROKEN = Path(__file__).parent / "broken"
CHECKERS = {
    "scenario": check_scenario,
    "lesson": check_lesson,
    "quiz": check_quiz,
    "explainer": check_explainer,
    "cards": check_cards,
    "spot": check_spot_note,
}


def _first_error(path: Path) -> str:
    sources = load_learning_content().sources
    checker = CHECKERS[path.name.split("_")[0]]
    try:
        _, errors = checker(load_yaml_file(path), sources)
    except ContentError as exc:
        return exc.render()
    assert errors, f"{path.name} was accepted"
    return errors[0].render()


def _expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} has no '# expect:' line"
    return first.removeprefix("# expect: ").replace("{file}", str(path))


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_broken_file_fails_with_its_exact_message(path: Path) -> None:
    assert _first_error(path) == _expected(path)


def test_broken_folder_covers_every_kind_of_file() -> None:
    kinds = {path.name.split("_")[0] for path in BROKEN.glob("*.yaml")}
    assert kinds == set(CHECKERS)


def test_packaged_content_is_valid_and_complete() -> None:
    content, errors = check_learning_content()
    assert errors == []
    assert content is not None
    assert len(content.lessons) >= 9
    assert len(content.scenarios) >= 12
    assert len(content.explainer.trajectories) >= 3
    assert len(content.sha256) == 64


def test_scenarios_cover_the_stereotype_breaking_cases_and_one_non_exploitation_case() -> None:
    content = load_learning_content()
    ids = {s.id for s in content.scenarios}
    assert {
        "vriendin-die-werft",
        "vriendengroep",
        "gewelddadig-netwerk",
        "alleen-online",
        "slachtoffer-werft",
        "jongen-als-slachtoffer",
        "volwassene-met-lvb",
        "geen-uitbuiting",
        "moeder-en-stiefvader",
        "de-vaste-gast",
        "jongen-niet-uit",
        "ze-ontkent",
    } <= ids
    assert [s.id for s in content.scenarios if not s.is_exploitation] == ["geen-uitbuiting"]


def test_every_fact_has_a_source_with_a_year() -> None:
    content = load_learning_content()
    for lesson in content.lessons:
        for section in lesson.sections:
            for paragraph in section.paragraphs:
                for ref in paragraph.sources:
                    assert content.sources[ref].year >= 1990, (lesson.id, ref)


def test_facts_resting_on_unverified_sources_are_marked_uncertain_in_the_lesson() -> None:
    content = load_learning_content()
    for lesson in content.lessons:
        for section in lesson.sections:
            for paragraph in section.paragraphs:
                if not any(content.sources[ref].verified for ref in paragraph.sources):
                    assert paragraph.uncertain is not None, (lesson.id, paragraph.text.nl[:40])


def test_every_source_has_a_kind_and_no_news_counts_as_verified() -> None:
    sources = load_learning_content().sources
    assert {source.kind.value for source in sources.values()} <= {
        "statute",
        "case_law",
        "official_report",
        "study",
        "news",
    }
    for source_id, source in sources.items():
        if source.kind.value == "news":
            assert not source.verified, source_id
        if not source.verified:
            assert source.not_verified is not None, source_id


def _all_dutch_text() -> str:
    root = PACKAGED_CONTENT
    return " ".join(path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.yaml")))


def test_no_content_says_half_of_perpetrators_are_minors() -> None:
    text = _all_dutch_text().lower()
    assert "én daders" not in text
    assert "and perpetrators are minors" not in text
    lesson = load_learning_content().lesson("dader-en-slachtoffer")
    assert lesson is not None
    paragraph = lesson.sections[0].paragraphs[0]
    assert "een derde van de daders" in paragraph.text.nl
    assert "jonger dan 23" in paragraph.text.nl
    assert "nr-dadermonitor-2019" in paragraph.sources
    assert paragraph.time_sensitive is not None


def test_reform_of_273f_is_dated_and_says_to_check_the_status() -> None:
    content = load_learning_content()
    lesson = content.lesson("wat-is-uitbuiting")
    assert lesson is not None
    dated = [p for s in lesson.sections for p in s.paragraphs if "36 547" in p.text.nl]
    assert len(dated) == 1
    reform = dated[0]
    assert "36 835" in reform.text.nl
    assert "controleer" in reform.text.nl
    assert "aanhangig" not in reform.text.nl
    assert reform.time_sensitive is not None
    assert reform.time_sensitive.review_by > reform.time_sensitive.as_of
    card = content.card("herziening")
    assert card is not None
    assert card.time_sensitive is not None


def test_the_term_loverboy_appears_only_to_deconstruct_it() -> None:
    content = load_learning_content()
    for lesson in content.lessons:
        for section in lesson.sections:
            for paragraph in section.paragraphs:
                if "loverboy" in paragraph.text.nl.lower():
                    assert "'loverboy'" in paragraph.text.nl, lesson.id


def test_content_hash_changes_when_a_file_changes(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "learning"
    shutil.copytree(PACKAGED_CONTENT, copy)
    before = content_sha256(copy)
    (copy / "quiz.yaml").write_text(
        (copy / "quiz.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert content_sha256(copy) != before


def test_a_folder_with_several_broken_files_reports_all_of_them(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "learning"
    shutil.copytree(PACKAGED_CONTENT, copy)
    shutil.copy(BROKEN / "scenario_dead_end.yaml", copy / "scenarios")
    shutil.copy(BROKEN / "cards_duplicate_id.yaml", copy / "cards")
    content, errors = check_learning_content(copy)
    assert content is None
    rendered = [error.render() for error in errors]
    assert any("is a dead end" in line for line in rendered)
    assert any("duplicate card id 'minderjarigen'" in line for line in rendered)
    with pytest.raises(LearningContentError) as caught:
        load_learning_content(copy)
    assert len(str(caught.value).splitlines()) == len(errors)


def test_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    content, errors = check_learning_content(tmp_path / "nowhere")
    assert content is None
    assert [e.render() for e in errors] == [
        f"{tmp_path / 'nowhere'}: learning content folder not found"
    ]

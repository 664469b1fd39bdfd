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
from ketenwijs.learning.schema import Certainty

BROKEN = Path(__file__).parent / "broken"
CHECKERS = {
    "scenario": check_scenario,
    "lesson": check_lesson,
    "quiz": check_quiz,
    "explainer": check_explainer,
    "cards": check_cards,
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
    assert len(content.scenarios) >= 8
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
                certainties = {content.sources[ref].certainty for ref in paragraph.sources}
                if certainties == {Certainty.UNCERTAIN}:
                    assert paragraph.uncertain is not None, (lesson.id, paragraph.text.nl[:40])


def test_pending_reform_is_called_pending_not_in_force() -> None:
    lesson = load_learning_content().lesson("wat-is-uitbuiting")
    assert lesson is not None
    text = " ".join(p.text.nl for s in lesson.sections for p in s.paragraphs)
    assert "36 547" in text
    assert "aanhangig" in text


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

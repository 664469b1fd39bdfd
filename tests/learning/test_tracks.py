"""Role tracks: tracks.yaml is checked with file:line errors and did-you-mean suggestions, each
track selects lessons, scenarios and cards, and its material version follows a dated changelog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketenwijs.cli.main import cli
from ketenwijs.learning import (
    PACKAGED_CONTENT,
    changes_since,
    check_learning_content,
    evaluate_track_progress,
    load_learning_content,
    track_cards,
    track_fingerprint,
    track_lessons,
    track_scenarios,
)
from ketenwijs.learning.schema import ALL_TRACK, Profession

ROLE_TRACKS = {
    "school": Profession.SCHOOL,
    "huisarts-ggz": Profession.HUISARTS_GGZ,
    "wijkteam-gemeente": Profession.WIJKTEAM,
    "politie": Profession.POLITIE,
    "jeugdzorg": Profession.JEUGDZORG,
    "horeca-hotel": Profession.HORECA_HOTEL,
}


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "learning"
    shutil.copytree(PACKAGED_CONTENT, copy)
    return copy


def _edit_tracks(copy: Path, old: str, new: str, count: int = 1) -> Path:
    path = copy / "tracks.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    )


def test_six_role_tracks_and_the_module_wide_track() -> None:
    content = load_learning_content()
    assert {t.id for t in content.tracks} == {ALL_TRACK, *ROLE_TRACKS}
    for track_id, profession in ROLE_TRACKS.items():
        track = content.track(track_id)
        assert track is not None
        assert track.profession is profession
        scenarios = track_scenarios(track, content.scenarios)
        assert any(s.profession is profession for s in scenarios), track_id
        assert 0 < len(track_lessons(track, content.lessons)) <= len(content.lessons)
        assert 0 < len(track_cards(track, content.cards)) < len(content.cards)


def test_the_all_track_is_the_old_module_wide_rule() -> None:
    content = load_learning_content()
    track = content.track(ALL_TRACK)
    assert track is not None
    assert track.everything
    assert track_lessons(track, content.lessons) == content.lessons
    assert track_scenarios(track, content.scenarios) == tuple(
        s for s in content.scenarios if s.required
    )
    assert track_cards(track, content.cards) == content.cards


def test_track_progress_counts_only_the_tracks_lessons_and_scenarios() -> None:
    content = load_learning_content()
    track = content.track("horeca-hotel")
    assert track is not None
    everything_read = [les.id for les in content.lessons]
    progress = evaluate_track_progress(
        track, content.lessons, content.scenarios, everything_read, ["de-vaste-gast"], True
    )
    assert progress.lessons_missing == ()
    assert progress.lessons_total == len(track.lessons)
    assert set(progress.scenarios_missing) == set(track.scenarios) - {"de-vaste-gast"}
    assert not progress.is_complete
    done = evaluate_track_progress(
        track, content.lessons, content.scenarios, track.lessons, track.scenarios, True
    )
    assert done.is_complete
    no_quiz = evaluate_track_progress(
        track, content.lessons, content.scenarios, track.lessons, track.scenarios, False
    )
    assert not no_quiz.is_complete


def test_an_unknown_id_is_an_error_at_its_line_with_a_suggestion(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    path = _edit_tracks(copy, "scenarios: [de-vaste-gast,", "scenarios: [de-vaste-gasst,")
    _edit_tracks(copy, "      - sit-hotel-acuut\n", "      - sit-hotel-akuut\n")
    content, errors = check_learning_content(copy)
    assert content is None
    rendered = [e.render() for e in errors]
    assert (
        f"{path}:{_line_of(path, 'de-vaste-gasst')}: track 'horeca-hotel' names unknown "
        "scenario 'de-vaste-gasst' (did you mean 'de-vaste-gast'?)"
    ) in rendered
    assert (
        f"{path}:{_line_of(path, 'sit-hotel-akuut')}: track 'horeca-hotel' names unknown "
        "card 'sit-hotel-akuut' (did you mean 'sit-hotel-acuut'?)"
    ) in rendered


def test_a_version_bump_without_a_dated_change_is_refused(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    path = _edit_tracks(copy, "    material_version: 1\n", "    material_version: 2\n")
    result = CliRunner().invoke(cli, ["learning", "validate", str(copy)])
    assert result.exit_code == 1
    line = _line_of(path, "material_version: 2")
    assert (
        f"error: {path}:{line}: track 'all' has material_version 2 but its last change is "
        "version 1: add a dated entry to 'changes' when you bump the version"
    ) in result.stderr.splitlines()


def test_the_all_track_is_required(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _edit_tracks(copy, "  - id: all\n", "  - id: alles\n")
    content, errors = check_learning_content(copy)
    assert content is None
    assert any(
        "a track with id 'all' and 'everything: true' is required" in e.render() for e in errors
    )


def test_a_role_track_needs_a_scenario_in_its_own_setting(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _edit_tracks(
        copy,
        "scenarios: [de-vaste-gast, gewelddadig-netwerk, geen-uitbuiting]",
        "scenarios: [gewelddadig-netwerk, geen-uitbuiting]",
    )
    content, errors = check_learning_content(copy)
    assert content is None
    assert any(
        "track 'horeca-hotel' is for profession 'horeca_hotel' but none of its scenarios"
        in e.render()
        for e in errors
    )


def test_changes_since_lists_only_newer_entries(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _edit_tracks(
        copy,
        """    material_version: 1
    changes:
      - version: 1
        date: 2026-12-05
        text: {nl: "Eerste versie van deze route.", en: "First version of this track."}
""",
        """    material_version: 2
    changes:
      - version: 1
        date: 2026-12-05
        text: {nl: "Eerste versie van deze route.", en: "First version of this track."}
      - version: 2
        date: 2027-01-10
        text: {nl: "Nieuwe casus over webcamuitbuiting.", en: "New webcam scenario."}
""",
    )
    content, errors = check_learning_content(copy)
    assert content is not None, [e.render() for e in errors]
    school = content.track("school")
    assert school is not None
    assert school.material_version == 2
    assert [c.version for c in changes_since(school, 1)] == [2]
    assert changes_since(school, 2) == []


def test_the_fingerprint_follows_the_tracks_own_material() -> None:
    content = load_learning_content()
    school, horeca = content.track("school"), content.track("horeca-hotel")
    assert school is not None
    assert horeca is not None
    lessons, scenarios, questions = content.lessons, content.scenarios, content.quiz.questions
    before = {t.id: track_fingerprint(t, lessons, scenarios, questions) for t in (school, horeca)}
    # rechtmatig-delen is in the school track, not in the hotel track.
    assert "rechtmatig-delen" in school.lessons
    assert "rechtmatig-delen" not in horeca.lessons
    edited = tuple(
        les.model_copy(update={"order": les.order + 100}) if les.id == "rechtmatig-delen" else les
        for les in lessons
    )
    assert track_fingerprint(school, edited, scenarios, questions) != before["school"]
    assert track_fingerprint(horeca, edited, scenarios, questions) == before["horeca-hotel"]


@pytest.mark.parametrize("track_id", sorted(ROLE_TRACKS))
def test_every_track_scenario_can_end_well(track_id: str) -> None:
    from ketenwijs.learning.tracks import has_good_ending

    content = load_learning_content()
    track = content.track(track_id)
    assert track is not None
    assert all(has_good_ending(s) for s in track_scenarios(track, content.scenarios))

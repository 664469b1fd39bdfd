"""Sources carry a kind and a verified flag; time-sensitive facts carry stand-per and review."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketenwijs.cli.main import cli
from ketenwijs.content import ContentError, load_yaml_text, validate
from ketenwijs.learning import PACKAGED_CONTENT, check_learning_content
from ketenwijs.learning.content import overdue_reviews
from ketenwijs.learning.schema import SourcesFile


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "learning"
    shutil.copytree(PACKAGED_CONTENT, copy)
    return copy


def _sources_error(body: str) -> ContentError:
    located = load_yaml_text("sources:\n  a-source:\n" + body, "sources.yaml")
    with pytest.raises(ContentError) as caught:
        validate(SourcesFile, located)
    return caught.value


BASE = '    title: "T"\n    publisher: "P"\n    year: 2020\n'


def test_a_news_source_cannot_be_verified() -> None:
    error = _sources_error(BASE + "    kind: news\n    verified: true\n")
    assert error.line == 3
    assert "a news source cannot be verified" in error.reason


def test_an_unverified_source_must_say_why() -> None:
    error = _sources_error(BASE + "    kind: study\n    verified: false\n")
    assert "needs 'not_verified'" in error.reason


def test_a_source_without_kind_is_refused() -> None:
    error = _sources_error(BASE + "    verified: true\n")
    assert error.reason == "missing required key 'kind' at sources.a-source.kind"


def test_review_date_before_stand_per_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    lesson = copy / "lessons" / "wat-is-uitbuiting.yaml"
    text = lesson.read_text(encoding="utf-8")
    assert "review_by: 2027-03-01" in text
    lesson.write_text(text.replace("review_by: 2027-03-01", "review_by: 2026-01-01"), "utf-8")
    content, errors = check_learning_content(copy)
    assert content is None
    assert len(errors) == 1
    assert errors[0].path == lesson
    assert errors[0].line is not None
    assert "review_by must be after as_of" in errors[0].reason


def test_no_review_is_overdue_on_the_day_the_facts_were_checked() -> None:
    content, errors = check_learning_content()
    assert content is not None
    assert errors == []
    assert len(content.reviews) >= 4
    assert overdue_reviews(content, dt.date(2026, 12, 5)) == []


def test_a_passed_review_date_is_a_warning_naming_file_and_line() -> None:
    content, _ = check_learning_content()
    assert content is not None
    warnings = overdue_reviews(content, dt.date(2027, 3, 2))
    rendered = [w.render() for w in warnings]
    lesson = PACKAGED_CONTENT / "lessons" / "wat-is-uitbuiting.yaml"
    assert any(
        line.startswith(f"{lesson}:")
        and "review date 2027-03-01 of lesson 'wat-is-uitbuiting' has passed" in line
        for line in rendered
    )
    assert all(w.line is not None for w in warnings)
    # The victim/perpetrator figures are reviewed later (new monitors): not yet overdue.
    assert not any("dader-en-slachtoffer" in line for line in rendered)


def test_validate_warns_but_passes_once_a_review_date_has_passed() -> None:
    runner = CliRunner()
    today = runner.invoke(cli, ["learning", "validate", "--today", "2026-12-05"])
    assert today.exit_code == 0
    assert "warning:" not in today.stderr
    later = runner.invoke(cli, ["learning", "validate", "--today", "2028-01-01"])
    assert later.exit_code == 0
    assert later.stdout.startswith("learning: ")
    warnings = [line for line in later.stderr.splitlines() if line.startswith("warning: ")]
    content, _ = check_learning_content()
    assert content is not None
    assert len(warnings) == len(content.reviews) >= 4
    assert all("has passed (stand per 2026-12-05)" in line for line in warnings)

"""`ketenwijs learning validate`: exit 0 on valid content, 1 with every error as file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from ketenwijs.cli.main import cli
from ketenwijs.learning import PACKAGED_CONTENT

BROKEN = Path(__file__).parent / "broken"


def test_validate_packaged_content_exits_0_with_a_summary() -> None:
    result = CliRunner().invoke(cli, ["learning", "validate"])
    assert result.exit_code == 0
    assert result.stdout.startswith("learning: ")
    assert "12 scenarios" in result.stdout


def test_validate_lists_every_error_and_exits_1(tmp_path: Path) -> None:
    copy = tmp_path / "learning"
    shutil.copytree(PACKAGED_CONTENT, copy)
    shutil.copy(BROKEN / "scenario_unreachable.yaml", copy / "scenarios")
    shutil.copy(BROKEN / "quiz_two_correct.yaml", copy / "quiz.yaml")
    result = CliRunner().invoke(cli, ["learning", "validate", str(copy)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    scenario = copy / "scenarios" / "scenario_unreachable.yaml"
    assert f"error: {scenario}:25: node 'island' is unreachable from start 'start'" in lines
    quiz = copy / "quiz.yaml"
    assert f"error: {quiz}:9: question 'q1' needs exactly one correct answer, has 2" in lines
    pool = "the quiz pool has 1 questions; at least 40 are needed so that attempts differ"
    assert f"error: {quiz}:4: {pool}" in lines
    assert lines[-1] == "3 error(s) in the learning content"


def test_validate_fails_when_the_longest_option_is_mostly_the_best(tmp_path: Path) -> None:
    import yaml

    from ketenwijs.learning.schema import Effect
    from ketenwijs.learning.scoring import WEIGHTS

    copy = tmp_path / "learning"
    shutil.copytree(PACKAGED_CONTENT, copy)
    for path in sorted((copy / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for node in data["nodes"].values():
            choices = node.get("choices") or []
            for option in choices:
                points = sum(WEIGHTS[Effect(e)] for e in option.get("effects", []))
                if points == max(
                    sum(WEIGHTS[Effect(e)] for e in c.get("effects", [])) for c in choices
                ):
                    option["text"] = {
                        lang: f"{wording} Daarbij let je goed op, zorgvuldig en stap voor stap."
                        for lang, wording in option["text"].items()
                    }
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["learning", "validate", str(copy)])
    assert result.exit_code == 1
    assert "'always pick the longest' gives the answers away" in result.stderr
    assert "at most 40% allowed" in result.stderr

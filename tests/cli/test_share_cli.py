"""`ketenwijs share`: assess (exit codes per §4.1), interview, rules validate/test, infographic."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketenwijs.cli.main import cli
from ketenwijs.sharing import PACKAGED_RULES
from tests.sharing.conftest import complete_case


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["share", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_assess_prints_the_contract_json_and_exits_0(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(complete_case()))
    code, out, _ = _run("assess", "--case", str(case))
    assert code == 0
    data = json.loads(out)
    assert data["outcome"] == "allowed_with_conditions"
    assert data["ruleset"]["id"] == "delen"
    assert len(data["ruleset"]["sha256"]) == 64


def test_assess_reads_stdin_and_prints_text() -> None:
    code, out, _ = _run(
        "assess", "--case", "-", "--format", "text", input=json.dumps(complete_case())
    )
    assert code == 0
    assert out.startswith("Uitkomst: Toegestaan onder voorwaarden")


def test_assess_invalid_field_exits_2_naming_the_field() -> None:
    code, _, err = _run("assess", "--case", "-", input=json.dumps({"recipent": "police"}))
    assert code == 2
    assert "error: recipent: unknown field" in err
    assert "did you mean 'recipient'?" in err


def test_assess_invalid_json_exits_2() -> None:
    code, _, err = _run("assess", "--case", "-", input="{not json")
    assert code == 2
    assert "invalid JSON at line 1" in err


def test_assess_date_before_the_rules_exits_2() -> None:
    code, _, err = _run("assess", "--case", "-", input=json.dumps({"reference_date": "2010-01-01"}))
    assert code == 2
    assert "reference_date: no rule-set version covers 2010-01-01" in err


def test_interview_in_the_terminal_gives_the_urgent_answer_first() -> None:
    # acute danger: yes; sender: school (15); recipient: Veilig Thuis (12)
    code, out, _ = _run("interview", "--lang", "en", input="yes\n15\n12\n")
    assert code == 0
    assert "Outcome: Allowed with conditions" in out
    assert "Call 112" in out


def test_interview_back_goes_to_the_previous_question() -> None:
    code, out, _ = _run("interview", "--lang", "en", input="no\nback\nyes\n15\n12\n")
    assert code == 0
    assert out.count("\nIs there acute danger") == 2  # asked twice (the result may quote it too)


def test_interview_refuses_a_contradicting_answer_and_asks_again() -> None:
    """Delen 3: a BSN with 'pseudonymised' is an error at the question, not a traceback."""
    # acute no; municipality (1) -> police (3); trafficking; bilateral; incidental;
    # pseudonymised (2); kinds: BSN (2) refused, then ordinary (1); the rest answered.
    answers = "no\n1\n3\n1\n1\n1\n2\n2\n1\nno\n3\nyes\nno\nyes\n1\n"
    code, out, err = _run("interview", "--lang", "en", input=answers)
    assert code == 0
    assert "data_categories: contradicts personal_data" in err
    assert "not pseudonymised" in err
    assert out.count("\nWhich kinds of data or information") == 2
    assert "Outcome: Allowed with conditions" in out


def test_rules_validate_reports_ok() -> None:
    code, out, _ = _run("rules", "validate")
    assert code == 0
    assert out.startswith("ok: delen:")


def test_rules_validate_broken_folder_exits_1_with_file_and_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(PACKAGED_RULES, rules)
    broken = Path(__file__).parents[1] / "sharing" / "broken" / "check_unknown_fact.yaml"
    shutil.copy(broken, rules / "checks" / "99-broken.yaml")
    code, _, err = _run("rules", "validate", str(rules))
    assert code == 1
    assert "checks/99-broken.yaml:6: unknown fact 'sendr' (did you mean 'sender'?)" in err


def test_rules_test_runs_all_scenarios() -> None:
    code, out, _ = _run("rules", "test")
    assert code == 0
    assert out.splitlines()[-1].endswith("0 failed")


def test_rules_test_failing_scenario_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scenarios:\n  - name: Municipality to police, wrongly expected to be allowed\n"
        f"    case: {json.dumps(complete_case())}\n"
        "    expect: {outcome: allowed, cites: [AVG 5(2)]}\n"
    )
    code, out, _ = _run("rules", "test", "--scenarios", str(bad))
    assert code == 1
    assert "FAIL  Municipality to police" in out
    assert "bad.yaml:2: outcome" in out


def test_infographic_writes_svg_and_text(tmp_path: Path) -> None:
    svg, txt = tmp_path / "d.svg", tmp_path / "d.txt"
    code, _, _ = _run("infographic", "--out", str(svg), "--text", str(txt), "--date", "2024-01-01")
    assert code == 0
    assert svg.read_text().startswith("<svg")
    assert "2022-10-01" in txt.read_text()


def test_contradictory_case_exits_2_naming_the_fields() -> None:
    case = {**complete_case(), "personal_data": "none", "data_categories": ["bsn"]}
    code, out, err = _run("assess", "--case", "-", input=json.dumps(case))
    assert code == 2
    assert out == ""
    assert "personal_data" in err
    assert "data_categories" in err


def test_pseudonymised_case_with_a_bsn_exits_2_naming_the_fields() -> None:
    case = {**complete_case(), "personal_data": "pseudonymised", "data_categories": ["bsn"]}
    code, out, err = _run("assess", "--case", "-", input=json.dumps(case))
    assert code == 2
    assert out == ""
    assert "personal_data" in err
    assert "data_categories" in err
    assert "not pseudonymised" in err


def test_rules_validate_reports_the_route_analysis() -> None:
    code, out, _ = _run("rules", "validate")
    assert code == 0
    assert "no conflicting route" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"reference_date": ' + "[" * 5000 + "]" * 5000 + "}",
            "nested more than a thousand levels deep",
        ),
        ('{"reference_date": ' + "1" * 5000 + "}", "a number of 5,000 characters; at most 20"),
        ('{"sender": "police", "sender": "fiod"}', "the key 'sender' appears twice"),
        ("x" * 100_000, "is larger than the limit of 64 kB"),
    ],
)
def test_hostile_case_files_exit_2_with_one_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "case.json"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["share", "assess", "--case", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_repeated_categories_and_huge_values_are_refused_and_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(
        json.dumps({"data_categories": ["ordinary", "ordinary"], "purpose": "x" * 30_000}),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["share", "assess", "--case", str(path)])
    assert result.exit_code == 2
    assert "data_categories: lists 'ordinary' more than once" in result.stderr
    assert "(30,002 characters)" in result.stderr
    assert len(result.stderr) < 2_000


def test_a_case_file_with_a_utf8_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(complete_case()).encode("utf-8"))
    result = CliRunner().invoke(cli, ["share", "assess", "--case", str(path)])
    assert result.exit_code == 0, result.stderr


def test_infographic_into_a_missing_folder_exits_2_with_a_message(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.svg"
    result = CliRunner().invoke(cli, ["share", "infographic", "--out", str(target)])
    assert result.exit_code == 2
    assert f"error: --out: cannot write {target}: No such folder" in result.stderr
    written = tmp_path / "ok.svg"
    both = ["share", "infographic", "--out", str(written), "--text", str(target)]
    assert CliRunner().invoke(cli, both).exit_code == 2
    assert not written.exists()  # nothing half-written


def _bibob_case(tmp_path: Path) -> Path:
    case = tmp_path / "case.json"
    data = complete_case(
        reference_date="2021-06-01",
        recipient="municipality",
        purpose="bibob_screening",
        data_categories=["bibob"],
        data_subject_informed="restriction_applies",
    )
    case.write_text(json.dumps(data))
    return case


def test_assess_compare_date_prints_per_check_what_changed_and_why(tmp_path: Path) -> None:
    case = _bibob_case(tmp_path)
    code, out, _ = _run("assess", "--case", str(case), "--compare-date", "2023-03-01")
    assert code == 0
    data = json.loads(out)
    assert (data["a"]["outcome"], data["b"]["outcome"]) == (
        "not_allowed",
        "allowed_with_conditions",
    )
    assert data["outcome_changed"] is True
    changed = [c for c in data["checks"] if c["changed"]]
    assert [c["id"] for c in changed] == ["bibob_secrecy"]
    assert changed[0]["why"]["parameters"] == ["bibob_sharing_between_bodies"]
    code, out, _ = _run(
        "assess", "--case", str(case), "--compare-date", "2023-03-01", "--format", "text"
    )
    assert code == 0
    assert out.startswith("Vergelijking van twee peildata\nDatum A: 2021-06-01")
    assert "Waarom: Sinds 1 oktober 2022" in out


def test_assess_compare_date_in_the_same_version_changes_nothing(tmp_path: Path) -> None:
    case = _bibob_case(tmp_path)
    code, out, _ = _run(
        "assess", "--case", str(case), "--compare-date", "2019-01-01", "--format", "text",
        "--lang", "en",
    )  # fmt: skip
    assert code == 0
    assert "The outcome is the same." in out
    assert "Checks that changed:\n  - None." in out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-13-01", "error: --compare-date: '2023-13-01' is not a date (YYYY-MM-DD)"),
        ("2001-01-01", "error: --compare-date: no rule-set version covers 2001-01-01"),
    ],
)
def test_assess_bad_compare_date_exits_2(tmp_path: Path, value: str, message: str) -> None:
    code, out, err = _run("assess", "--case", str(_bibob_case(tmp_path)), "--compare-date", value)
    assert code == 2
    assert out == ""
    assert message in err


def test_assess_shows_what_would_change_the_outcome_in_json_and_text(tmp_path: Path) -> None:
    case = _bibob_case(tmp_path)
    code, out, _ = _run("assess", "--case", str(case))
    assert code == 0
    changes = json.loads(out)["what_would_change"]
    assert changes
    code, out, _ = _run("assess", "--case", str(case), "--format", "text")
    assert "Wat de uitkomst zou veranderen:" in out
    assert changes[0]["text"]["nl"] in out


def test_rules_test_verbose_lists_each_scenarios_origin() -> None:
    code, out, _ = _run("rules", "test", "--verbose")
    assert code == 0
    assert "      origin: ecli: ECLI:NL:RBDHA:2024:14061 <https://uitspraken.rechtspraak.nl/" in out
    assert "      origin: kamerstuk: Kamerstukken II 2020/21, 35 447, nr. 6" in out
    assert "      origin: -" in out  # scenarios without a confirmed origin say so
    assert " scenarios name their origin" in out
    code, quiet, _ = _run("rules", "test")
    assert "origin:" not in quiet


def test_assess_with_law_text_shows_the_wording_or_why_not_and_the_link_at_the_date() -> None:
    # Issue 12: next to every cited article its wording as read, or a statement that it was not
    # read (never a paraphrase), and a link to the law as in force on the reference date.
    case = json.dumps(complete_case(reference_date="2025-06-01"))
    code, out, _ = _run("assess", "--case", "-", "--format", "text", "--law-text", input=case)
    assert code == 0
    section = out[out.index("Wettekst (geldend op 2025-06-01):") :]
    # A source read in a verbatim reproduction: its text, where and when, and the version caveat.
    avg = section[section.index("  AVG 6(1)(e) (") :]
    assert "    Link: https://eur-lex.europa.eu/eli/reg/2016/679/oj" in avg
    assert "Gelezen op 2026-12-05 op https://avgb.nl/art-6-avg" in avg
    assert "versiedatum onbekend" in avg
    assert "    | e) de verwerking is noodzakelijk voor de vervulling van een taak" in avg
    # A source not read: the statement with its reason, and the dated link.
    bibob = section[section.index("  Wet Bibob 28 (") :]
    assert bibob.splitlines()[1] == "    Link: https://wetten.overheid.nl/BWBR0013798/2025-06-01"
    assert bibob.splitlines()[2].startswith("    Tekst niet gelezen: Alleen de uitleg van Justis")
    # Without the option the text report is unchanged.
    _, plain, _ = _run("assess", "--case", "-", "--format", "text", input=case)
    assert "Wettekst (geldend op" not in plain
    assert out[: out.index("\n\nWettekst (geldend op")] + out[out.rindex("\n\n") :] == plain


def test_assess_json_gains_law_text_and_the_dated_link_per_source() -> None:
    case = json.dumps(complete_case(reference_date="2025-06-01"))
    code, out, _ = _run("assess", "--case", "-", input=case)
    assert code == 0
    data = json.loads(out)
    sources = [s for check in data["checks"] for s in check["sources"]]
    bibob = next(s for s in sources if s["law"] == "Wet Bibob" and s["article"] == "28")
    assert bibob["url"] == "https://wetten.overheid.nl/BWBR0013798"  # §4.1 field unchanged
    assert bibob["url_in_force"] == "https://wetten.overheid.nl/BWBR0013798/2025-06-01"
    # The wording is listed once per cited article, not at every citation.
    texts = {(t["law"], t["article"]): t for t in data["law_texts"]}
    assert len(texts) == len(data["law_texts"])
    assert {(s["law"], s["article"]) for s in sources} <= set(texts)
    entry = texts[("Wet Bibob", "28")]
    assert entry["url_in_force"] == bibob["url_in_force"]
    assert entry["law_text"]["status"] == "not_read"
    assert set(entry["law_text"]["reason"]) == {"nl", "en"}
    read = texts[("AVG", "6(1)(e)")]["law_text"]
    assert set(read) == {"status", "nl", "version_date", "read_on", "at", "official"}
    assert read["official"] is False
    assert read["at"] == "https://avgb.nl/art-6-avg"

"""`ketenwijs signals`: scan files, folders, JSONL and stdin; per-file errors; content checks."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from ketenwijs.cli.main import cli
from ketenwijs.signals.library import DEFAULT_ROOT

NOTE = "Ze moet van hem seks hebben met zijn vrienden. Er zijn geen blauwe plekken."


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["signals", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_scan_stdin_as_json_has_findings_and_summary() -> None:
    code, out, _ = _run("scan", "-", stdin=NOTE)
    assert code == 0
    (doc,) = json.loads(out)
    assert doc["id"] == "-"
    contexts = {(f["indicator"], f["context"]) for f in doc["findings"]}
    assert contexts == {("sex_with_others_arranged", "affirmed"), ("physical_injuries", "negated")}
    assert doc["summary"]["exploitation"]["indicators"] == ["sex_with_others_arranged"]
    first = doc["findings"][0]
    assert NOTE[first["start"] : first["end"]] == first["text"]


def test_scan_folder_recursively_and_jsonl_in_input_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Ze spijbelt.", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text("Ze is weggelopen.", encoding="utf-8")
    (tmp_path / "skip.csv").write_text("niet scannen", encoding="utf-8")
    corpus = tmp_path / "sub" / "c.jsonl"
    corpus.write_text('{"id": 7, "text": "Hij houdt haar paspoort."}\n\n', encoding="utf-8")
    code, out, _ = _run("scan", str(tmp_path), "--format", "jsonl")
    assert code == 0
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["id"] for d in docs] == [str(tmp_path / "a.txt"), str(tmp_path / "sub/b.md"), "7"]
    assert [d["findings"][0]["indicator"] for d in docs] == [
        "school_absence",
        "runaway_missing",
        "documents_taken",
    ]


def test_jsonl_records_end_at_newlines_only(tmp_path: Path) -> None:
    """A text may hold U+2028 or U+0085 unescaped (ensure_ascii=False); the record stays whole."""
    corpus = tmp_path / "c.jsonl"
    texts = ["Ze spijbelt.\u2028Hij houdt haar paspoort.", "Ze is weggelopen.\u0085Ze is bang."]
    lines = [json.dumps({"id": n, "text": t}, ensure_ascii=False) for n, t in enumerate(texts)]
    corpus.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    code, out, err = _run("scan", str(corpus), "--format", "jsonl")
    assert (code, err) == (0, "")
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["id"] for d in docs] == ["0", "1"]
    assert "documents_taken" in {f["indicator"] for f in docs[0]["findings"]}


def test_bad_inputs_are_reported_per_file_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Ze spijbelt.", encoding="utf-8")
    binary = tmp_path / "bad.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "x", "text": "Ze is bang."}\nnot json\n[1]\n', encoding="utf-8")
    code, out, err = _run(
        "scan", str(binary), str(tmp_path / "missing.txt"), str(good), str(corpus)
    )
    assert code == 1
    assert [d["id"] for d in json.loads(out)] == [str(good), "x"]
    assert f"{binary}: not readable text (this is not a text file" in err
    assert "missing.txt: no such file or folder" in err
    assert f"{corpus}:2: invalid JSON" in err
    assert f"{corpus}:3: expected an object" in err
    assert "4 input(s) failed; 2 document(s) scanned" in err


def test_workers_keep_input_order(tmp_path: Path) -> None:
    lines = [json.dumps({"id": str(i), "text": f"Nummer {i}. Ze spijbelt."}) for i in range(40)]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(lines), encoding="utf-8")
    code, out, _ = _run("scan", str(corpus), "--format", "jsonl", "--workers", "2", "--no-progress")
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == [str(i) for i in range(40)]


def test_csv_has_one_row_per_finding() -> None:
    code, out, _ = _run("scan", "-", "--format", "csv", stdin=NOTE)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["indicator"], r["context"], r["trigger"]) for r in rows] == [
        ("sex_with_others_arranged", "affirmed", ""),
        ("physical_injuries", "negated", "negated:geen"),
    ]


def test_text_format_shows_context_and_next_steps_in_english() -> None:
    code, out, _ = _run(
        "scan", "-", "--format", "text", "--lang", "en", "--minor", "yes", stdin=NOTE
    )
    assert code == 0
    assert "negated" in out
    assert "(negated: 'geen')" in out
    assert "In acute danger: call 112." in out
    assert "the same day" in out


def test_progress_bar_goes_to_stderr_only_when_asked() -> None:
    code, out, err = _run("scan", "-", "--progress", "--format", "jsonl", stdin=NOTE)
    assert code == 0
    assert "Scannen" in err
    assert "Scannen" not in out
    _, _, quiet = _run("scan", "-", "--format", "jsonl", stdin=NOTE)
    assert "Scannen" not in quiet


def test_usage_errors_exit_2() -> None:
    assert _run("scan")[0] == 2
    assert _run("scan", "-", "--format", "xml", stdin="x")[0] == 2
    assert _run("scan", "-", "--workers", "0", stdin="x")[0] == 2


def test_indicators_list_and_validate_the_packaged_library() -> None:
    code, out, _ = _run("indicators", "list", "--format", "json")
    assert code == 0
    assert {"much_older_contacts", "minor"} <= {row["id"] for row in json.loads(out)}
    code, out, _ = _run("indicators", "validate")
    assert code == 0
    assert out.startswith("OK: 45 signals, 7 vulnerability items")


def test_validate_reports_a_broken_file_with_its_line() -> None:
    broken = Path(__file__).parent.parent / "signals" / "broken" / "unknown_source.yaml"
    code, _, err = _run("indicators", "validate", str(broken))
    assert code == 1
    assert f"{broken}:12: unknown source 'MZZ'" in err


def test_validate_runs_the_examples_of_a_library_folder(tmp_path: Path) -> None:
    root = tmp_path / "signals"
    shutil.copytree(DEFAULT_ROOT, root)
    school = root / "indicators" / "h_school.yaml"
    school.write_text(
        school.read_text(encoding="utf-8").replace('"(spijbelt|', '"(spijbeltx|'), encoding="utf-8"
    )
    code, _, err = _run("indicators", "validate", str(root))
    assert code == 1
    assert "h_school.yaml:" in err
    assert "example for 'school_absence' is not found: 'Ze spijbelt de laatste weken veel.'" in err


def test_input_beyond_max_size_is_refused_per_file_and_record(tmp_path: Path) -> None:
    # /dev/zero once filled memory; every file and record is now read within --max-size.
    big = tmp_path / "big.txt"
    big.write_text("Ze spijbelt. " * 200, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("Ze spijbelt.", encoding="utf-8")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "long", "text": "x" * 5000})
        + "\n"
        + '{"id": "ok", "text": "Ze is bang."}\n',
        encoding="utf-8",
    )
    code, out, err = _run("scan", str(big), str(small), str(corpus), "--max-size", "2kB")
    assert code == 1
    assert [d["id"] for d in json.loads(out)] == [str(small), "ok"]
    assert f"{big}: larger than 2 kB (raise it with --max-size); file skipped" in err
    assert f"{corpus}:1: record larger than 2 kB" in err


def test_utf16_and_windows_1252_notes_are_read_like_the_web_reads_them(tmp_path: Path) -> None:
    note = "Hij houdt haar paspoort. Café."
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(note.encode("utf-16-le"))  # no byte order mark, as some exports write it
    cp1252 = tmp_path / "cp1252.txt"
    cp1252.write_bytes(note.encode("cp1252"))
    code, out, _ = _run("scan", str(utf16), str(cp1252))
    assert code == 0
    docs = json.loads(out)
    assert all("documents_taken" in {f["indicator"] for f in d["findings"]} for d in docs)


def test_duplicate_keys_and_deep_nesting_in_a_record_are_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "x", "text": "y"}\n' + "[" * 5000 + "]" * 5000 + "\n",
        encoding="utf-8",
    )
    code, _, err = _run("scan", str(corpus))
    assert code == 1
    assert f"{corpus}:1: the key 'text' appears twice in one object" in err
    assert f"{corpus}:2: the JSON is nested more than a thousand levels deep" in err


def test_text_format_shows_role_rule_and_age_evidence() -> None:
    note = "Pt 16 jr. Haar ex-vriend slaat haar. Volgens zijn zus wordt hij via Grindr benaderd."
    code, out, _ = _run("scan", "-", "--format", "text", stdin=note)
    assert code == 0
    assert "role=perpetrator_on_subject" in out
    assert "reported_by='Volgens zijn zus'" in out
    assert "indicators/c_violence.yaml" in out
    assert "minor: True (text, text says '16 jr')" in out

"""`ketenwijs privacy check` keeps the §4.3 contract: JSON shape and exit codes 0, 1, 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketenwijs.cli.main import cli


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["privacy", "check", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_clean_text_exits_0_with_empty_hits(tmp_path: Path) -> None:
    path = tmp_path / "motivatie.txt"
    path.write_text("Op grond van art. 20 Wpg is op 3 maart 2025 besloten.", encoding="utf-8")
    code, out, _ = run(str(path))
    assert code == 0
    assert json.loads(out) == {"source": str(path), "count": 0, "hits": []}


def test_personal_data_exits_1_and_lists_each_hit(tmp_path: Path) -> None:
    path = tmp_path / "notitie.txt"
    path.write_text("Regel een.\nBSN 123456782, bel 06-12345678.\n", encoding="utf-8")
    code, out, _ = run(str(path), "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["count"] == 2
    assert document["hits"] == [
        {"kind": "bsn", "start": 15, "end": 24, "text": "123456782"},
        {"kind": "phone", "start": 30, "end": 41, "text": "06-12345678"},
    ]


def test_text_format_names_line_and_characters(tmp_path: Path) -> None:
    path = tmp_path / "notitie.txt"
    path.write_text("Regel een.\nBSN 123456782.\n", encoding="utf-8")
    code, out, _ = run(str(path), "--format", "text")
    assert code == 1
    assert "regel 2, teken 5\u201313: BSN (burgerservicenummer)" in out
    assert "line 2, characters 5\u201313: BSN (citizen service number)" in out


def test_text_format_says_when_nothing_was_found(tmp_path: Path) -> None:
    path = tmp_path / "leeg.txt"
    path.write_text("Niets bijzonders.", encoding="utf-8")
    code, out, _ = run(str(path), "--format", "text")
    assert (code, out.strip()) == (0, "Geen persoonsgegevens gevonden. / No personal data found.")


def test_dash_reads_stdin() -> None:
    code, out, _ = run("-", stdin=b"Mail f.devries@example.nl")
    assert code == 1
    assert json.loads(out)["hits"][0]["kind"] == "email"
    assert json.loads(out)["source"] == "-"


def test_offsets_are_characters_of_the_decoded_text(tmp_path: Path) -> None:
    path = tmp_path / "utf8.txt"
    path.write_text("Één: 123456782", encoding="utf-8")
    _, out, _ = run(str(path))
    assert json.loads(out)["hits"][0]["start"] == 5


def test_missing_file_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "weg.txt"))
    assert code == 2
    assert out == ""
    assert "bestaat niet" in err
    assert "does not exist" in err


def test_windows_1252_and_utf16_files_are_read_as_the_web_reads_them(tmp_path: Path) -> None:
    # One decoding policy for every surface: the web accepted these and the CLI refused them.
    for encoding in ("cp1252", "utf-16-le", "utf-16"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes("Caf\u00e9, BSN 123456782".encode(encoding))
        code, out, _ = run(str(path))
        assert code == 1, encoding
        assert json.loads(out)["hits"][0]["text"] == "123456782"


def test_binary_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 4)
    code, _, err = run(str(path))
    assert code == 2
    assert "is geen leesbare tekst" in err
    assert "is not readable text (this is not a text file" in err


def test_input_beyond_max_size_exits_2_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Geen persoonsgegevens. " * 100, encoding="utf-8")
    code, _, err = run(str(path), "--max-size", "1kB")
    assert code == 2
    assert "is larger than 1 kB (raise it with --max-size)" in err


def test_directory_exits_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path))
    assert code == 2
    assert "is a directory" in err


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("x", encoding="utf-8")
    code, _, _ = run(str(path), "--format", "xml")
    assert code == 2


@pytest.mark.parametrize(("content", "expected"), [("Niets.", 0), ("BSN 123456782", 1)])
def test_installed_command_uses_the_same_exit_codes(
    tmp_path: Path, content: str, expected: int
) -> None:
    path = tmp_path / "in.txt"
    path.write_text(content, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-c", "from ketenwijs.cli.main import main; main()", "privacy", "check",
         str(path)],
        capture_output=True,
        check=False,
    )  # fmt: skip
    assert completed.returncode == expected, completed.stderr

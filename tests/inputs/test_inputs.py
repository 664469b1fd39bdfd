"""One way to read user input on every surface: decoding policy, bounded JSON, bounded reads."""

from __future__ import annotations

import io

import pytest

from ketenwijs.inputs import (
    InputTooLargeError,
    JsonInputError,
    JsonLimits,
    JsonSyntaxError,
    UndecodableTextError,
    decode_text,
    load_json,
    parse_size,
    read_limited,
)

NOTE = "Zij moet haar loon afgeven. Café, één keer."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (NOTE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + NOTE.encode("utf-8"), "utf-8"),
        (NOTE.encode("utf-16"), "utf-16-le"),  # with a byte order mark
        (NOTE.encode("utf-16-le"), "utf-16-le"),  # without: recognised by its zero bytes
        (NOTE.encode("utf-16-be"), "utf-16-be"),
        (NOTE.encode("utf-32"), "utf-32-le"),
        (NOTE.encode("cp1252"), "cp1252"),
    ],
)
def test_the_same_note_reads_the_same_in_every_encoding(data: bytes, encoding: str) -> None:
    decoded = decode_text(data)
    assert decoded.text == NOTE
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)), b"\x00\x00\x00\x01binary", b"PK\x03\x04" + bytes(200), b"\x81\x8d\x8f"],
)
def test_binary_or_undecodable_bytes_are_refused_not_read_as_an_empty_note(data: bytes) -> None:
    with pytest.raises(UndecodableTextError):
        decode_text(data)


def test_read_limited_stops_an_endless_stream_after_the_limit() -> None:
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            buffer[:] = b"\0" * len(buffer)
            return len(buffer)

    with pytest.raises(InputTooLargeError) as caught:
        read_limited(io.BufferedReader(Endless()), 5 * 1024 * 1024)
    assert caught.value.limit == 5 * 1024 * 1024
    assert read_limited(io.BytesIO(b"abc"), 3) == b"abc"


@pytest.mark.parametrize(
    ("value", "size"),
    [("10MB", 10 * 1024**2), ("512kB", 512 * 1024), ("2 gb", 2 * 1024**3), ("7", 7)],
)
def test_sizes_are_read_with_units(value: str, size: int) -> None:
    assert parse_size(value) == size


@pytest.mark.parametrize("value", ["", "ten", "-1MB", "0", "1 TB"])
def test_wrong_sizes_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1, "a": 2}', "the key 'a' appears twice in one object"),
        (
            "[" * 50_000 + "]" * 50_000,
            "the JSON is nested more than a thousand levels deep; at most 20",
        ),
        ('{"n": ' + "1" * 5000 + "}", "a number of 5,000 characters; at most 40"),
        ('{"n": 1.' + "5" * 100 + "}", "a number of 102 characters; at most 40"),
        ("x" * 2_000_000, "the JSON has 2,000,000 characters; at most 1,000,000"),
        ('{"n": NaN}', "NaN is not a JSON number"),
    ],
)
def test_json_beyond_a_limit_is_refused_before_parsing(text: str, message: str) -> None:
    with pytest.raises(JsonInputError, match="^" + message.replace("(", r"\(")):
        load_json(text)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert load_json('{"text": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', JsonLimits(max_depth=2)) == {
        "text": "[" * 31
    }


def test_json_syntax_errors_carry_line_and_column() -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        load_json('{\n  "a": }')
    assert (caught.value.line, caught.value.column) == (2, 8)
    assert str(caught.value).startswith("invalid JSON at line 2, column 8:")


@pytest.mark.parametrize(
    "text",
    ['"' + '\\"' * 200_000, '["' + '\\"' * 200_000 + '"', "[" * 900 + "]" * 900],
    ids=["unterminated escaped quotes", "escaped quotes", "900 levels"],
)
def test_hostile_json_is_refused_in_linear_time(text: str) -> None:
    # A pre-check that removed strings with a regular expression took 26 s on 80 kB of \".
    from tests.adversarial import cpu_seconds

    ordinary = '{"text": "' + "Zij moet geld afgeven. " * 17_000 + '"}'
    baseline = min(cpu_seconds(lambda: load_json(ordinary)) for _ in range(3))

    def refuse() -> None:
        with pytest.raises(JsonInputError):
            load_json(text, JsonLimits(max_depth=20))

    assert cpu_seconds(refuse) <= 20 * max(baseline, 0.002)

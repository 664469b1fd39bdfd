"""Certificate codes: verifiable, unforgeable without the key, and free of personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from ketenwijs.learning import issue_code, normalise_code, verify_code

KEY = b"k" * 32
DAY = dt.date(2026, 3, 2)


def test_a_code_verifies_to_its_module_and_date() -> None:
    code = issue_code(KEY, "herkennen", DAY)
    verified = verify_code(KEY, code, ["other", "herkennen"])
    assert verified is not None
    assert (verified.module_id, verified.issued_on) == ("herkennen", DAY)


def test_typing_variations_do_not_matter() -> None:
    code = issue_code(KEY, "herkennen", DAY)
    sloppy = " " + code.lower().replace("-", " ") + " "
    assert normalise_code(sloppy) == code
    assert verify_code(KEY, sloppy, ["herkennen"]) is not None


@pytest.mark.parametrize("mutate", ["flip", "key", "module", "garbage", "short"])
def test_altered_codes_fail(mutate: str) -> None:
    code = issue_code(KEY, "herkennen", DAY)
    key, modules = KEY, ["herkennen"]
    if mutate == "flip":
        last = code[-1]
        code = code[:-1] + ("A" if last != "A" else "B")
    elif mutate == "key":
        key = b"x" * 32
    elif mutate == "module":
        modules = ["delen"]
    elif mutate == "garbage":
        code = "KW-!!!!-????"
    else:
        code = code[:10]
    assert verify_code(key, code, modules) is None


def test_codes_hold_no_personal_data_and_are_unique() -> None:
    codes = {issue_code(KEY, "herkennen", DAY) for _ in range(200)}
    assert len(codes) == 200
    fixed = issue_code(KEY, "herkennen", DAY, nonce=b"\0" * 5)
    # The code is a function of key, module, date and nonce only: nothing else can be in it.
    assert fixed == issue_code(KEY, "herkennen", DAY, nonce=b"\0" * 5)
    assert fixed.startswith("KW-")


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        issue_code(b"short", "herkennen", DAY)

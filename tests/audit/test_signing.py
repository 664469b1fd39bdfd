"""Ed25519 checkpoints and the RFC 8785 canonical form they are signed over."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ketenwijs.audit import canonical_json
from ketenwijs.audit.jcs import JCSError, jcs
from ketenwijs.audit.signing import (
    SigningKeyError,
    checkpoint_signature_ok,
    key_id,
    load_private_key,
    load_public_keys,
    private_key_pem,
    public_key_b64,
    public_key_pem,
    sign_tree_checkpoint,
)

NOW = dt.datetime(2026, 12, 5, 7, 0, tzinfo=dt.UTC)


def test_jcs_sorts_member_names_by_utf16_code_units() -> None:
    # RFC 8785 §3.2.3's example names: U+1F600 (surrogates D83D DE00) sorts before U+FB33.
    names = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6", "</script>"]
    text = jcs(dict.fromkeys(names, 0)).decode("utf-8")
    order = ["\r", "1", "</script>", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert text == "{" + ",".join(jcs(n).decode() + ":0" for n in order) + "}"
    assert jcs('\u0001\n"\\/\u007f') == b'"\\u0001\\n\\"\\\\/\x7f"'


def test_jcs_refuses_what_has_no_single_form() -> None:
    for value in (1.5, 2**53, {1: "x"}, object()):
        with pytest.raises(JCSError):
            jcs(value)


def test_record_canonical_form_is_jcs() -> None:
    record = {"b": [1, True, None], "a": "één", "\U0001f600": 1, "\ufb33": 2}
    assert canonical_json(record) == jcs(record)


def _key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def test_checkpoint_verifies_only_unchanged_and_with_the_right_key() -> None:
    key = _key()
    checkpoint = sign_tree_checkpoint(
        key, log_id="organisation:1", tree_size=3, root_hash=b"\x11" * 32, timestamp=NOW
    )
    keys = {key_id(key.public_key()): key.public_key()}
    assert checkpoint.timestamp == "2026-12-05T07:00:00Z"
    assert checkpoint_signature_ok(checkpoint, keys)
    assert not checkpoint_signature_ok(dataclasses.replace(checkpoint, tree_size=2), keys)
    assert not checkpoint_signature_ok(dataclasses.replace(checkpoint, log_id="x"), keys)
    other = Ed25519PrivateKey.generate().public_key()
    assert not checkpoint_signature_ok(checkpoint, {key_id(other): other})
    assert not checkpoint_signature_ok(dataclasses.replace(checkpoint, signature="!!"), keys)


def test_keys_load_from_pem_base64_and_the_keys_json() -> None:
    key = _key()
    raw = base64.b64encode(bytes(range(32))).decode()
    assert key_id(load_private_key(raw).public_key()) == key_id(key.public_key())
    assert key_id(load_private_key(private_key_pem(key)).public_key()) == key_id(key.public_key())
    public = key.public_key()
    kid = key_id(public)
    assert list(load_public_keys(public_key_pem(public))) == [kid]
    assert list(load_public_keys(public_key_b64(public) + "\n")) == [kid]
    json_text = f'{{"keys": [{{"key_id": "{kid}", "public_key": "{public_key_b64(public)}"}}]}}'
    assert list(load_public_keys(json_text)) == [kid]


@pytest.mark.parametrize("text", ["", "not a key", base64.b64encode(b"short").decode()])
def test_unreadable_keys_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(SigningKeyError):
        load_private_key(text)
    with pytest.raises(SigningKeyError):
        load_public_keys(text)


def test_jcs_equals_the_earlier_sorted_keys_form_for_stored_record_values() -> None:
    """Records hashed before ADR 0019 still verify: same bytes for BMP names and safe integers."""
    import json
    import random

    rng = random.Random(19)
    alphabet = 'aZ09 _-ëé€\u2028\u0000\u001f"\\/\t\n'

    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))

    def value(depth: int) -> object:
        kind = rng.randint(0, 5 if depth < 3 else 3)
        if kind == 0:
            return text()
        if kind == 1:
            return rng.randint(-(2**53) + 1, 2**53 - 1)
        if kind == 2:
            return rng.choice([True, False, None])
        if kind == 3:
            return ""
        if kind == 4:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {text(): value(depth + 1) for _ in range(rng.randint(0, 4))}

    for _ in range(300):
        item = {"v": value(0)}
        old = json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert jcs(item) == old.encode("utf-8")

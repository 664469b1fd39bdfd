"""Offline bundles: export, then verify with only the public key; every kind of tampering fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ketenwijs.audit.bundle import Status, verify_bundle
from ketenwijs.audit.signing import load_public_keys, private_key_pem, public_key_b64
from ketenwijs.cli.audit import audit as audit_cli
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit.models import DecisionRecord, MerkleNode, SignedCheckpoint
from ketenwijs.web.audit.tree import export_bundle, installation_key, public_keys
from tests.web.audit.conftest import make_record

REPO = Path(__file__).resolve().parents[3]
REFERENCE = REPO / "tools" / "verify_audit_bundle.py"


@pytest.fixture
def signing_key(settings: pytest.FixtureRequest) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    settings.KETENWIJS_AUDIT_SIGNING_KEY = private_key_pem(key)  # type: ignore[attr-defined]
    return key


def _records(org: Organisation, user_factory: Callable[..., User], count: int) -> User:
    user = user_factory(Role.PROFESSIONAL, org)
    for i in range(count):
        make_record(user, motivation=f"Besluit {i} na overleg in het casusoverleg.")
    return user


def _export(org: Organisation, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        export_bundle(org, out)
    return path


def _keys(*keys: Ed25519PrivateKey) -> dict[str, object]:
    return load_public_keys("\n".join(public_key_b64(k.public_key()) for k in keys))


def _edit(path: Path, change: Callable[[list[dict[str, object]]], None]) -> Path:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(lines)
    out = path.with_name("tampered.jsonl")
    out.write_text("".join(json.dumps(item) + "\n" for item in lines), encoding="utf-8")
    return out


def _reference(path: Path, key: Ed25519PrivateKey) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REFERENCE), str(path), public_key_b64(key.public_key())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_each_append_signs_a_checkpoint_over_the_tree(
    org_a: Organisation, user_factory: Callable[..., User], signing_key: Ed25519PrivateKey
) -> None:
    _records(org_a, user_factory, 5)
    sizes = list(SignedCheckpoint.objects.filter(organisation=org_a).values_list("tree_size"))
    assert sizes == [(1,), (2,), (3,), (4,), (5,)]
    # 5 leaves + the nodes of the perfect subtrees [0,2), [2,4), [0,4).
    assert MerkleNode.objects.filter(organisation=org_a).count() == 8


def test_exported_bundle_verifies_with_the_package_and_the_reference_verifier(
    org_a: Organisation,
    user_factory: Callable[..., User],
    signing_key: Ed25519PrivateKey,
    tmp_path: Path,
) -> None:
    _records(org_a, user_factory, 7)
    bundle = _export(org_a, tmp_path / "bundle.jsonl")
    result = verify_bundle(bundle, _keys(signing_key))  # type: ignore[arg-type]
    assert result.status == Status.INTACT, result.message
    assert result.records == 7
    header = json.loads(bundle.read_text(encoding="utf-8").splitlines()[0])
    assert [e["checkpoint"]["tree_size"] for e in header["earlier_checkpoints"]] == [1, 2, 4]
    reference = _reference(bundle, signing_key)
    assert reference.returncode == 0, reference.stderr
    assert "intact: 7 records" in reference.stdout


def _tamper_content(lines: list[dict[str, object]]) -> None:
    lines[3]["content"]["outcome"] = "not_allowed"  # type: ignore[index]


def _tamper_and_rehash(lines: list[dict[str, object]]) -> None:
    """Change record 3 and recompute every hash after it: only the signed tree can tell."""
    from ketenwijs.audit import chain_hash, content_hash

    lines[3]["content"]["motivation"] = "Andere motivatie."  # type: ignore[index]
    prev = str(lines[3]["prev_hash"])
    for line in lines[3:]:
        line["prev_hash"] = prev
        line["content_hash"] = content_hash(line["content"])  # type: ignore[arg-type]
        line["chain_hash"] = prev = chain_hash(prev, str(line["content_hash"]))


def _delete(lines: list[dict[str, object]]) -> None:
    del lines[4]


def _delete_newest(lines: list[dict[str, object]]) -> None:
    del lines[-1]


def _reorder(lines: list[dict[str, object]]) -> None:
    lines[2], lines[3] = lines[3], lines[2]


def _insert(lines: list[dict[str, object]]) -> None:
    lines.insert(3, dict(lines[2]))


@pytest.mark.parametrize(
    ("change", "first_broken"),
    [
        (_tamper_content, 3),
        (_tamper_and_rehash, 3),
        (_delete, 4),
        (_delete_newest, 6),
        (_reorder, 2),
        (_insert, 3),
    ],
)
def test_tampering_deletion_reordering_and_insertion_are_named(
    org_a: Organisation,
    user_factory: Callable[..., User],
    signing_key: Ed25519PrivateKey,
    tmp_path: Path,
    change: Callable[[list[dict[str, object]]], None],
    first_broken: int,
) -> None:
    _records(org_a, user_factory, 6)
    tampered = _edit(_export(org_a, tmp_path / "bundle.jsonl"), change)
    result = verify_bundle(tampered, _keys(signing_key))  # type: ignore[arg-type]
    assert result.status == Status.BROKEN
    assert result.first_broken_sequence == first_broken, result.message
    assert f"record {first_broken}" in result.message
    assert _reference(tampered, signing_key).returncode == 1


def test_a_swapped_or_forged_checkpoint_is_detected(
    org_a: Organisation,
    org_b: Organisation,
    user_factory: Callable[..., User],
    signing_key: Ed25519PrivateKey,
    tmp_path: Path,
) -> None:
    _records(org_a, user_factory, 3)
    _records(org_b, user_factory, 3)
    bundle_a = _export(org_a, tmp_path / "a.jsonl")
    bundle_b = _export(org_b, tmp_path / "b.jsonl")
    header_b = json.loads(bundle_b.read_text(encoding="utf-8").splitlines()[0])

    def swap(lines: list[dict[str, object]]) -> None:
        lines[0]["checkpoint"] = header_b["checkpoint"]

    def forge(lines: list[dict[str, object]]) -> None:
        lines[0]["checkpoint"]["tree_size"] = 2  # type: ignore[index]

    for change, words in ((swap, "belongs to log"), (forge, "signature that does not match")):
        result = verify_bundle(_edit(bundle_a, change), _keys(signing_key))  # type: ignore[arg-type]
        assert result.status == Status.BROKEN
        assert words in result.message


def test_an_earlier_checkpoint_the_latest_does_not_extend_is_reported(
    org_a: Organisation,
    user_factory: Callable[..., User],
    signing_key: Ed25519PrivateKey,
    tmp_path: Path,
) -> None:
    _records(org_a, user_factory, 6)
    bundle = _export(org_a, tmp_path / "bundle.jsonl")

    def break_proof(lines: list[dict[str, object]]) -> None:
        earlier = lines[0]["earlier_checkpoints"]  # type: ignore[index]
        earlier[-1]["consistency_proof"][0] = "00" * 32

    result = verify_bundle(_edit(bundle, break_proof), _keys(signing_key))  # type: ignore[arg-type]
    assert result.status == Status.BROKEN
    assert "does not extend the checkpoint of size 4" in result.message


def test_a_rollback_to_an_older_checkpoint_is_detected_against_a_known_one(
    org_a: Organisation,
    user_factory: Callable[..., User],
    signing_key: Ed25519PrivateKey,
    tmp_path: Path,
) -> None:
    user = _records(org_a, user_factory, 3)
    old = _export(org_a, tmp_path / "old.jsonl")
    make_record(user)
    make_record(user)
    latest = SignedCheckpoint.objects.filter(organisation=org_a).order_by("-tree_size").first()
    assert latest is not None
    known = latest.as_checkpoint()
    keys = _keys(signing_key)
    # The old bundle on its own is a genuine earlier state...
    assert verify_bundle(old, keys).status == Status.INTACT  # type: ignore[arg-type]
    # ...but presented after the auditor saw size 5, it is a rollback.
    result = verify_bundle(old, keys, known)  # type: ignore[arg-type]
    assert result.status == Status.BROKEN
    assert "rolled back" in result.message
    # The current bundle agrees with the known checkpoint.
    current = _export(org_a, tmp_path / "new.jsonl")
    assert verify_bundle(current, keys, known).status == Status.INTACT  # type: ignore[arg-type]


def test_key_rotation_keeps_old_bundles_verifiable(
    org_a: Organisation,
    user_factory: Callable[..., User],
    settings: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    first, second = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings.KETENWIJS_AUDIT_SIGNING_KEY = private_key_pem(first)  # type: ignore[attr-defined]
    user = _records(org_a, user_factory, 2)
    old = _export(org_a, tmp_path / "old.jsonl")
    settings.KETENWIJS_AUDIT_SIGNING_KEY = private_key_pem(second)  # type: ignore[attr-defined]
    make_record(user)
    new = _export(org_a, tmp_path / "new.jsonl")
    assert verify_bundle(old, _keys(first)).status == Status.INTACT  # type: ignore[arg-type]
    # The new bundle's earlier checkpoints were signed with the old key: both are needed.
    assert verify_bundle(new, _keys(second)).status == Status.BROKEN  # type: ignore[arg-type]
    listed = load_public_keys(json.dumps({"keys": public_keys()}))
    assert len(listed) == 2
    assert verify_bundle(new, listed).status == Status.INTACT  # type: ignore[arg-type]
    assert installation_key().public_key().public_bytes_raw() == (
        second.public_key().public_bytes_raw()
    )


def test_verify_bundle_cli_exit_codes_and_a_copy_without_database(
    org_a: Organisation,
    user_factory: Callable[..., User],
    signing_key: Ed25519PrivateKey,
    tmp_path: Path,
) -> None:
    _records(org_a, user_factory, 4)
    runner = CliRunner()
    bundle = tmp_path / "bundle.jsonl"
    exported = runner.invoke(audit_cli, ["export", "--org", str(org_a.pk), "--out", str(bundle)])
    assert exported.exit_code == 0, exported.output
    key_file = tmp_path / "key.pub"
    key_file.write_text(public_key_b64(signing_key.public_key()), encoding="utf-8")

    # A copy on a "machine" with no database, no data folder and no secret: a fresh process.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(bundle, elsewhere / "bundle.jsonl")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENWIJS_", "DJANGO_"))}
    env["KETENWIJS_DATA_DIR"] = str(elsewhere / "no-data")
    command = [sys.executable, "-m", "ketenwijs.cli", "audit", "verify-bundle"]
    args = ["--public-key", str(key_file)]
    ok = subprocess.run(
        [*command, "bundle.jsonl", *args], cwd=elsewhere, env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "Bundle intact: 4 records" in ok.stdout
    assert not (elsewhere / "no-data").exists()

    broken = _edit(elsewhere / "bundle.jsonl", _delete)
    result = runner.invoke(audit_cli, ["verify-bundle", str(broken), *args])
    assert result.exit_code == 1
    assert "record 4" in result.output
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("{not json", encoding="utf-8")
    assert runner.invoke(audit_cli, ["verify-bundle", str(garbage), *args]).exit_code == 2
    missing = runner.invoke(audit_cli, ["verify-bundle", str(tmp_path / "none"), *args])
    assert missing.exit_code == 2
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert runner.invoke(audit_cli, ["verify-bundle", str(deep), *args]).exit_code == 2
    not_a_key = tmp_path / "not-a-key.pub"
    not_a_key.write_text("hello", encoding="utf-8")
    wrong_key = runner.invoke(
        audit_cli, ["verify-bundle", str(bundle), "--public-key", str(not_a_key)]
    )
    assert wrong_key.exit_code == 2


def test_purged_records_leave_their_hashes_so_the_rest_still_verifies(
    org_a: Organisation,
    user_factory: Callable[..., User],
    signing_key: Ed25519PrivateKey,
    tmp_path: Path,
) -> None:
    _records(org_a, user_factory, 5)
    DecisionRecord.objects.filter(organisation=org_a, sequence__lte=3).delete()
    bundle = _export(org_a, tmp_path / "bundle.jsonl")
    result = verify_bundle(bundle, _keys(signing_key))  # type: ignore[arg-type]
    assert result.status == Status.INTACT, result.message
    assert "3 purged before" in result.message
    assert _reference(bundle, signing_key).returncode == 0

    def forge_prefix(lines: list[dict[str, object]]) -> None:
        lines[0]["prefix"]["peaks"][0] = "00" * 32  # type: ignore[index]

    forged = verify_bundle(_edit(bundle, forge_prefix), _keys(signing_key))  # type: ignore[arg-type]
    assert forged.status == Status.BROKEN


def test_audit_verify_also_checks_the_tree_against_the_signed_checkpoint(
    org_a: Organisation,
    user_factory: Callable[..., User],
    signing_key: Ed25519PrivateKey,
) -> None:
    _records(org_a, user_factory, 5)
    runner = CliRunner()
    intact = runner.invoke(audit_cli, ["verify", "--org", str(org_a.pk)])
    assert intact.exit_code == 0, intact.output
    # Five decisions and the verification itself (a log event in the same chain, ADR 0018).
    assert "Merkle tree: 6 records match the signed checkpoint" in intact.output
    # Purged records keep their hashes: the rest still matches.
    DecisionRecord.objects.filter(organisation=org_a, sequence__lte=2).delete()
    assert "Merkle tree: 6 records match" in runner.invoke(audit_cli, ["verify"]).output
    # The newest record deleted: the signed checkpoint still counts it.
    DecisionRecord.objects.filter(organisation=org_a, sequence=5).delete()
    broken = runner.invoke(audit_cli, ["verify", "--org", str(org_a.pk)])
    assert broken.exit_code == 1
    assert "Merkle tree: record 5 is missing" in broken.output

"""Merkle tree per RFC 9162 §2.1: roots, inclusion and consistency proofs, checked by definition."""

from __future__ import annotations

import hashlib

import pytest

from ketenwijs.audit.merkle import (
    EMPTY_ROOT,
    CompactRange,
    ProofError,
    build_nodes,
    compact_range_for,
    consistency_proof,
    hash_children,
    hash_leaf,
    inclusion_proof,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [hash_leaf(bytes([i]) * 32) for i in range(40)]


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_hashes_use_the_rfc_9162_domain_prefixes() -> None:
    assert hash_leaf(b"x") == _sha(b"\x00x")
    assert hash_children(b"a" * 32, b"b" * 32) == _sha(b"\x01" + b"a" * 32 + b"b" * 32)
    assert _sha(b"") == EMPTY_ROOT


def test_small_trees_split_at_the_largest_power_of_two() -> None:
    a, b, c, d, e = LEAVES[:5]
    h = hash_children
    assert root_from_leaf_hashes([a]) == a
    assert root_from_leaf_hashes([a, b, c]) == h(h(a, b), c)
    # 5 leaves: k = 4, so the fifth leaf hangs alone on the right (not paired with a copy).
    assert root_from_leaf_hashes([a, b, c, d, e]) == h(h(h(a, b), h(c, d)), e)


def test_appending_keeps_only_the_right_edge_and_matches_the_definition() -> None:
    tree = CompactRange.empty()
    for n, leaf in enumerate(LEAVES, 1):
        tree.append(leaf)
        tree.check()
        assert len(tree.peaks) == bin(n).count("1")
        assert tree.root() == root_from_leaf_hashes(LEAVES[:n])


@pytest.mark.parametrize("size", range(1, 34))
def test_every_inclusion_proof_verifies_and_a_wrong_leaf_does_not(size: int) -> None:
    _tree, nodes = build_nodes(LEAVES[:size])
    root = root_from_leaf_hashes(LEAVES[:size])
    for index in range(size):
        path = inclusion_proof(index, size, lambda lvl, i: nodes[(lvl, i)])
        assert len(path) <= (size - 1).bit_length()
        assert verify_inclusion(LEAVES[index], index, size, path, root)
        assert not verify_inclusion(LEAVES[39], index, size, path, root)
        if size > 1:
            assert not verify_inclusion(LEAVES[index], (index + 1) % size, size, path, root)


@pytest.mark.parametrize("second", range(1, 34))
def test_every_consistency_proof_verifies_and_a_rewritten_prefix_does_not(second: int) -> None:
    _tree, nodes = build_nodes(LEAVES[:second])
    second_root = root_from_leaf_hashes(LEAVES[:second])
    for first in range(1, second + 1):
        proof = consistency_proof(first, second, lambda lvl, i: nodes[(lvl, i)])
        first_root = root_from_leaf_hashes(LEAVES[:first])
        assert verify_consistency(first, first_root, second, second_root, proof)
        forged = root_from_leaf_hashes([LEAVES[39], *LEAVES[1:first]])
        assert not verify_consistency(first, forged, second, second_root, proof)


def test_proofs_grow_logarithmically() -> None:
    size = 100_000
    tree, nodes = build_nodes(_sha(i.to_bytes(4, "big")) for i in range(size))
    get = lambda lvl, i: nodes[(lvl, i)]  # noqa: E731
    assert compact_range_for(size, get).root() == tree.root()
    for index in (0, 1, 65_535, 65_536, 99_999):
        path = inclusion_proof(index, size, get)
        assert len(path) <= 17  # ceil(log2(100_000))
        leaf = _sha(index.to_bytes(4, "big"))
        assert verify_inclusion(leaf, index, size, path, tree.root())
    assert len(consistency_proof(70_000, size, get)) <= 2 * 17


def test_impossible_proof_requests_are_refused() -> None:
    with pytest.raises(ProofError):
        inclusion_proof(3, 3, lambda lvl, i: b"")
    with pytest.raises(ProofError):
        consistency_proof(4, 3, lambda lvl, i: b"")

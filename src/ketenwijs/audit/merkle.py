"""Merkle tree over an organisation's decision log, in the style of RFC 9162 (CT logs).

Each record is one leaf, in sequence order (leaf index = sequence - 1). A signed checkpoint over
the tree's root commits to every record at once; an inclusion proof shows one record is in it with
O(log n) hashes, a consistency proof that a later checkpoint extends an earlier one. Hashing and
the proof algorithms follow RFC 9162 §2.1: leaf hash = SHA-256(0x00 || leaf), node hash =
SHA-256(0x01 || left || right), the split at the largest power of two smaller than the size.

Appends keep only the tree's right edge (the roots of its perfect subtrees, at most log2(n)+1):
adding a leaf merges equal-sized subtrees, O(log n) hashes and no rebuild.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ketenwijs.audit.canonical import is_hash
from ketenwijs.audit.chain import ChainLink

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256() (RFC 9162 §2.1.1)

# Returns the stored hash of the perfect subtree at (level, index): leaves [index*2^level,
# (index+1)*2^level). Proofs are built from these, so a purged record's leaf still counts.
NodeGetter = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof or tree request does not make sense (index out of range, sizes reversed)."""


def leaf_data(link: ChainLink) -> bytes:
    """Return the Merkle leaf of a record: the 32 bytes of its chain hash.

    The one place the tree meets the chain. The chain hash already covers the record's content
    hash (every hashed field, whatever the canonical form of the day) and its predecessor, so any
    change to the record format flows into the tree unchanged.
    """
    return leaf_data_from_chain_hash(link.chain_hash)


def leaf_data_from_chain_hash(chain_hash: str) -> bytes:
    """Return the leaf bytes for a record known by its chain hash (hex)."""
    if not is_hash(chain_hash):
        raise ValueError(f"leaf_data: chain hash {chain_hash!r} is not a SHA-256 hex digest")
    return bytes.fromhex(chain_hash)


def hash_leaf(data: bytes) -> bytes:
    """RFC 9162 §2.1.1: the hash of a leaf is SHA-256(0x00 || leaf)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: the hash of an inner node is SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(size: int) -> int:
    """Largest power of two strictly smaller than `size` (size >= 2): the k of RFC 9162 §2.1.1."""
    return 1 << ((size - 1).bit_length() - 1)


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) by the recursive definition of RFC 9162 §2.1.1 (reference; tests compare)."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = _split(n)
    return hash_children(
        root_from_leaf_hashes(leaf_hashes[:k]), root_from_leaf_hashes(leaf_hashes[k:])
    )


@dataclass(frozen=True)
class NewNode:
    """A perfect-subtree root completed by an append: stored so proofs can be built later."""

    level: int
    index: int
    hash: bytes


@dataclass
class CompactRange:
    """The right edge of a tree: (level, hash) of its perfect subtrees, largest first.

    A tree of `size` leaves has one perfect subtree per set bit of `size`, so at most 64 entries.
    """

    size: int
    peaks: list[tuple[int, bytes]]

    @classmethod
    def empty(cls) -> CompactRange:
        return cls(0, [])

    def append(self, leaf_hash: bytes) -> list[NewNode]:
        """Add one leaf (already hashed); return the nodes it completed, the leaf first."""
        index = self.size
        created = [NewNode(0, index, leaf_hash)]
        level, node = 0, leaf_hash
        while self.peaks and self.peaks[-1][0] == level:
            _lvl, left = self.peaks.pop()
            node = hash_children(left, node)
            level += 1
            index >>= 1
            created.append(NewNode(level, index, node))
        self.peaks.append((level, node))
        self.size += 1
        return created

    def root(self) -> bytes:
        """MTH of the whole tree: fold the peaks from the right (the smallest subtree last)."""
        if not self.peaks:
            return EMPTY_ROOT
        node = self.peaks[-1][1]
        for _level, peak in reversed(self.peaks[:-1]):
            node = hash_children(peak, node)
        return node

    def check(self) -> None:
        """Raise ValueError when the peaks do not match the size (a corrupt stored state)."""
        levels = [level for level, _hash in self.peaks]
        expected = [
            bit for bit in range(self.size.bit_length() - 1, -1, -1) if self.size >> bit & 1
        ]
        if levels != expected or any(len(h) != 32 for _lvl, h in self.peaks):
            raise ValueError(f"compact range of size {self.size} has peaks at levels {levels}")


def compact_range_for(size: int, node: NodeGetter) -> CompactRange:
    """Rebuild the right edge of a tree of `size` leaves from stored perfect-subtree nodes."""
    peaks: list[tuple[int, bytes]] = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            peaks.append((level, node(level, start >> level)))
            start += 1 << level
    return CompactRange(size, peaks)


def subtree_hash(start: int, end: int, node: NodeGetter) -> bytes:
    """MTH(D[start:end]) where D[start:...] begins at a subtree boundary, from stored nodes.

    Every subtree RFC 9162's proofs ask for starts at a multiple of a power of two at least as
    large as its left part, so it is one stored perfect subtree or a perfect left part plus a
    smaller right remainder: O(log n) lookups.
    """
    size = end - start
    if size <= 0:
        raise ProofError(f"empty subtree [{start}, {end})")
    if size & (size - 1) == 0 and start % size == 0:
        level = size.bit_length() - 1
        return node(level, start >> level)
    k = _split(size)
    return hash_children(subtree_hash(start, start + k, node), subtree_hash(start + k, end, node))


def inclusion_proof(index: int, size: int, node: NodeGetter) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1, leaf sibling first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[bytes] = []
    start, end, m = 0, size, index
    # Walk down from the root; each step records the other half's hash (appended in reverse).
    while end - start > 1:
        k = _split(end - start)
        if m < k:
            path.append(subtree_hash(start + k, end, node))
            end = start + k
        else:
            path.append(subtree_hash(start, start + k, node))
            start += k
            m -= k
    path.reverse()
    return path


def consistency_proof(first: int, second: int, node: NodeGetter) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that the tree of `first` leaves is a prefix."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    if first == second:
        return []
    proof: list[bytes] = []
    # SUBPROOF(m, D[start:end], b), iteratively; the parts are appended in reverse order.
    start, end, m, whole = 0, second, first, True
    while True:
        n = end - start
        if m == n:
            if not whole:
                proof.append(subtree_hash(start, end, node))
            break
        k = _split(n)
        if m <= k:
            proof.append(subtree_hash(start + k, end, node))
            end = start + k
        else:
            proof.append(subtree_hash(start, start + k, node))
            start += k
            m -= k
            whole = False
    proof.reverse()
    return proof


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: tell whether `path` proves leaf `index` is in the tree with `root`."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = hash_children(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, first_root: bytes, second: int, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: tell whether tree (second, second_root) extends (first, first_root)."""
    if first == second:
        return not path and first_root == second_root
    if not 0 < first < second or not path:
        return False
    nodes = list(path)
    if first & (first - 1) == 0:
        nodes.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = hash_children(c, fr)
            sr = hash_children(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


def build_nodes(leaf_hashes: Iterable[bytes]) -> tuple[CompactRange, dict[tuple[int, int], bytes]]:
    """Append all leaves to an empty tree; return its right edge and every perfect-subtree node."""
    tree = CompactRange.empty()
    nodes: dict[tuple[int, int], bytes] = {}
    for leaf in leaf_hashes:
        for new in tree.append(leaf):
            nodes[(new.level, new.index)] = new.hash
    return tree, nodes

"""Tamper-evident decision log, pure logic: canonical hashing, chain verification, checkpoints.

The Django models store what these functions compute and call `verify_chain` to check it. This
package imports no Django, so the same verification runs from the CLI, a page or an offline audit.
"""

from ketenwijs.audit.anchor import (
    ANCHOR_PURPOSE,
    Anchor,
    AnchorError,
    check_anchor,
    read_anchor,
    write_anchor,
)
from ketenwijs.audit.canonical import CanonicalError, canonical_json, content_hash
from ketenwijs.audit.chain import (
    FIRST_SEQUENCE,
    BrokenLink,
    ChainLink,
    Problem,
    PurgeError,
    VerifyResult,
    append_link,
    build_chain,
    chain_hash,
    checkpoint_for_purge,
    genesis,
    make_link,
    verify_chain,
)
from ketenwijs.audit.checkpoint import (
    CHECKPOINT_PURPOSE,
    Checkpoint,
    derive_key,
    is_checkpoint_authentic,
    sign_checkpoint,
)
from ketenwijs.audit.head import HEAD_PURPOSE, check_head, sign_head
from ketenwijs.audit.text import new_salt, text_commitment, text_matches

__all__ = [
    "ANCHOR_PURPOSE",
    "CHECKPOINT_PURPOSE",
    "FIRST_SEQUENCE",
    "HEAD_PURPOSE",
    "Anchor",
    "AnchorError",
    "BrokenLink",
    "CanonicalError",
    "ChainLink",
    "Checkpoint",
    "Problem",
    "PurgeError",
    "VerifyResult",
    "append_link",
    "build_chain",
    "canonical_json",
    "chain_hash",
    "check_anchor",
    "check_head",
    "checkpoint_for_purge",
    "content_hash",
    "derive_key",
    "genesis",
    "is_checkpoint_authentic",
    "make_link",
    "new_salt",
    "read_anchor",
    "sign_checkpoint",
    "sign_head",
    "text_commitment",
    "text_matches",
    "verify_chain",
    "write_anchor",
]

"""Tamper-evident decision log, pure logic: canonical hashing, chain verification, checkpoints.

The Django models store what these functions compute and call `verify_chain` to check it. This
package imports no Django, so the same verification runs from the CLI, a page or an offline audit.
"""

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

__all__ = [
    "CHECKPOINT_PURPOSE",
    "FIRST_SEQUENCE",
    "HEAD_PURPOSE",
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
    "check_head",
    "checkpoint_for_purge",
    "content_hash",
    "derive_key",
    "genesis",
    "is_checkpoint_authentic",
    "make_link",
    "sign_checkpoint",
    "sign_head",
    "verify_chain",
]

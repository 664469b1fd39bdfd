"""The signed head of a chain: catches the removal of the newest records.

Row-by-row verification cannot see that the last records were deleted (what remains still links
up). So the application keeps, per organisation, the last sequence and chain hash with an
HMAC-SHA256 over them; verification compares the stored rows with that signed head.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace

from ketenwijs.audit.canonical import canonical_json
from ketenwijs.audit.chain import BrokenLink, Problem, VerifyResult

HEAD_PURPOSE = "audit-head"


def sign_head(organisation: str, last_sequence: int, last_chain_hash: str, key: bytes) -> str:
    """Return the HMAC-SHA256 (hex) over an organisation's chain head."""
    payload = canonical_json(
        {
            "type": "ketenwijs.audit.head",
            "version": 1,
            "organisation": organisation,
            "last_sequence": last_sequence,
            "last_chain_hash": last_chain_hash,
        }
    )
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def check_head(
    result: VerifyResult,
    *,
    organisation: str,
    last_sequence: int,
    last_chain_hash: str,
    signature: str,
    key: bytes,
) -> VerifyResult:
    """Return `result`, or a failed one when the rows end elsewhere than the signed head says."""
    if not result.ok:
        return result
    seen = result.last_sequence or 0
    if last_sequence == 0 and not signature:
        # Nothing was ever appended through the application; rows without a head are forged.
        if result.last_sequence is None:
            return result
        nl = "er staan records in de keten die nooit via de applicatie zijn toegevoegd"
        en = "the chain holds records that were never appended through the application"
    elif not hmac.compare_digest(
        sign_head(organisation, last_sequence, last_chain_hash, key), signature
    ):
        nl = "de ondertekende kop van de keten is gewijzigd of vervalst"
        en = "the signed head of the chain was altered or forged"
    elif result.last_chain_hash == last_chain_hash:
        return result
    elif seen < last_sequence:
        nl = (
            f"de keten eindigt bij record {seen}, maar de ondertekende kop noemt record "
            f"{last_sequence}: de nieuwste records zijn verwijderd"
        )
        en = (
            f"the chain ends at record {seen}, but the signed head names record "
            f"{last_sequence}: the newest records were removed"
        )
    else:
        nl = "het laatste record hoort niet bij de ondertekende kop van de keten"
        en = "the last record does not match the signed head of the chain"
    broken = BrokenLink(result.verified_count, last_sequence, Problem.HEAD_MISMATCH, nl, en)
    return replace(result, ok=False, first_broken=broken)

"""Reference verifier for Ketenwijs audit bundles (docs/audit-bundle.md), independent of Ketenwijs.

Standard library plus one Ed25519 implementation (`cryptography`). Usage:
    python verify_audit_bundle.py BUNDLE PUBLIC_KEY_BASE64
Exit 0 intact, 1 broken, 2 unreadable.
"""

import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def jcs(v):  # RFC 8785 for what bundles hold: null, booleans, integers, strings, arrays, objects
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(jcs(k) + ":" + jcs(v[k]) for k in keys) + "}"
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)  # JCS string escapes equal json's for these values


class Broken(Exception):  # noqa: N818
    pass


def check(ok, message):
    if not ok:
        raise Broken(message)


def sha(data):
    return hashlib.sha256(data).digest()


def verify(path, public_key_b64):
    with open(path, encoding="utf-8") as f:
        header = json.loads(f.readline())
        records = [json.loads(line) for line in f]
    cp = header["checkpoint"]
    signed = {
        k: cp[k]
        for k in ("type", "version", "log_id", "tree_size", "root_hash", "timestamp", "key_id")
    }
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
    key.verify(
        base64.b64decode(cp["signature"]), jcs(signed).encode()
    )  # InvalidSignature if forged
    check(cp["log_id"] == header["log_id"], "checkpoint of another log")
    size = header["prefix"]["size"]
    peaks = [bytes.fromhex(h) for h in header["prefix"]["peaks"]]  # perfect subtrees, largest first
    levels = [b for b in range(64, -1, -1) if size >> b & 1]
    stack = list(zip(levels, peaks, strict=True))
    prev = (
        header["prefix"]["prev_chain_hash"]
        if size
        else hashlib.sha256(("ketenwijs/audit/genesis/v1/" + header["log_id"]).encode()).hexdigest()
    )
    for r in records:
        n = r["sequence"]
        check(n == size + 1, f"record {size + 1}: missing or out of order (found {n})")
        check(
            hashlib.sha256(jcs(r["content"]).encode()).hexdigest() == r["content_hash"],
            f"record {n}: content changed",
        )
        chain = hashlib.sha256(
            b"ketenwijs/audit/chain/v1\0" + prev.encode() + b"\0" + r["content_hash"].encode()
        ).hexdigest()
        check(r["prev_hash"] == prev and r["chain_hash"] == chain, f"record {n}: chain link broken")
        level, node = 0, sha(b"\0" + bytes.fromhex(chain))  # RFC 9162 leaf hash
        while stack and stack[-1][0] == level:  # merge equal-sized subtrees
            node = sha(b"\1" + stack.pop()[1] + node)
            level += 1
        stack.append((level, node))
        prev, size = chain, size + 1
    root = stack[-1][1] if stack else sha(b"")
    for _level, peak in reversed(stack[:-1]):
        root = sha(b"\1" + peak + root)
    check(size == cp["tree_size"], f"records {size + 1}-{cp['tree_size']} missing")
    check(root.hex() == cp["root_hash"], "records do not add up to the signed root")
    return size


if __name__ == "__main__":
    try:
        print(f"intact: {verify(sys.argv[1], sys.argv[2])} records")
    except (Broken, InvalidSignature) as exc:
        print(f"broken: {exc or 'checkpoint signature does not verify'}", file=sys.stderr)
        sys.exit(1)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:  # JSON errors too
        print(f"unreadable: {exc}", file=sys.stderr)
        sys.exit(2)

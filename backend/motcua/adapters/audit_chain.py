"""Hash chaining for the append-only audit trail: each entry's hash covers the previous entry's hash."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def entry_hash(
    *, subject: str, seq: int, at: datetime, actor: str, action: str, device: str,
    before: dict[str, Any] | None, after: dict[str, Any] | None, prev_hash: str,
) -> str:
    canonical = json.dumps(
        {
            "subject": subject, "seq": seq, "at": at.isoformat(), "actor": actor, "action": action,
            "device": device, "before": before, "after": after, "prev": prev_hash,
        },
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

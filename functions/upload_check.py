"""S3 ``ObjectCreated`` notifications on the uploads bucket (prefix ``incoming/``) → the upload check: each new
object is inspected and moved to ``checked/`` or ``quarantine/``.

Keys in S3 events are URL-encoded (a space arrives as ``+``, ``ả`` as ``%E1%BA%A3``): decoded with
``unquote_plus``. One event may hold several records; each is handled, and if any failed for a reason worth
retrying (S3 unreachable) the invocation fails after the others are done, so Lambda's retry of the asynchronous
event sees the handled ones as "missing" and redoes only the rest. Records for another bucket, other event
types or keys outside the inbox are skipped and logged, never retried.
Reply: ``{"results": [{"key", "outcome", "reason", "stored_key"}]}``.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote_plus

from functions import _runtime

log = logging.getLogger(__name__)


def handler(event: dict[str, Any], context: object) -> dict[str, list[dict[str, str | None]]]:
    services = _runtime.aws()
    results: list[dict[str, str | None]] = []
    errors: list[BaseException] = []
    records = event.get("Records") if isinstance(event, dict) else None
    for record in records if isinstance(records, list) else []:
        try:
            bucket = record["s3"]["bucket"]["name"]
            key = unquote_plus(record["s3"]["object"]["key"])
            name = record.get("eventName", "")
        except (KeyError, TypeError):
            log.error("not an S3 notification record: %.300r", record)
            continue
        if bucket != services.uploads.bucket or not name.startswith("ObjectCreated:"):
            log.warning("skipped %s on s3://%s/%s", name, bucket, key)
            continue
        try:
            verdict = services.upload_check.check(key)
        except ValueError as exc:  # a key outside the inbox: nothing to retry
            log.warning("skipped s3://%s/%s: %s", bucket, key, exc)
            results.append({"key": key, "outcome": "skipped", "reason": str(exc), "stored_key": None})
            continue
        except Exception as exc:
            log.exception("upload check of %s failed", key)
            errors.append(exc)
            continue
        log.info("upload %s: %s %s", key, verdict.outcome, verdict.reason or "")
        results.append({"key": key, "outcome": verdict.outcome, "reason": verdict.reason,
                        "stored_key": verdict.stored_key})
    if errors:
        raise RuntimeError(f"{len(errors)} of the uploads could not be checked; Lambda will retry") from errors[0]
    return {"results": results}

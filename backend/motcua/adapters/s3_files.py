"""File port on S3 (the AWS runtime), presigned links for phones, and the inbox of direct uploads.

- :class:`S3FileStore` implements ``FileStore`` on one private bucket. Every put asks for server-side
  encryption (SSE-S3 "AES256", or SSE-KMS with a key id when configured), so nothing is stored in clear even if
  the bucket's default encryption were switched off. Keys are checked exactly like the local folder's
  (``validate_key``): both stores accept the same keys and refuse the same tricks.
- :meth:`S3FileStore.download_url` gives a short-lived presigned GET (default 5 minutes) for results and
  receipts, with the download name and type set by S3 (``response-content-disposition``), so a large signed
  PDF never passes through Lambda (6 MB response limit) and the link is useless after a few minutes.
- :meth:`S3FileStore.upload_form` builds a presigned POST for a phone to upload an attachment straight to
  the bucket. The policy pins the exact key (under an inbox prefix), the bucket, the declared content type, a
  size range (1 byte … the limit), server-side encryption, the display name and ``success_action_status``,
  and expires after ``expires_in`` seconds. S3 enforces these conditions; moto does not, which is why the
  tests decode and check the policy document itself.
- :class:`S3UploadInbox` is where those uploads land (``incoming/``): ``UploadCheckService`` reads each one,
  then it moves to ``checked/`` (sanitised bytes, tagged with the check result and SHA-256, which is also in the
  metadata so a HEAD reads it) or, byte for byte by a server-side copy, to ``quarantine/`` (tagged with the
  refusal code; a separate bucket if configured). Both moves write the target before deleting the raw upload,
  so whoever finds the upload gone can read its outcome; two checks racing on one upload store the same result.
- :class:`S3DirectUploads` is the storage side of ``services/direct_uploads.py``: forms, the outcome of a check
  (HEAD on ``checked/``, the tags of the quarantined copy), and ``adopt``: a server-side ``CopyObject`` of the
  checked object into the results bucket at the attachment's key, so the bytes never pass through Lambda again.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote, urlencode

from motcua.adapters.aws_clients import AwsClients, error_code
from motcua.adapters.local_files import validate_key, validate_prefix
from motcua.services.dossiers import StoredUpload
from motcua.services.ports import CheckedFile
from motcua.services.upload_check import IncomingUpload

INBOX_PREFIX = "incoming/"
CHECKED_PREFIX = "checked/"
QUARANTINE_PREFIX = "quarantine/"
UPLOAD_TYPES = ("image/jpeg", "image/png", "application/pdf")
_MISSING = {"NoSuchKey", "404", "NotFound"}


@dataclass(frozen=True)
class UploadForm:
    """What a phone needs for a presigned POST: the URL, the form fields to send before the file, the key."""

    url: str
    fields: dict[str, str]
    key: str
    expires_at: datetime
    max_bytes: int
    content_type: str

    def policy(self) -> dict[str, Any]:
        """The decoded policy document (what S3 will enforce)."""
        encoded = self.fields.get("policy") or self.fields["Policy"]  # SigV4 names it "policy"
        return json.loads(base64.b64decode(encoded))  # type: ignore[no-any-return]


def _encryption(kms_key_id: str | None) -> dict[str, str]:
    if kms_key_id:
        return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_id}
    return {"ServerSideEncryption": "AES256"}


class S3FileStore:
    def __init__(self, clients: AwsClients, bucket: str, *, kms_key_id: str | None = None) -> None:
        self._clients = clients
        self.bucket = bucket
        self._sse = _encryption(kms_key_id)

    @property
    def _s3(self) -> Any:
        return self._clients.client("s3")

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        self._s3.put_object(Bucket=self.bucket, Key=validate_key(key), Body=data, ContentType=content_type,
                            **self._sse)

    def get(self, key: str) -> bytes | None:
        try:
            response = self._s3.get_object(Bucket=self.bucket, Key=validate_key(key))
        except Exception as exc:
            if error_code(exc) in _MISSING:
                return None
            raise
        return response["Body"].read()  # type: ignore[no-any-return]

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self.bucket, Key=validate_key(key))  # deleting a missing key succeeds

    def exists(self, key: str) -> bool:
        try:
            self._s3.head_object(Bucket=self.bucket, Key=validate_key(key))
        except Exception as exc:
            if error_code(exc) in _MISSING:
                return False
            raise
        return True

    def keys(self, prefix: str) -> list[str]:
        pages = self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=validate_prefix(prefix))
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def copy_from(self, bucket: str, source_key: str, key: str, *, content_type: str) -> None:
        """Server-side copy of ``bucket/source_key`` to ``key`` here (encrypted like every put)."""
        self._s3.copy_object(Bucket=self.bucket, Key=validate_key(key),
                             CopySource={"Bucket": bucket, "Key": validate_key(source_key)},
                             MetadataDirective="REPLACE", ContentType=content_type, **self._sse)

    def download_url(self, key: str, *, filename: str, content_type: str = "application/pdf",
                     expires_in: int = 300, inline: bool = True) -> str:
        """A presigned GET valid for ``expires_in`` seconds that downloads as ``filename`` (UTF-8 safe)."""
        disposition = "inline" if inline else "attachment"
        ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
        params = {
            "Bucket": self.bucket,
            "Key": validate_key(key),
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",  # personal documents: no browser or proxy keeps a copy
            "ResponseContentDisposition": f"{disposition}; filename=\"{ascii_name}\"; "
                                          f"filename*=UTF-8''{quote(filename, safe='')}",
        }
        return self._s3.generate_presigned_url("get_object", Params=params,  # type: ignore[no-any-return]
                                               ExpiresIn=expires_in)

    def upload_form(self, key: str, *, content_type: str, max_bytes: int, filename: str = "",
                    expires_in: int = 600) -> UploadForm:
        """A presigned POST for one upload to ``key`` (which must be under ``incoming/``); see the module doc."""
        validate_key(key)
        if not key.startswith(INBOX_PREFIX):
            raise ValueError(f"direct uploads go under {INBOX_PREFIX!r}, not {key!r}")
        if content_type not in UPLOAD_TYPES:
            raise ValueError(f"content type {content_type!r} is not accepted for upload")
        if not 0 < max_bytes <= 5 * 1024**3 or not 0 < expires_in <= 3600:
            raise ValueError("max_bytes must be 1 B … 5 GB and expires_in 1 … 3600 s")
        prefix = key.rsplit("/", 1)[0] + "/"
        fields = {
            "Content-Type": content_type,
            "x-amz-server-side-encryption": self._sse["ServerSideEncryption"],
            "x-amz-meta-filename": quote(filename[:200], safe=""),
            "success_action_status": "201",
        }
        if "SSEKMSKeyId" in self._sse:
            fields["x-amz-server-side-encryption-aws-kms-key-id"] = self._sse["SSEKMSKeyId"]
        conditions: list[Any] = [
            ["starts-with", "$key", prefix],
            ["content-length-range", 1, max_bytes],
            *({name: value} for name, value in fields.items()),
        ]
        post = self._s3.generate_presigned_post(Bucket=self.bucket, Key=key, Fields=fields, Conditions=conditions,
                                                ExpiresIn=expires_in)
        form = UploadForm(url=post["url"], fields=post["fields"], key=key, expires_at=datetime.now(UTC),
                          max_bytes=max_bytes, content_type=content_type)
        expiration = datetime.fromisoformat(form.policy()["expiration"].replace("Z", "+00:00"))
        return replace(form, expires_at=expiration)


class S3UploadInbox:
    """``UploadInbox`` on S3: ``incoming/…`` → ``checked/…`` or ``quarantine/…`` (see the module docstring)."""

    def __init__(self, clients: AwsClients, bucket: str, *, quarantine_bucket: str | None = None,
                 kms_key_id: str | None = None) -> None:
        self._clients = clients
        self.bucket = bucket
        self.quarantine_bucket = quarantine_bucket or bucket
        self._sse = _encryption(kms_key_id)

    @property
    def _s3(self) -> Any:
        return self._clients.client("s3")

    @staticmethod
    def _rest(key: str) -> str:
        # Whatever landed under incoming/ must be checked, whoever chose its name, so any S3 key is taken here
        # (S3 keys are opaque: ".." or spaces do not traverse anything); the forms we hand out use plain keys.
        if (not isinstance(key, str) or not key.startswith(INBOX_PREFIX) or len(key) == len(INBOX_PREFIX)
                or len(key.encode()) > 1024 - len(QUARANTINE_PREFIX) or any(ord(ch) < 32 for ch in key)):
            raise ValueError(f"not an inbox key: {key!r}")
        return key[len(INBOX_PREFIX):]

    def read(self, key: str, *, max_bytes: int) -> IncomingUpload | None:
        self._rest(key)
        try:
            # One GET: its headers (size, name) and its body are one version of the object, so the bytes checked
            # are the bytes announced; an object over the limit is closed unread.
            response = self._s3.get_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            if error_code(exc) in _MISSING:
                return None
            raise
        size = int(response["ContentLength"])
        filename = unquote(response.get("Metadata", {}).get("filename", "")) or key.rsplit("/", 1)[-1]
        with response["Body"] as body:
            return IncomingUpload(key, size, filename, body.read() if size <= max_bytes else None)

    def accept(self, key: str, checked: CheckedFile) -> str:
        target = CHECKED_PREFIX + self._rest(key)
        tags = {"motcua-check": "passed", "sha256": checked.sha256}
        self._s3.put_object(Bucket=self.bucket, Key=target, Body=checked.data, ContentType=checked.content_type,
                            Metadata={"filename": quote(checked.filename, safe=""), "sha256": checked.sha256},
                            Tagging=urlencode(tags), **self._sse)
        self._s3.delete_object(Bucket=self.bucket, Key=key)
        return target

    def quarantine(self, key: str, reason: str) -> str:
        target = QUARANTINE_PREFIX + self._rest(key)
        tags = {"motcua-check": "refused", "reason": reason[:200]}
        try:
            self._s3.copy_object(Bucket=self.quarantine_bucket, Key=target,
                                 CopySource={"Bucket": self.bucket, "Key": key}, TaggingDirective="REPLACE",
                                 Tagging=urlencode(tags), **self._sse)
        except Exception as exc:
            # Gone between our read and this copy: a racing check (the S3 event, or the complete call) moved the
            # same bytes to the same place first.
            if error_code(exc) not in _MISSING:
                raise
            return target
        self._s3.delete_object(Bucket=self.bucket, Key=key)
        return target

    def quarantine_reason(self, key: str) -> str | None:
        """The refusal code of the quarantined copy of ``key``, or None if it was not quarantined."""
        try:
            tags = self._s3.get_object_tagging(Bucket=self.quarantine_bucket,
                                               Key=QUARANTINE_PREFIX + self._rest(key))["TagSet"]
        except Exception as exc:
            if error_code(exc) in _MISSING:
                return None
            raise
        found = {t["Key"]: t["Value"] for t in tags}
        return found.get("reason") or "unsupported_file_type"

    def checked_upload(self, key: str) -> tuple[str, StoredUpload] | None:
        """(checked key, facts) of what the check accepted for ``key``, or None."""
        target = CHECKED_PREFIX + self._rest(key)
        try:
            head = self._s3.head_object(Bucket=self.bucket, Key=target)
        except Exception as exc:
            if error_code(exc) in _MISSING:
                return None
            raise
        metadata = head.get("Metadata", {})
        if head.get("ContentType") not in UPLOAD_TYPES or not metadata.get("sha256"):
            return None  # not written by accept(): nothing to attach
        facts = StoredUpload(filename=unquote(metadata.get("filename", "")) or target.rsplit("/", 1)[-1],
                             content_type=head["ContentType"], size=int(head["ContentLength"]),
                             sha256=metadata["sha256"])
        return target, facts


@dataclass(frozen=True)
class _CheckedObject(StoredUpload):
    key: str = ""


class S3DirectUploads:
    """``DirectUploadStore`` on S3 (see the module docstring): forms from the uploads bucket, outcomes from the
    inbox, attachments copied into the results bucket (the file port's bucket) inside S3."""

    def __init__(self, uploads: S3FileStore, inbox: S3UploadInbox, results: S3FileStore) -> None:
        self._uploads, self._inbox, self._results = uploads, inbox, results

    def upload_form(self, key: str, *, content_type: str, max_bytes: int, filename: str,
                    expires_in: int) -> UploadForm:
        return self._uploads.upload_form(key, content_type=content_type, max_bytes=max_bytes, filename=filename,
                                         expires_in=expires_in)

    def checked(self, inbox_key: str) -> StoredUpload | None:
        found = self._inbox.checked_upload(inbox_key)
        if found is None:
            return None
        key, facts = found
        return _CheckedObject(facts.filename, facts.content_type, facts.size, facts.sha256, key=key)

    def quarantined(self, inbox_key: str) -> str | None:
        return self._inbox.quarantine_reason(inbox_key)

    def adopt(self, upload: StoredUpload, key: str) -> None:
        assert isinstance(upload, _CheckedObject)
        self._results.copy_from(self._inbox.bucket, upload.key, key, content_type=upload.content_type)

    def discard(self, upload: StoredUpload) -> None:
        assert isinstance(upload, _CheckedObject)
        self._uploads.delete(upload.key)

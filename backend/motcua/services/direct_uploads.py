"""Attachments a phone uploads straight to storage (a presigned POST), then attaches to its dossier.

Through API Gateway and Lambda a request body is capped at 6 MB (less once binary is base64-encoded), below the
10 MB a photo or scan may weigh. So on the AWS runtime the PWA

1. asks :meth:`DirectUploadService.issue_form` for a form: the dossier must be the citizen's own and accept files
   (draft, or supplement requested: ``DossierService.accepting_document``, the same rules as ``add_attachment``),
   the document must be one of the procedure's, the type JPEG/PNG/PDF and the declared size within the limit.
   The form's policy pins one key ``incoming/dossiers/<dossier>/<document>/<attachment>-<mac>``: the dossier id,
   the document id and a fresh attachment id, sealed with an HMAC of the server's secret. No user text is in the
   key (the display name travels as metadata). The policy's size limit is the declared size;
2. posts the file to storage, which announces it to the upload check (``functions/upload_check.py``);
3. calls :meth:`DirectUploadService.complete` with the key. The key is parsed and its HMAC recomputed: a key that
   was not issued, or was issued for another dossier, is refused. The upload is then checked here unless the
   storage event got there first — :meth:`UploadCheckService.check` moves the raw object out of the inbox, so
   whichever runs first does the work and the other finds it gone ("missing") and reads the outcome from where
   it went: ``checked/`` (accepted) or quarantine (refused, with the inspection's code → the same Vietnamese
   message an API upload gets: 415 unsupported type, 413 too large, 422 unsafe or damaged). Nothing anywhere →
   409 ``upload_missing`` (not sent yet, or the form expired). An accepted object is attached through
   ``DossierService.add_checked_attachment`` (the same rules again, at the moment of attaching), its bytes copied
   inside storage to the dossier's attachment key (never through the function), and the checked copy removed.

The attachment id is fixed when the form is issued, so completing twice (a retry after a lost reply, two tabs)
returns the same attachment, and two racing completes store one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from motcua.domain.dossiers import Attachment
from motcua.domain.errors import Conflict, DomainError, InvalidInput
from motcua.services.dossiers import Actor, DossierService, StoredUpload
from motcua.services.upload_check import UploadCheckService

INBOX_PREFIX = "incoming/dossiers/"
UPLOAD_TYPES = ("image/jpeg", "image/png", "application/pdf")
FORM_TTL_SECONDS = 600
MAX_FILENAME_CHARS = 255
_KEY = re.compile(r"^incoming/dossiers/([0-9a-f]{32})/([a-z0-9_]{1,64})/([0-9a-f]{32})-([0-9a-f]{32})$")


class IssuedForm(Protocol):
    """What the phone needs: POST ``fields`` then the file to ``url``; the object lands at ``key``."""

    @property
    def url(self) -> str: ...

    @property
    def fields(self) -> dict[str, str]: ...

    @property
    def key(self) -> str: ...

    @property
    def expires_at(self) -> datetime: ...


class DirectUploadStore(Protocol):
    """Storage side of direct uploads (``adapters/s3_files.py``: ``S3DirectUploads``)."""

    def upload_form(self, key: str, *, content_type: str, max_bytes: int, filename: str,
                    expires_in: int) -> IssuedForm: ...

    def checked(self, inbox_key: str) -> StoredUpload | None:
        """What the check accepted for ``inbox_key`` (in the checked area), or None."""

    def quarantined(self, inbox_key: str) -> str | None:
        """The refusal code if the upload at ``inbox_key`` was quarantined, else None."""

    def adopt(self, upload: StoredUpload, key: str) -> None:
        """Copy the checked object into the file store at ``key`` (inside storage, no bytes through here)."""

    def discard(self, upload: StoredUpload) -> None:
        """Remove the checked object once the dossier holds its copy."""


def _invalid_key() -> InvalidInput:
    return InvalidInput("invalid_upload_key", "Mã tệp tải lên không hợp lệ cho hồ sơ này.",
                        message_en="This upload key was not issued for this dossier.",
                        fields={"key": "Mã tệp tải lên: không hợp lệ."})


class DirectUploadService:
    def __init__(self, dossiers: DossierService, store: DirectUploadStore, check: UploadCheckService, *,
                 secret: bytes, max_bytes: int, explain: Callable[[str], DomainError]) -> None:
        self._dossiers = dossiers
        self._store = store
        self._check = check
        # A key of its own for upload keys: the session secret is never used twice for different purposes.
        self._mac_key = hmac.new(secret, b"motcua direct upload keys v1", hashlib.sha256).digest()
        self._max_bytes = max_bytes
        self._explain = explain  # refusal code -> the inspection's own error (Vietnamese message, status)

    def _mac(self, dossier_id: str, document_id: str, attachment_id: str) -> str:
        message = f"{dossier_id}/{document_id}/{attachment_id}".encode()
        return hmac.new(self._mac_key, message, hashlib.sha256).hexdigest()[:32]

    def key_for(self, dossier_id: str, document_id: str, attachment_id: str) -> str:
        return (f"{INBOX_PREFIX}{dossier_id}/{document_id}/{attachment_id}-"
                f"{self._mac(dossier_id, document_id, attachment_id)}")

    def _parse(self, dossier_id: str, key: object) -> tuple[str, str]:
        """(document id, attachment id) of a key issued for ``dossier_id``; anything else is refused."""
        match = _KEY.match(key) if isinstance(key, str) and len(key) <= 300 else None
        if match is None:
            raise _invalid_key()
        key_dossier, document_id, attachment_id, mac = match.groups()
        if key_dossier != dossier_id or not hmac.compare_digest(mac, self._mac(key_dossier, document_id,
                                                                                attachment_id)):
            raise _invalid_key()
        return document_id, attachment_id

    def issue_form(self, actor: Actor, dossier_id: str, *, document_id: object, filename: object,
                   content_type: object, size: object) -> IssuedForm:
        # The dossier's own rules first (404 for another citizen's, 409 when it no longer takes files, 422 for a
        # document the procedure does not list).
        self._dossiers.accepting_document(actor, dossier_id, document_id)
        fields: dict[str, str] = {}
        if content_type not in UPLOAD_TYPES:
            fields["content_type"] = "Loại tệp: chỉ nhận ảnh JPEG, PNG hoặc tệp PDF."
        if not isinstance(filename, str) or not filename.strip() or len(filename) > MAX_FILENAME_CHARS:
            fields["filename"] = f"Tên tệp: cần có, tối đa {MAX_FILENAME_CHARS} ký tự."
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            fields["size"] = "Dung lượng: phải là số byte của tệp."
        elif size > self._max_bytes:
            mb = self._max_bytes / (1024 * 1024)
            mb_text = (str(int(mb)) if mb == int(mb) else f"{mb:.1f}").replace(".", ",")
            raise InvalidInput("file_too_large", f"Tệp vượt quá dung lượng cho phép (tối đa {mb_text} MB).",
                               message_en=f"The file is larger than the {mb_text.replace(',', '.')} MB limit.",
                               fields={"size": f"Dung lượng: tối đa {mb_text} MB."})
        if fields:
            raise InvalidInput("validation_failed", "Thông tin tệp tải lên chưa hợp lệ.",
                               message_en="The file description is not valid.", fields=fields)
        assert isinstance(document_id, str) and isinstance(filename, str) and isinstance(size, int)
        assert isinstance(content_type, str)
        key = self.key_for(dossier_id, document_id, uuid.uuid4().hex)
        return self._store.upload_form(key, content_type=content_type, max_bytes=size, filename=filename,
                                       expires_in=FORM_TTL_SECONDS)

    def complete(self, actor: Actor, dossier_id: str, key: object) -> Attachment:
        document_id, attachment_id = self._parse(dossier_id, key)
        assert isinstance(key, str)
        attached = self._attached(actor, dossier_id, attachment_id)  # also 404 for another citizen's dossier
        if attached is not None:
            return attached
        upload = self._outcome(actor, dossier_id, attachment_id, key)
        if isinstance(upload, Attachment):
            return upload
        attachment = self._dossiers.add_checked_attachment(
            actor, dossier_id, attachment_id=attachment_id, document_id=document_id, upload=upload,
            place=lambda target: self._store.adopt(upload, target))
        self._store.discard(upload)
        return attachment

    def _attached(self, actor: Actor, dossier_id: str, attachment_id: str) -> Attachment | None:
        return self._dossiers.get(actor, dossier_id).find_attachment_or_none(attachment_id)

    def _outcome(self, actor: Actor, dossier_id: str, attachment_id: str, key: str) -> StoredUpload | Attachment:
        verdict = self._check.check(key)
        if verdict.outcome == "quarantined":
            raise self._explain(verdict.reason or "unsupported_file_type")
        upload = self._store.checked(key)
        if upload is not None:
            return upload
        if verdict.outcome == "missing":  # handled before: by the storage event, or by a racing complete
            reason = self._store.quarantined(key)
            if reason is not None:
                raise self._explain(reason)
        attached = self._attached(actor, dossier_id, attachment_id)  # a racing complete attached it meanwhile
        if attached is not None:
            return attached
        raise Conflict("upload_missing", "Chưa nhận được tệp tải lên; vui lòng gửi lại tệp.",
                       message_en="The upload has not arrived; please send the file again.")

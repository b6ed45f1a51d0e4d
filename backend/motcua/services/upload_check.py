"""Checking a file a phone uploaded straight to storage (S3 presigned POST), before anyone opens it.

A direct upload bypasses the API, so the bytes have not been through the upload inspection yet. The storage
announces each new object (an S3 Put event → ``functions/upload_check.py``); :meth:`UploadCheckService.check`
reads it, runs the same inspection the API uses (content sniffing, size, metadata stripping, active-content
PDFs) and then either

- accepts it: the sanitised bytes are stored under the checked area, marked with their SHA-256, content type
  and display name, and the raw upload is removed; or
- quarantines it: the raw upload is moved, untouched, to the quarantine area with the refusal code, for an
  operator to look at; nothing downstream reads the quarantine.

Events arrive at least once and possibly twice: a key that is no longer in the inbox was handled already
("missing"), which is not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from motcua.domain.errors import DomainError
from motcua.services.ports import CheckedFile, UploadChecker


@dataclass(frozen=True)
class IncomingUpload:
    """An object in the inbox. ``data`` is None when it is larger than the limit (it was not downloaded)."""

    key: str
    size: int
    filename: str
    data: bytes | None


class UploadInbox(Protocol):
    """Where direct uploads land, and the two places they go after the check."""

    def read(self, key: str, *, max_bytes: int) -> IncomingUpload | None:
        """The upload at ``key``, or None if there is none (already handled, or never there)."""

    def accept(self, key: str, checked: CheckedFile) -> str:
        """Store the sanitised bytes as checked, remove the raw upload; returns the checked key."""

    def quarantine(self, key: str, reason: str) -> str:
        """Move the raw upload unchanged to quarantine, labelled with ``reason``; returns its new key."""


@dataclass(frozen=True)
class UploadVerdict:
    key: str
    outcome: Literal["accepted", "quarantined", "missing"]
    stored_key: str | None = None
    reason: str | None = None  # the inspection's error code when quarantined
    sha256: str | None = None
    content_type: str | None = None


class UploadCheckService:
    def __init__(self, inbox: UploadInbox, checker: UploadChecker, *, max_bytes: int) -> None:
        self._inbox = inbox
        self._checker = checker
        self._max_bytes = max_bytes

    def check(self, key: str) -> UploadVerdict:
        """Inspect the upload at ``key`` and accept or quarantine it (see the module docstring)."""
        upload = self._inbox.read(key, max_bytes=self._max_bytes)
        if upload is None:
            return UploadVerdict(key, "missing")
        if upload.data is None:
            return UploadVerdict(key, "quarantined", self._inbox.quarantine(key, "file_too_large"), "file_too_large")
        try:
            checked = self._checker.check(upload.data, upload.filename)
        except DomainError as refused:
            return UploadVerdict(key, "quarantined", self._inbox.quarantine(key, refused.code), refused.code)
        stored = self._inbox.accept(key, checked)
        return UploadVerdict(key, "accepted", stored, sha256=checked.sha256, content_type=checked.content_type)

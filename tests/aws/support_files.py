"""Real file bytes for the AWS tests (the API tests' builders, plus hostile ones)."""

from __future__ import annotations

from api.helpers import jpeg_bytes, pdf_bytes

__all__ = ["jpeg_bytes", "pdf_bytes"]

"""Real file bytes for the AWS tests (the API tests' builders, plus hostile ones)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.helpers import jpeg_bytes, pdf_bytes  # noqa: E402

__all__ = ["jpeg_bytes", "pdf_bytes"]

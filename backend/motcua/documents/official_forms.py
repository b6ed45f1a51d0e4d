"""The official one-stop slips other than the receipt, in one import (Thông tư 01/2018/TT-VPCP; Thông tư 03/2025).

- :func:`render_supplement_request` — Mẫu 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ;
- :func:`render_refusal` — Phiếu từ chối tiếp nhận giải quyết hồ sơ;
- :func:`render_apology` — Phiếu xin lỗi và hẹn lại ngày trả kết quả;
- :func:`render_control_sheet` — Phiếu kiểm soát quá trình giải quyết hồ sơ.

Each form lives in its own module (with a ``build_*_story`` for combined print jobs); they share
:class:`DossierRef` and the layout pieces in :mod:`motcua.documents._common`. All return A4 PDF bytes with the
bundled Noto Serif fonts, NFC text, and refuse naive datetimes with ``ValueError``.
"""

from __future__ import annotations

from motcua.documents._common import DossierRef
from motcua.documents.apology_slip import build_apology_story, render_apology
from motcua.documents.control_sheet import (
    OUTCOME_LABELS,
    HandoverRow,
    build_control_sheet_story,
    outcome_label,
    render_control_sheet,
)
from motcua.documents.refusal_slip import build_refusal_story, render_refusal
from motcua.documents.supplement_slip import (
    KIND_LABELS,
    MissingItem,
    build_supplement_story,
    kind_label,
    render_supplement_request,
)

__all__ = [
    "KIND_LABELS",
    "OUTCOME_LABELS",
    "DossierRef",
    "HandoverRow",
    "MissingItem",
    "build_apology_story",
    "build_control_sheet_story",
    "build_refusal_story",
    "build_supplement_story",
    "kind_label",
    "outcome_label",
    "render_apology",
    "render_control_sheet",
    "render_refusal",
    "render_supplement_request",
]

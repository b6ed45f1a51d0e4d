"""Satisfaction ratings (đánh giá mức độ hài lòng): one per dossier, after the result is returned.

The criteria follow the satisfaction group of the service-quality indicators (Quyết định 766/QĐ-TTg): time taken,
visits needed, officials' attitude and guidance, clarity of the procedure, cost. Every criterion is optional (a
citizen at a kiosk may tap only the overall score); the overall score is required. Pure: no I/O.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .dossiers import Dossier
from .errors import Conflict, InvalidInput
from .lifecycle import DossierStatus

CRITERIA: tuple[str, ...] = ("time", "visits", "attitude", "guidance", "clarity", "cost")
CRITERIA_LABELS: dict[str, tuple[str, str]] = {
    "time": ("Thời gian giải quyết", "Time taken"),
    "visits": ("Số lần phải đi lại", "Number of visits"),
    "attitude": ("Thái độ của cán bộ", "Officials' attitude"),
    "guidance": ("Hướng dẫn của cán bộ", "Officials' guidance"),
    "clarity": ("Thủ tục rõ ràng, dễ hiểu", "Clarity of the procedure"),
    "cost": ("Chi phí", "Cost"),
}
SCORE_LABELS: dict[int, tuple[str, str]] = {
    1: ("Rất không hài lòng", "Very dissatisfied"),
    2: ("Không hài lòng", "Dissatisfied"),
    3: ("Bình thường", "Neutral"),
    4: ("Hài lòng", "Satisfied"),
    5: ("Rất hài lòng", "Very satisfied"),
}
CHANNELS = ("online", "kiosk")
MAX_COMMENT = 500


@dataclass(frozen=True)
class Rating:
    id: str
    dossier_id: str
    unit_id: str
    procedure_code: str
    channel: str  # "online" | "kiosk"
    overall: int
    criteria: dict[str, int | None]
    comment: str  # stored for the unit; never published as written
    created_at: datetime
    citizen_id: str | None = None  # None at the kiosk (anonymous)
    extra: dict[str, Any] = field(default_factory=dict)


def _score(value: object, name: str, label: str, *, required: bool) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput("validation_failed", f"{label}: chọn từ 1 đến 5 sao.",
                           message_en=f"{name} must be a whole number from 1 to 5.",
                           fields={name: f"{label}: chọn từ 1 đến 5 sao."})
    return value


def clean_rating(body: dict[str, Any]) -> tuple[int, dict[str, int | None], str]:
    """(overall, criteria, comment) from what the citizen sent, or InvalidInput naming each bad field."""
    overall = _score(body.get("overall"), "overall", "Mức độ hài lòng chung", required=True)
    raw = body.get("criteria")
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidInput("validation_failed", "Tiêu chí đánh giá không hợp lệ.",
                           message_en="criteria must be an object.",
                           fields={"criteria": "Tiêu chí đánh giá không hợp lệ."})
    unknown = sorted(str(k)[:40] for k in raw if k not in CRITERIA)
    if unknown:
        raise InvalidInput("validation_failed", "Có tiêu chí đánh giá không tồn tại.",
                           message_en=f"Unknown criteria: {', '.join(unknown)}.",
                           fields={"criteria": "Có tiêu chí đánh giá không tồn tại."})
    criteria = {name: _score(raw.get(name), f"criteria.{name}", CRITERIA_LABELS[name][0], required=False)
                for name in CRITERIA}
    comment = body.get("comment")
    if comment is None:
        comment = ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        raise InvalidInput("validation_failed", f"Góp ý: tối đa {MAX_COMMENT} ký tự.",
                           message_en=f"comment: at most {MAX_COMMENT} characters.",
                           fields={"comment": f"Góp ý: tối đa {MAX_COMMENT} ký tự."})
    comment = "".join(c for c in unicodedata.normalize("NFC", comment)
                      if c in "\n\t" or unicodedata.category(c)[0] != "C").strip()
    assert overall is not None
    return overall, criteria, comment


def ensure_rateable(dossier: Dossier) -> None:
    """A dossier is rated once its result has been returned (national status 10), not before."""
    if dossier.status is not DossierStatus.RETURNED or not dossier.competent_unit_id:
        raise Conflict("not_returned", "Hồ sơ chưa trả kết quả nên chưa thể đánh giá.",
                       message_en="The result has not been returned yet, so the dossier cannot be rated.")


def already_rated() -> Conflict:
    return Conflict("already_rated", "Hồ sơ này đã được đánh giá. Cảm ơn bạn!",
                    message_en="This dossier has already been rated. Thank you!")

"""How long a procedure may take: a number of working days or working hours."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"


@dataclass(frozen=True)
class ProcessingTime:
    """A legal processing time, e.g. 3 working days or 8 working hours."""

    amount: int
    unit: TimeUnit = TimeUnit.WORKING_DAYS

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount <= 0:
            raise ValueError(f"processing time must be a positive whole number, got {self.amount!r}")
        object.__setattr__(self, "unit", TimeUnit(self.unit))

    def label_vi(self) -> str:
        """Vietnamese label as printed on forms: '05 ngày làm việc', '04 giờ làm việc'."""
        noun = "ngày làm việc" if self.unit is TimeUnit.WORKING_DAYS else "giờ làm việc"
        return f"{self.amount:02d} {noun}"

    def label_en(self) -> str:
        noun = "working day" if self.unit is TimeUnit.WORKING_DAYS else "working hour"
        return f"{self.amount} {noun}{'' if self.amount == 1 else 's'}"

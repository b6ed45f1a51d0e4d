"""Officials (cán bộ) and what their roles allow them to do with a dossier.

A person may hold several roles in several units (a leader of a ward who also receives at its counter). Every
official action is checked here against role, unit and the dossier's current step, so the rules live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    RECEIVING_OFFICER = "receiving_officer"
    SPECIALIST = "specialist"
    LEADER = "leader"
    ADMIN = "admin"


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.RECEIVING_OFFICER: ("Cán bộ tiếp nhận", "Receiving officer"),
    Role.SPECIALIST: ("Chuyên viên", "Specialist"),
    Role.LEADER: ("Lãnh đạo", "Leader"),
    Role.ADMIN: ("Quản trị", "Administrator"),
}


@dataclass(frozen=True)
class Membership:
    unit_id: str
    role: Role


@dataclass(frozen=True)
class Official:
    id: str
    name: str
    title: str  # printed under the signature, e.g. "PHÓ CHỦ TỊCH"
    phone: str | None = None
    email: str | None = None
    memberships: tuple[Membership, ...] = field(default_factory=tuple)

    def has_role(self, unit_id: str | None, role: Role) -> bool:
        return unit_id is not None and Membership(unit_id, role) in self.memberships

    def units(self) -> list[str]:
        return sorted({m.unit_id for m in self.memberships})

    def is_admin(self) -> bool:
        return any(m.role is Role.ADMIN for m in self.memberships)

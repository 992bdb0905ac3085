"""Who does something: shared by the console, the staff Telegram group, campaigns and PAKN."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["admin", "staff", "volunteer", "system"]
RANK: dict[str, int] = {"volunteer": 1, "staff": 2, "admin": 3, "system": 4}


class PermissionDenied(Exception):
    """The actor may not do this (wrong role or another unit's data)."""


@dataclass(frozen=True)
class Actor:
    name: str  # username (console), "tg:<user id>" (staff group), "system"
    role: Role
    units: frozenset[str] = field(default_factory=frozenset)  # empty for admin = all units
    display_name: str = ""

    def can_see(self, unit: str) -> bool:
        if self.role in ("admin", "system") and not self.units:
            return True
        return unit in self.units

    def require(self, role: Role, unit: str | None = None) -> None:
        if RANK[self.role] < RANK[role]:
            raise PermissionDenied(f"{self.name} needs role {role}")
        if unit is not None and not self.can_see(unit):
            raise PermissionDenied(f"{self.name} has no access to unit {unit}")


SYSTEM = Actor("system", "system")

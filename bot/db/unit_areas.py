"""A unit's ấp/khu phố list: the console's edit (table unit_areas) over the YAML default.

Read once per inbound message by the engine (one primary-key look-up), so an edit made in the
console is used by every process at once. Names are checked here, so the console and tests
share one rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models_places import UnitAreas

if TYPE_CHECKING:
    from bot.content.units import Unit

MAX_AREAS = 60  # a commune has a few dozen ấp at most; the form shows them as buttons
MAX_NAME = 60


class AreaError(ValueError):
    """The list cannot be saved; the message is shown to the unit admin (Vietnamese)."""


def clean_areas(lines: Sequence[str]) -> list[str]:
    """One name per line: trimmed, NFC, empty lines dropped; refuses duplicates and long lists."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in lines:
        name = " ".join(unicodedata.normalize("NFC", raw).split())
        if not name:
            continue
        if len(name) > MAX_NAME:
            raise AreaError(f"Tên quá dài (tối đa {MAX_NAME} ký tự): {name[:MAX_NAME]}…")
        if name.casefold() in seen:
            raise AreaError(f"Tên bị trùng: {name}")
        seen.add(name.casefold())
        out.append(name)
    if len(out) > MAX_AREAS:
        raise AreaError(f"Tối đa {MAX_AREAS} ấp/khu phố.")
    return out


async def edited_areas(sess: AsyncSession, unit: str) -> list[str] | None:
    """The list saved in the console, or None when the unit still uses its YAML file."""
    row = await sess.get(UnitAreas, unit)
    return None if row is None else [str(a) for a in row.areas]


async def effective_unit(sess: AsyncSession, unit: Unit) -> Unit:
    """`unit` with the areas edited in the console, when there are any."""
    return with_areas(unit, await edited_areas(sess, unit.key))


def with_areas(unit: Unit, areas: list[str] | None) -> Unit:
    if areas is None or tuple(areas) == unit.areas:
        return unit
    return dataclasses.replace(unit, areas=tuple(areas))


async def save_areas(
    sess: AsyncSession, unit: str, areas: Sequence[str], by: str, now: dt.datetime
) -> list[str]:
    """Store the list (the caller audits it in the same transaction); returns the old list."""
    row = await sess.get(UnitAreas, unit, with_for_update=True)
    if row is None:
        sess.add(UnitAreas(unit=unit, areas=list(areas), updated_at=now, updated_by=by[:128]))
        await sess.flush()
        return []
    before = [str(a) for a in row.areas]
    row.areas, row.updated_at, row.updated_by = list(areas), now, by[:128]
    await sess.flush()
    return before

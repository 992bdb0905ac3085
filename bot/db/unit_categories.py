"""A unit's PAKN categories offered in the form: the console's edit (table unit_categories)
over content/pakn.yaml (units.<key>.categories, or the default list).

Read once per inbound message by the engine, like the ấp/khu phố list (bot/db/unit_areas.py),
so that every process uses an edit at once. Only keys known to the policy can be saved: a
stored petition keeps its key, and reports count by key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models_places import UnitCategories

if TYPE_CHECKING:
    from bot.content.units import Unit

ALWAYS = "khac"  # "Khác": for petitions that fit nowhere else


class CategoryError(ValueError):
    """The list cannot be saved; the message is shown to the unit admin (Vietnamese)."""


def clean_categories(keys: Sequence[str], choosable: Collection[str]) -> list[str]:
    """Known keys only, each once, in the given order; "Khác" is always offered (last if the
    admin left it out)."""
    out: list[str] = []
    for key in keys:
        if key not in choosable:
            raise CategoryError("Lĩnh vực không có trong danh mục; tải lại trang rồi thử lại.")
        if key not in out:
            out.append(key)
    if ALWAYS not in out:
        out.append(ALWAYS)
    if out == [ALWAYS]:
        raise CategoryError("Chọn ít nhất một lĩnh vực ngoài “Khác”.")
    return out


async def edited_categories(sess: AsyncSession, unit: str) -> list[str] | None:
    """The keys saved in the console, or None when the unit uses content/pakn.yaml's list."""
    row = await sess.get(UnitCategories, unit)
    return None if row is None else [str(k) for k in row.categories]


async def effective_unit(sess: AsyncSession, unit: Unit) -> Unit:
    """`unit` with the categories edited in the console, when there are any."""
    return with_categories(unit, await edited_categories(sess, unit.key))


def with_categories(unit: Unit, edited: list[str] | None) -> Unit:
    if not edited:
        return unit
    return dataclasses.replace(unit, pakn_categories=tuple(edited))


async def offered(
    sess: AsyncSession, unit: str, default: Sequence[str], choosable: Collection[str]
) -> tuple[str, ...]:
    """The categories the form offers now: the console's list (minus any key the content no
    longer offers), else `default`."""
    edited = await edited_categories(sess, unit)
    keys = tuple(k for k in edited or () if k in choosable)
    return keys or tuple(default)


async def save_categories(
    sess: AsyncSession, unit: str, keys: Sequence[str], by: str, now: dt.datetime
) -> list[str]:
    """Store the list (the caller audits it in the same transaction); returns the old one."""
    row = await sess.get(UnitCategories, unit, with_for_update=True)
    if row is None:
        sess.add(UnitCategories(unit=unit, categories=list(keys), updated_at=now,
                                updated_by=by[:128]))  # fmt: skip
        await sess.flush()
        return []
    before = [str(k) for k in row.categories]
    row.categories, row.updated_at, row.updated_by = list(keys), now, by[:128]
    await sess.flush()
    return before

"""Scan every column of every table for a person's traces (a table added later is covered).

Values are read through SQLAlchemy (JSON decoded), turned into text, NFC-normalised and
case-folded. A phone number matches however it is written (0912 345 678, +84912345678).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Base


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def phone_pattern(phone: str) -> re.Pattern[str]:
    """The national significant number of `phone`, with any separators between digits."""
    digits = re.sub(r"\D", "", phone).removeprefix("84").lstrip("0")
    # Not inside a longer number, but after a trunk 0 or the country code 84 (0912…, +84912…).
    start = r"(?:(?<!\d)|(?<=0)|(?<=84))"
    return re.compile(start + r"[\s.\-()]*".join(digits) + r"(?!\d)")


@dataclass(frozen=True)
class Hit:
    table: str
    column: str
    needle: str
    value: str

    def __str__(self) -> str:
        return f"{self.table}.{self.column} has {self.needle!r}: {self.value[:160]!r}"


async def find_traces(
    sm: async_sessionmaker[AsyncSession], *, phrases: list[str], phones: list[str] = ()
) -> list[Hit]:
    """Every (table, column) value that contains one of `phrases` or `phones`."""
    patterns = [(p, phone_pattern(p)) for p in phones]
    needles = [(p, fold(p)) for p in phrases]
    hits: list[Hit] = []
    async with sm() as sess:
        for table in Base.metadata.sorted_tables:
            rows = (await sess.execute(select(table))).mappings().all()
            for row in rows:
                for column, value in row.items():
                    if value is None:
                        continue
                    text = fold(_as_text(value))
                    for needle, folded in needles:
                        if folded in text:
                            hits.append(Hit(table.name, column, needle, text))
                    for needle, pattern in patterns:
                        if pattern.search(text):
                            hits.append(Hit(table.name, column, needle, text))
    return hits

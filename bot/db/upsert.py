"""INSERT … ON CONFLICT DO NOTHING for the backends we run on."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert


def insert_ignore(sess: AsyncSession, model: Any, values: dict[str, Any]) -> Insert:
    dialect = sess.bind.dialect.name if sess.bind is not None else "sqlite"
    if dialect == "postgresql":
        return postgresql.insert(model).values(**values).on_conflict_do_nothing()
    return sqlite.insert(model).values(**values).on_conflict_do_nothing()

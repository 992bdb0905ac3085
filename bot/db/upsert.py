"""INSERT … ON CONFLICT DO NOTHING for the backends we run on."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert


def insert_ignoring_conflicts(sess: AsyncSession, model: Any) -> Insert:
    """INSERT INTO model … ON CONFLICT DO NOTHING, in the session's SQL dialect."""
    dialect = sess.bind.dialect.name if sess.bind is not None else "sqlite"
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model).on_conflict_do_nothing()


def insert_ignore(sess: AsyncSession, model: Any, values: dict[str, Any]) -> Insert:
    return insert_ignoring_conflicts(sess, model).values(**values)

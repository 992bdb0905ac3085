"""Deferred writes on SQLite: a write whose result nobody reads goes to the database thread
with the next statement or the COMMIT, in the same trip (bot/db/sqlite_driver.py).

The mark is an SQL comment rendered only by the SQLite dialect, after INSERT or UPDATE; on
PostgreSQL the statement is unchanged and runs at once.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.sql.dml import UpdateBase

DEFERRED = "/* deferred */"
S = TypeVar("S", bound=UpdateBase)


def deferred(statement: S) -> S:
    """`statement` marked for deferral. Only for writes whose rowcount and primary key nobody
    reads; an error it raises surfaces at the next statement or the COMMIT."""
    return statement.prefix_with(DEFERRED, dialect="sqlite")

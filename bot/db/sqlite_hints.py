"""Hints for the SQLite driver (bot/db/sqlite_driver.py), as SQL comments that only the SQLite
dialect renders; on PostgreSQL a marked statement is unchanged.

- `deferred(stmt)`: a write whose result nobody reads goes to the database with the next
  statement or the COMMIT, in the same call.
- `on_loop(stmt)`: a small indexed statement of the hot path runs on the event loop's thread,
  without the trip to aiosqlite's thread, and never waits there: if the database is locked
  (another process writing), it goes to the thread after all and waits as any statement.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.sql.base import Executable

DEFERRED = "/* deferred */"
ON_LOOP = "/* on loop */"
S = TypeVar("S", bound=Executable)


def deferred(statement: S) -> S:
    """`statement` marked for deferral. Only for writes whose rowcount and primary key nobody
    reads; an error it raises surfaces at the next statement or the COMMIT."""
    return statement.prefix_with(DEFERRED, dialect="sqlite")  # type: ignore[attr-defined]


def on_loop(statement: S) -> S:
    """`statement` run on the event loop's thread (see the module's docstring). Only for
    statements that touch a few rows through an index."""
    return statement.prefix_with(ON_LOOP, dialect="sqlite")  # type: ignore[attr-defined]

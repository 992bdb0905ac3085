"""SQLite through aiosqlite with one thread hop per statement instead of four (issue #19).

SQLAlchemy's aiosqlite adapter makes four trips to aiosqlite's database thread per statement:
open a cursor, execute, fetch all rows, close. Each trip is a hand-off to the thread and a
wake-up of the event loop, and on the hot path these trips cost more CPU than the SQL itself.
Here one function runs the whole statement on that thread (cursor, execute, fetch, close) and
hands back the rows with the cursor's description, rowcount and lastrowid.

What stays the same: statements still run on aiosqlite's thread, never on the event loop, so
a writer waiting for another process's lock (busy_timeout) does not freeze the loop; commits,
rollbacks and server-side cursors are aiosqlite's own.

It uses two private names of aiosqlite (`Connection._execute`, `Connection._conn`, present
from 0.17 to at least 0.22); `available()` checks them, and without them make_engine keeps
SQLAlchemy's own adapter.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT


def available() -> bool:
    return hasattr(aiosqlite.Connection, "_execute") and hasattr(aiosqlite.Connection, "_conn")


class _Done:
    """What a statement left on its cursor, carried back from the database thread."""

    __slots__ = ("arraysize", "description", "lastrowid", "rowcount", "rows")

    def __init__(
        self, description: Any = None, rowcount: int = -1, lastrowid: Any = None, rows: Any = ()
    ) -> None:
        self.description = description
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        self.arraysize = 1
        self.rows = rows


def _run(conn: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> _Done:
    """On the database thread: the whole statement."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else ()
        return _Done(cursor.description, cursor.rowcount, cursor.lastrowid, rows)
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def __init__(self, adapt_connection: Any) -> None:  # no aiosqlite cursor: no trip
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = _Done()  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._run(operation, seq_of_parameters, many=True)

    async def _run(self, operation: Any, parameters: Any, *, many: bool) -> None:
        connection: Any = self._connection
        async with self._adapt_connection._execute_mutex:
            done = await connection._execute(_run, connection._conn, operation, parameters, many)
        self._cursor = done
        self._rows = collections.deque(done.rows)

    async def _async_soft_close(self) -> None:
        # Nothing is open on the thread: keep the description for the result, as the parent.
        self._soft_closed_memoized = self._soft_closed_memoized.union(
            {"description": self._cursor.description}
        )

    def close(self) -> None:
        self._rows.clear()


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneHopCursor


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given (create_engine's `module`)."""

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)

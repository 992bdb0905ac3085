"""SQLite through aiosqlite with one thread hop per statement instead of four (issue #19).

SQLAlchemy's aiosqlite adapter makes four trips to aiosqlite's database thread per statement:
open a cursor, execute, fetch all rows, close. Each trip is a hand-off to the thread and a
wake-up of the event loop, and on the hot path these trips cost more CPU than the SQL itself.
Here one function runs the whole statement on that thread (cursor, execute, fetch, close) and
hands back the rows with the cursor's description, rowcount and lastrowid. And a rollback with
nothing to roll back is not sent (OneHopConnection).

Two hints, as SQL comments only the SQLite dialect renders (bot/db/sqlite_hints.py):
- `deferred`: a write whose result nobody reads (a log row, marking an update processed) is not
  sent on its own. It goes with the next statement or the COMMIT, in order, in the same call,
  so every later statement of the transaction still sees it. Its error, if any, is raised by
  that next statement or the COMMIT (with a note naming the deferred statement), and the
  transaction is rolled back as for any error.
- `on_loop`: a small indexed statement of the hot path runs on the event loop's thread, with
  no trip at all (a trip costs more than such a statement: the thread waits for the GIL, and
  the loop runs other ready work before it resumes the transaction). It never waits there:
  busy_timeout is 0 for it, and if another process holds the write lock it goes to the thread
  after all and waits as any statement (nothing was written: a transaction takes the lock with
  its first write). Reads never wait in WAL mode. The COMMIT of such a transaction runs on
  the loop too (in WAL mode it holds the only lock it needs already); as connections do not
  checkpoint on their own, every CHECKPOINT_EVERY-th COMMIT goes to the thread and does.

Everything else runs on aiosqlite's thread, so a slow query or a writer waiting for another
process's lock does not freeze the loop; rollbacks, server-side cursors and other commits are
aiosqlite's own (a commit carries the deferred writes). On PostgreSQL nothing changes.

It uses two private names of aiosqlite (`Connection._execute`, `Connection._conn`, present
from 0.17 to at least 0.22); `available()` checks them, and without them make_engine keeps
SQLAlchemy's own adapter.
"""

from __future__ import annotations

import collections
import itertools
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT, await_

from bot.db.sqlite_hints import DEFERRED, ON_LOOP

_Statement = tuple[str, Any, bool]  # operation, parameters, executemany
T = TypeVar("T")
BUSY_TIMEOUT_MS = 30_000  # how long a statement waits for another writer (on the thread)
_LOCKED = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
# Connections do not checkpoint the WAL on their own (engine.py: wal_autocheckpoint=0): a
# COMMIT on the event loop must not copy pages into the database file and fsync it. Every
# CHECKPOINT_EVERY-th COMMIT of this process goes to aiosqlite's thread and checkpoints there.
CHECKPOINT_EVERY = 200
_commits = itertools.count(1)


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


def _run_deferred(conn: sqlite3.Connection, batch: list[_Statement]) -> None:
    for operation, parameters, many in batch:
        try:
            _run(conn, operation, parameters, many)
        except Exception as exc:
            exc.add_note(f"raised by a deferred statement: {operation[:80]}")
            raise


def _run_after(
    conn: sqlite3.Connection, batch: list[_Statement], operation: str, parameters: Any, many: bool
) -> _Done:
    """On the database thread: the deferred writes, then the statement."""
    _run_deferred(conn, batch)
    return _run(conn, operation, parameters, many)


def _commit_after(
    conn: sqlite3.Connection, batch: list[_Statement], checkpoint: bool = False
) -> None:
    _run_deferred(conn, batch)
    conn.commit()
    if checkpoint:  # PASSIVE: copies what no reader needs, never waits
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def _without_waiting(conn: sqlite3.Connection, work: Callable[[], T]) -> T | None:
    """`work` on the event loop's thread with busy_timeout 0: None when the database is locked.
    Then nothing was written: a transaction takes the write lock with its first write, so a
    statement that finds it taken is that first write (reads do not wait in WAL mode, and a
    COMMIT in WAL mode holds the only lock it needs already)."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        return work()
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in _LOCKED:
            return None
        raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


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
        adapted: Any = self._adapt_connection
        if operation.find(DEFERRED, 0, 40) >= 0:  # sent with the next statement or COMMIT
            adapted._deferred.append((operation, parameters, many))
            self._cursor = _Done()  # type: ignore[assignment]
            self._rows = collections.deque()
            return
        connection: Any = self._connection
        async with adapted._execute_mutex:
            batch, adapted._deferred = adapted._deferred, []
            if operation.find(ON_LOOP, 0, 40) >= 0:  # no trip unless the database is locked
                conn = connection._conn
                done = _without_waiting(
                    conn, lambda: _run_after(conn, batch, operation, parameters, many)
                )
                if done is not None:
                    adapted._hot = True  # its COMMIT may run on the loop too
                    self._cursor = done  # type: ignore[assignment]
                    self._rows = collections.deque(done.rows)
                    return
            if batch:
                done = await connection._execute(
                    _run_after, connection._conn, batch, operation, parameters, many
                )
            else:
                done = await connection._execute(
                    _run, connection._conn, operation, parameters, many
                )
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
    """Also skips the pool's rollback when a connection is checked in right after a commit:
    SQLAlchemy rolls back every connection it takes back unless the Connection ended the
    transaction itself, and after a session's commit it has not. That rollback was one more
    trip per transaction, taken while the write gate is held. A connection that has run
    nothing since its last commit or rollback has no transaction to roll back."""

    __slots__ = ("_clean", "_deferred", "_hot")
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._clean = True  # nothing executed since the last commit or rollback
        self._deferred: list[_Statement] = []  # writes waiting for the next trip
        self._hot = False  # the transaction ran a statement on the loop: commit it there

    def cursor(self, server_side: bool = False) -> Any:
        self._clean = False  # every statement comes through a cursor
        return super().cursor(server_side)

    def commit(self) -> None:
        batch, self._deferred = self._deferred, []
        hot, self._hot = self._hot, False
        checkpoint = next(_commits) % CHECKPOINT_EVERY == 0
        connection: Any = self._connection
        if not connection._connection:
            super().commit()  # closed: as the parent
            return
        conn = connection._conn

        def commit_here() -> bool:
            _run_deferred(conn, batch)
            batch.clear()  # written: only the COMMIT would be left for the thread
            conn.commit()
            return True

        try:
            if hot and not checkpoint and _without_waiting(conn, commit_here):
                self._clean = True
                return
            if batch or checkpoint:
                await_(connection._execute(_commit_after, connection._conn, batch, checkpoint))
            else:
                await_(connection.commit())
        except Exception as error:
            self._handle_exception(error)
        self._clean = True

    def rollback(self) -> None:
        self._deferred.clear()
        self._hot = False
        if self._clean:
            return
        super().rollback()
        self._clean = True


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given (create_engine's `module`)."""

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)

"""The hot statements sent straight to the database driver, past SQLAlchemy's execution (#19).

Through `AsyncSession.execute` a statement of the hot path cost about three times the SQL
itself in SQLAlchemy's own Python (greenlet switch, ORM session, compiled-cache lookup,
parameter processing, result metadata): a third of the event loop's CPU per update. Those
statements are fixed Core statements with bind parameters, so that work can be done once:
`Direct` compiles its statement once per dialect and set of parameter names, keeps the
positional order of the binds with their types' processors and the result columns' processors,
and runs it on the session's own DBAPI connection in its transaction: on SQLite through the
one-hop driver (with its hints `deferred` and `on_loop`; bot/db/sqlite_driver.py), on
PostgreSQL through the coroutines of SQLAlchemy's asyncpg cursor (its prepared-statement
cache, its transaction start and error translation).

What stays as through SQLAlchemy: the SQL text and the values sent (the same compiler and type
processors), listeners of `before_cursor_execute` see every statement, and a driver error is
raised as SQLAlchemy's exception (IntegrityError …), after which the transaction is rolled
back as usual. With another driver, and for a statement whose execution needs SQLAlchemy
(Python-side defaults, expanding IN), it is `sess.execute`.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import exc, inspect
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from bot.db.sqlite_driver import OneHopConnection, OneHopCursor

Params = Mapping[str, Any]
_Processor = Callable[[Any], Any] | None
_KEY = "loaxa.direct"  # session.info: (transaction, sync connection, DBAPI connection)


class Rows:
    """The rows a statement returned: the part of SQLAlchemy's Result the hot path uses."""

    __slots__ = ("_rows",)

    def __init__(self, rows: Sequence[Any]) -> None:
        self._rows = rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return list(self._rows)

    def first(self) -> Any | None:
        return self._rows[0] if self._rows else None

    def one(self) -> Any:
        if not self._rows:
            raise exc.NoResultFound("no row where one was expected")
        if len(self._rows) > 1:
            raise exc.MultipleResultsFound("several rows where one was expected")
        return self._rows[0]

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalars(self) -> list[Any]:
        return [row[0] for row in self._rows]


class _Plan:
    """A statement compiled for one dialect and one set of parameter names."""

    __slots__ = ("binds", "results", "returns", "row", "sql")

    def __init__(self, compiled: Any, statement: Any, dialect: Dialect) -> None:
        self.sql: str = compiled.string
        # (name, value used when the caller gives none, bind processor) in positional order
        self.binds: list[tuple[str, Any, _Processor]] = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            fixed = _REQUIRED if bind.required else bind.effective_value
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            self.binds.append((name, fixed, process))
        columns = list(getattr(statement, "exported_columns", ()))
        self.returns = bool(columns)
        self.row: Any = collections.namedtuple(  # type: ignore[misc]
            "Row", [c.key for c in columns] or ["_"], rename=True
        )
        self.results: list[_Processor] = [
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
        ]

    @staticmethod
    def build(statement: Any, dialect: Dialect, keys: Sequence[str]) -> _Plan | None:
        """The plan, or None when executing it needs SQLAlchemy."""
        compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys))
        usable = (
            compiled.positiontup is not None
            and not compiled.insert_prefetch  # Python-side defaults are SQLAlchemy's to run
            and not compiled.update_prefetch
            and not compiled.post_compile_params  # expanding IN
            and not compiled.literal_execute_params
        )
        return _Plan(compiled, statement, dialect) if usable else None

    def arguments(self, params: Params) -> tuple[Any, ...]:
        values = []
        for name, fixed, process in self.binds:
            value = params[name] if fixed is _REQUIRED else params.get(name, fixed)
            values.append(process(value) if process is not None else value)
        return tuple(values)

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[Any]:
        results, make = self.results, self.row._make
        return [
            make(p(v) if p is not None else v for p, v in zip(results, row, strict=True))
            for row in raw
        ]


_REQUIRED = object()


class Direct:
    """A Core statement of the hot path: `await stmt.execute(sess, params)` runs it as
    `sess.execute(statement, params)` would (a list of dicts: executemany) and returns Rows."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._plans: dict[tuple[str, tuple[str, ...]], _Plan | None] = {}

    async def execute(self, sess: AsyncSession, params: Params | Sequence[Params]) -> Rows:
        many = not isinstance(params, Mapping)
        batch: Any = params if many else [params]
        if not batch:
            return Rows(())
        driver = await _driver(sess)
        plan = self._plan(driver[0].dialect, batch[0]) if driver[1] is not None else None
        if plan is None:
            result: Any = await sess.execute(self.statement, params)
            return Rows(result.all() if result.returns_rows else ())
        sync, dbapi = driver
        if plan.returns and many:  # RETURNING: one row each, in the order of the parameters
            rows: list[Any] = []
            for one in batch:
                rows += await _run(sync, dbapi, plan, plan.arguments(one), False)
            return Rows(rows)
        args = [plan.arguments(one) for one in batch] if many else plan.arguments(batch[0])
        return Rows(await _run(sync, dbapi, plan, args, many))

    def _plan(self, dialect: Dialect, first: Params) -> _Plan | None:
        keys = tuple(first)
        found = self._plans.get((dialect.name, keys), _MISSING)
        if found is _MISSING:
            found = _Plan.build(self.statement, dialect, keys)
            self._plans[(dialect.name, keys)] = found
        return found


_MISSING: Any = object()


def persistent(sess: AsyncSession, cls: type, row: Any) -> Any:
    """The ORM object of `row` (every column of `cls`'s table, as RETURNING gives them) in
    the session, as a query with populate_existing would load it: the one in the session
    refreshed, or a new persistent one, without the ORM's loading machinery."""
    mapper: Any = inspect(cls)
    known = _ATTRIBUTES.get(cls)
    if known is None:
        configure_mappers()  # a fresh process may come here before any ORM query
        columns = list(mapper.local_table.c)
        known = (
            [mapper.get_property_by_column(c).key for c in columns],
            [columns.index(c) for c in mapper.primary_key],
        )
        _ATTRIBUTES[cls] = known
    attributes, primary_key = known
    sync = sess.sync_session
    key = mapper.identity_key_from_primary_key([row[i] for i in primary_key])
    obj = sync.identity_map.get(key)
    fresh = obj is None
    if fresh:
        obj = mapper.class_manager.new_instance()
    for attribute, value in zip(attributes, row, strict=True):
        set_committed_value(obj, attribute, value)
    if fresh:
        make_transient_to_detached(obj)
        sync.add(obj)
    return obj


_ATTRIBUTES: dict[type, tuple[list[str], list[int]]] = {}


try:  # SQLAlchemy's asyncpg adapter and the two coroutines its cursor runs a statement with
    from sqlalchemy.dialects.postgresql.asyncpg import (
        AsyncAdapt_asyncpg_connection as _AsyncpgConnection,
    )
    from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_cursor as _AsyncpgCursor

    _ASYNCPG: Any = (
        _AsyncpgConnection
        if all(hasattr(_AsyncpgCursor, name) for name in ("_prepare_and_execute", "_executemany"))
        else None
    )
except ImportError:  # pragma: no cover - asyncpg is a dependency
    _ASYNCPG = None


def _asyncpg_usable(dbapi: Any) -> bool:
    """SQLAlchemy's asyncpg adapter, whose cursor's coroutines start the transaction, prepare
    through its cache and translate errors."""
    return _ASYNCPG is not None and isinstance(dbapi, _ASYNCPG)


async def _driver(sess: AsyncSession) -> tuple[Connection, Any]:
    """The session's connection in its current transaction, and the DBAPI connection under
    it when Direct can drive it (the one-hop SQLite driver, SQLAlchemy's asyncpg adapter)."""
    transaction = sess.sync_session.get_transaction()
    cached = sess.info.get(_KEY)
    if cached is not None and transaction is not None and cached[0] is transaction:
        return cached[1], cached[2]
    sync: Any = (await sess.connection()).sync_connection
    dbapi = sync.connection.dbapi_connection
    usable = isinstance(dbapi, OneHopConnection) or _asyncpg_usable(dbapi)
    sess.info[_KEY] = (sess.sync_session.get_transaction(), sync, dbapi if usable else None)
    return sync, dbapi if usable else None


async def _send(cursor: Any, sql: str, args: Any, many: bool) -> None:
    """The statement through the DBAPI cursor's own coroutine, as its `execute` would await."""
    if isinstance(cursor, OneHopCursor):
        await cursor._run(sql, args, many=many)
    elif many:
        await cursor._executemany(sql, args)
    else:
        await cursor._prepare_and_execute(sql, args)


async def _run(sync: Connection, dbapi: Any, plan: _Plan, args: Any, many: bool) -> list[Any]:
    cursor: Any = dbapi.cursor()
    stale = getattr(sync.dialect, "_invalidate_schema_cache_asof", None)
    if stale is not None:  # asyncpg: prepared statements older than a schema change
        cursor._invalidate_schema_cache_asof = stale
    dispatch = sync.dispatch
    if dispatch.before_cursor_execute:
        dispatch.before_cursor_execute(sync, cursor, plan.sql, args, None, many)
    try:
        await _send(cursor, plan.sql, args, many)
    except Exception as error:
        # Wrapped as SQLAlchemy's (IntegrityError …), a lost connection invalidated, the
        # handle_error listeners called: what Connection.execute does with a driver error.
        sync._handle_dbapi_exception(error, plan.sql, args, cursor, None)
    if dispatch.after_cursor_execute:
        dispatch.after_cursor_execute(sync, cursor, plan.sql, args, None, many)
    return plan.rows(cursor._rows) if plan.returns else []

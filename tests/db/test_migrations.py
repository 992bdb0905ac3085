"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db.engine import alembic_config, make_engine, migrate, schema_is_current
from bot.db.migrations import HEAD
from bot.db.models import Base


def test_one_head_so_upgrades_are_linear() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"merge the migration branches: heads {heads}"
    assert heads == [HEAD], "set HEAD in bot/db/migrations/__init__.py to the new revision"


async def test_a_current_database_is_recognised_without_alembic(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert not await schema_is_current(engine)  # empty database
        await migrate(engine, "0007")
        assert not await schema_is_current(engine)  # one migration behind
        await migrate(engine)
        assert await schema_is_current(engine)
    finally:
        await engine.dispose()


async def test_migrated_schema_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        await engine.dispose()

"""Autogenerate an Alembic migration from the models.

Usage: .venv/bin/python scripts/new_migration.py "what changed" 0004

Then set HEAD in bot/db/migrations/__init__.py to the new revision (a test checks it).
"""

import asyncio
import sys
import tempfile
from pathlib import Path

from alembic import command

from bot.db.engine import alembic_config, make_engine, migrate


async def main(message: str, rev_id: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'autogen.db'}")
        await migrate(engine)
        async with engine.begin() as conn:
            await conn.run_sync(
                lambda c: command.revision(
                    alembic_config(c), message=message, autogenerate=True, rev_id=rev_id
                )
            )
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))

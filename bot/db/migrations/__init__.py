"""Alembic migrations (env.py, versions/)."""

# The newest revision. Set it when adding a migration; tests/db/test_migrations.py checks it.
HEAD = "0021"

"""Storage: models, engine, migrations, and query functions that take a session."""

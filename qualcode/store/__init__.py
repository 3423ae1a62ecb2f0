"""Persistence: ORM models, the project file (engine, pragmas, lock, backups, migrations)."""

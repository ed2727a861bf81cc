"""Persistence with peewee: database selection, models, migrations, locking."""

"""Write transactions that serialize writers on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from peewee import Database, PostgresqlDatabase, SqliteDatabase

# One advisory lock id for every billing write on PostgreSQL ("tuiw").
WRITE_LOCK_KEY = 0x7475_6977


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """A transaction that holds the database's single writer lock until it ends.

    SQLite: BEGIN IMMEDIATE, so two writers queue on the busy timeout instead of failing on a
    read-to-write upgrade. PostgreSQL: a transaction-scoped advisory lock, so that
    materializing, invoicing and numbering see what committed before them, as on SQLite.
    Nested calls are savepoints inside the outer transaction.
    """
    if db.in_transaction():
        with db.atomic():
            yield
    elif isinstance(db, SqliteDatabase):
        with db.atomic("IMMEDIATE"):
            yield
    else:
        with db.atomic():
            if isinstance(db, PostgresqlDatabase):
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            yield


def is_sqlite(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)

"""Write transactions that serialize writers on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from peewee import Database, SqliteDatabase


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """A transaction that takes the write lock at once on SQLite (BEGIN IMMEDIATE), so two
    writers queue on the busy timeout instead of failing on a read-to-write upgrade."""
    if isinstance(db, SqliteDatabase) and not db.in_transaction():
        with db.atomic("IMMEDIATE"):
            yield
    else:
        with db.atomic():
            yield


def is_sqlite(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)

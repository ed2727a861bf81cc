"""The billing-run lock: one run at a time per database, released by the operating system
or the server however the holder dies (kill -9 included)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from peewee import Database, PostgresqlDatabase

from tui_billing.domain.errors import LockHeld
from tui_billing.domain.i18n import _
from tui_billing.store.database import RUN_LOCK_SUFFIX

RUN_LOCK_KEY = 0x7475_6972  # advisory lock id on PostgreSQL ("tuir")


def run_lock_path(db: Database) -> str:
    """SQLite: the file whose flock is the run lock, beside the database file (which SQLite
    locks in ways that must not be disturbed). It is named after the database's real path,
    symbolic links resolved, so every path that reaches one database takes the same lock."""
    return os.path.realpath(db.database) + RUN_LOCK_SUFFIX


@contextmanager
def billing_run_lock(db: Database, *, wait: bool = False) -> Iterator[None]:
    """Hold the run lock for the block; raise LockHeld at once when another run has it
    (or wait for it with ``wait``)."""
    if isinstance(db, PostgresqlDatabase):
        if wait:
            db.execute_sql("SELECT pg_advisory_lock(%s)", (RUN_LOCK_KEY,))
        elif not db.execute_sql("SELECT pg_try_advisory_lock(%s)", (RUN_LOCK_KEY,)).fetchone()[0]:
            raise LockHeld(_("another billing run holds the lock on this database"))
        try:
            yield
        finally:
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (RUN_LOCK_KEY,))
        return
    fd = os.open(run_lock_path(db), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise LockHeld(_("another billing run holds the lock on this database")) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing releases the flock

"""ProgressivoInvio per sender: a counter that never hands out a value twice."""

from __future__ import annotations

from peewee import Database


def take_progressives(db: Database, sender: str, count: int) -> int:
    """Take ``count`` consecutive values of ``sender``'s counter; returns the first.

    Runs inside the caller's write transaction, which serializes writers on both databases
    (two processes never see the same last value); the row is raised in one statement, and
    values taken by a transaction that rolls back were never used in a file that stays."""
    if count <= 0:
        raise ValueError("count must be positive")
    p = db.param
    cursor = db.execute_sql(
        f"INSERT INTO sdi_progressive (sender, last_value) VALUES ({p}, {p}) "
        "ON CONFLICT (sender) DO UPDATE "
        "SET last_value = sdi_progressive.last_value + excluded.last_value "
        "RETURNING last_value",
        (sender, count),
    )
    return int(cursor.fetchone()[0]) - count + 1


__all__ = ["take_progressives"]

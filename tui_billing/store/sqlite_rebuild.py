"""Changing what SQLite's ALTER TABLE cannot change: the table rebuild of
https://sqlite.org/lang_altertable.html#otheralter (new table, copy, drop, rename, indexes
and triggers again, foreign keys checked), with foreign keys off around the transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from peewee import Database

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _

#: (table, rowid, parent table, foreign key number): one row of PRAGMA foreign_key_check.
Violation = tuple[str, int, str, int]


@contextmanager
def foreign_keys_off(db: Database) -> Iterator[None]:
    """Foreign keys off on this SQLite connection, then back as they were: a rebuild drops a
    table, which with them on would delete (or cascade to) the rows referring to it. Must
    be entered outside a transaction, where SQLite ignores the pragma."""
    (was,) = db.execute_sql("PRAGMA foreign_keys").fetchone()
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA foreign_keys = {int(was)}")


def referencing_tables(db: Database, table: str) -> list[str]:
    """The tables with a foreign key to ``table``."""
    rows = db.execute_sql(
        "SELECT DISTINCT m.name FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f"
        " WHERE m.type = 'table' AND f.\"table\" = ? ORDER BY m.name",
        (table,),
    )
    return [name for (name,) in rows]


def violations(db: Database, tables: list[str]) -> set[Violation]:
    """The foreign keys of ``tables`` that point to no row."""
    found: set[Violation] = set()
    for name in tables:
        found |= {tuple(row) for row in db.execute_sql(f'PRAGMA foreign_key_check("{name}")')}
    return found


def rebuild_table(db: Database, table: str, new_sql: Callable[[str], str]) -> None:
    """Rebuild ``table`` from ``new_sql(its CREATE TABLE text)``, keeping its rows (their
    integer keys too), indexes and triggers, inside the caller's transaction, with foreign keys off
    (:func:`foreign_keys_off`). Refuses, naming the row, a rebuild that leaves a foreign key
    of the table, or of a table referring to it, pointing to nothing that it did not before."""
    if db.execute_sql("PRAGMA foreign_keys").fetchone() != (0,):
        raise RuntimeError(f"rebuilding {table} needs foreign keys off (foreign_keys_off)")
    (sql,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    dependants = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')"
        " AND sql IS NOT NULL ORDER BY type, name",
        (table,),
    ).fetchall()
    checked = [table, *referencing_tables(db, table)]
    before = violations(db, checked)
    columns = ", ".join(
        f'"{name}"' for _unused, name, *_rest in db.execute_sql(f'PRAGMA table_info("{table}")')
    )
    temporary = f"{table}_rebuilt"
    head = f'CREATE TABLE "{table}" ('
    create = new_sql(sql)
    if not create.startswith(head):
        raise ValueError(f"{table}: unexpected table definition {create[:80]!r}")
    db.execute_sql(f'CREATE TABLE "{temporary}" (' + create[len(head) :])
    db.execute_sql(f'INSERT INTO "{temporary}" ({columns}) SELECT {columns} FROM "{table}"')
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{temporary}" RENAME TO "{table}"')
    for (statement,) in dependants:
        db.execute_sql(statement)
    broken = sorted(violations(db, checked) - before)
    if broken:
        child, rowid, parent, _unused = broken[0]
        raise UserError(
            _(
                "{database}: {child} row {rowid} refers to a missing {parent} row after "
                "rebuilding {table}; upgrade undone, nothing changed"
            ).format(database=db.database, child=child, rowid=rowid, parent=parent, table=table),
            "--db",
        )


def raise_sequence(db: Database, table: str, at_least: int) -> None:
    """Make the AUTOINCREMENT ``table`` give ids above ``at_least`` (and above every id it
    holds or gave before)."""
    row = db.execute_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    (highest,) = db.execute_sql(f'SELECT MAX(rowid) FROM "{table}"').fetchone()
    seq = max(at_least, highest or 0, row[0] if row else 0)
    if row is None:
        if seq:
            db.execute_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, seq))
    elif seq != row[0]:
        db.execute_sql("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (seq, table))

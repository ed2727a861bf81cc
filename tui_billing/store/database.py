"""Choosing and opening the database: an SQLite file (default) or a PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import urllib.parse
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, overload
from urllib.parse import quote, unquote, urlparse

from peewee import Database, PostgresqlDatabase, SqliteDatabase
from platformdirs import user_data_dir

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.redaction import mask_url_passwords, redact
from tui_billing.store.models import database_proxy

ENV_VAR = "TUI_BILLING_DB"
SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_PRAGMAS = {
    # Pages of 16 KiB for a new file (an existing one keeps its own): installments are rows of
    # a few hundred bytes written by the hundred thousand, and bigger pages cut the B-tree
    # work of those bulk inserts by about a quarter. First: it must precede the WAL switch.
    "page_size": 16_384,
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -64_000,
}
BUSY_TIMEOUT_S = 60
PRIVATE_FILE = 0o600  # a new database file (SQLite gives its -wal/-shm/-journal the same)
PRIVATE_FOLDER = 0o700  # a data folder the program creates
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
RUN_LOCK_SUFFIX = ".run-lock"


def default_sqlite_path() -> Path:
    """The SQLite file used when no database is named."""
    return Path(user_data_dir("tui-billing", appauthor=False)) / "billing.sqlite"


def resolve_target(target: str | None) -> str:
    """The database target: the option, else the environment, else the default file."""
    return target or os.environ.get(ENV_VAR) or str(default_sqlite_path())


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def sqlite_path(target: str) -> Path:
    """The file of an SQLite target (a plain path or ``sqlite:///path``)."""
    if target.startswith("sqlite:///"):  # sqlite:///rel/path, sqlite:////abs/path
        return Path(target[len("sqlite:///") :])
    if target.startswith("sqlite://"):
        return Path(target[len("sqlite://") :])
    return Path(target)


def check_sqlite_file(path: Path, *, create_dirs: bool) -> None:
    """Refuse (without touching it) a file that is not an SQLite database."""
    if path.is_dir():
        raise UserError(_("{path}: is a directory, not a database file").format(path=path), "--db")
    if path.exists() and path.stat().st_size > 0:
        # Asked through SQLite itself, read-only: a plain open()/close() of the file would
        # drop the POSIX locks that this process's SQLite connections hold on it.
        uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
        try:
            probe = sqlite3.connect(uri, uri=True)
            try:
                probe.execute("PRAGMA schema_version").fetchone()
            finally:
                probe.close()
        except sqlite3.DatabaseError:
            raise UserError(
                _("{path}: not an SQLite database (file left untouched)").format(path=path), "--db"
            ) from None
    elif not path.parent.exists():
        if not create_dirs:
            raise UserError(_("{parent}: no such directory").format(parent=path.parent), "--db")
        path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create a new, empty database file readable by its owner alone (an existing file keeps
    its mode). SQLite takes an empty file as a new database and creates the -wal, -shm and
    -journal files with the database file's mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass
    except OSError as exc:
        raise UserError(
            _("{path}: cannot create the database: {value}").format(
                path=path, value=exc.strerror or exc
            ),
            "--db",
        ) from None


def postgres_params(target: str) -> dict[str, Any]:
    """The connection parameters of a PostgreSQL URL. A malformed URL is refused naming what
    is wrong, and never with its password (shown as ***)."""
    shown = mask_url_passwords(target)
    rest = target.split("://", 1)[1]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" not in authority and "@" in rest:
        raise UserError(
            _(
                "the user name or password holds an unencoded '/', '?' or '#': write it "
                "percent-encoded (%2F, %3F, %23)"
            ),
            "--db",
        )
    try:
        url = urlparse(target)
        port = url.port
    except ValueError:  # its text would show what follows the ':' (a password, perhaps)
        url, port = None, 0
    if url is None or port == 0:
        raise UserError(
            _(
                "not a valid PostgreSQL URL (check the host, and the port: a number from "
                "1 to 65535): {shown}"
            ).format(shown=shown),
            "--db",
        )
    return {
        "database": unquote(url.path.lstrip("/")) or "postgres",
        "user": unquote(url.username) if url.username else None,
        "password": unquote(url.password) if url.password else None,
        "host": url.hostname or None,
        "port": port or None,
    }


def connect(target: str | None = None) -> Database:
    """Create (not yet migrate) the peewee database for ``target``."""
    resolved = resolve_target(target)
    if is_postgres(resolved):
        params = postgres_params(resolved)
        return PostgresqlDatabase(params.pop("database"), **params)
    path = sqlite_path(resolved)
    check_sqlite_file(path, create_dirs=not (target or os.environ.get(ENV_VAR)))
    create_private_file(path)
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_S)


def open_database(target: str | None = None, *, migrate: bool = True) -> Database:
    """Open the database, bind the models to it and bring its schema up to date."""
    from tui_billing.store.migrations import migrate_schema as run_migrations

    db = connect(target)
    previous = database_proxy.obj
    if previous is not None and not previous.is_closed():
        previous.close()
    database_proxy.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # peewee wraps driver errors in its own classes
        password = getattr(db, "connect_params", {}).get("password")
        text = redact(
            " ".join(_("cannot open the database: {error}").format(error=exc).split()),  # one line
            [password] if password else [],
        )
        raise UserError(text, "--db") from None
    if migrate:
        run_migrations(db)
    return db


@overload
def stored_date(value: str | dt.date) -> dt.date: ...
@overload
def stored_date(value: None) -> None: ...
@lru_cache(maxsize=65536)
def stored_date(value: str | dt.date | None) -> dt.date | None:
    """A date column as plain SQL returns it: ISO text on SQLite, a date on PostgreSQL."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


@lru_cache(maxsize=65536)
def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _same(value: object) -> object:
    return value


def date_param(db: Database) -> Callable[[dt.date | None], object]:
    """Dates as the driver wants them in plain SQL: ISO text for SQLite, dates for PostgreSQL."""
    return _same if isinstance(db, PostgresqlDatabase) else _iso


def reopen_target(db: Database) -> str:
    """A target that opens the same database in another process (password included)."""
    if isinstance(db, PostgresqlDatabase):
        params = db.connect_params
        user = quote(params.get("user") or "", safe="")
        password = f":{quote(params['password'], safe='')}" if params.get("password") else ""
        auth = f"{user}{password}@" if user else ""
        host = params.get("host") or ""
        host = f"[{host}]" if ":" in host else host  # an IPv6 address
        return (
            f"postgresql://{auth}{host}:{params.get('port') or 5432}/{quote(db.database, safe='')}"
        )
    return str(db.database)


def open_in_worker(target: str) -> None:
    """Initializer of worker processes: bind the models to the database, no migration."""
    open_database(target, migrate=False)


def describe(db: Database) -> str:
    """A short, password-free name of the database for headers and logs."""
    if isinstance(db, PostgresqlDatabase):
        params = db.connect_params
        host = params.get("host") or "localhost"
        return f"postgresql://{host}:{params.get('port') or 5432}/{db.database}"
    return str(db.database)


def open_database_files() -> list[tuple[Path, str]]:
    """The files of the open SQLite database, each with what it is (none on PostgreSQL):
    what no output file may replace. Both the path as opened and its real path are named,
    with the companion files SQLite and the run lock keep beside each."""
    db = database_proxy.obj
    if not isinstance(db, SqliteDatabase) or str(db.database).startswith(":memory:"):
        return []
    files: list[tuple[Path, str]] = []
    for base in dict.fromkeys((str(db.database), os.path.realpath(db.database))):
        files.append((Path(base), _("the open database")))
        for suffix in (*COMPANION_SUFFIXES, RUN_LOCK_SUFFIX):
            files.append(
                (
                    Path(base + suffix),
                    _("the open database's {suffix} file").format(suffix=suffix.lstrip(".")),
                )
            )
    return files

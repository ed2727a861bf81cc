"""Shared fixtures: a database per test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.support.pg_cluster import Cluster, find_pg_bin, start_cluster

REQUIRE_PG = os.environ.get("TUI_BILLING_REQUIRE_PG") == "1"
# The suite speaks English unless a test asks for Italian (the `italian` fixture, or
# TUI_BILLING_LANG=it in a subprocess's environment): the machine's locale never decides.
os.environ["TUI_BILLING_LANG"] = "en"
_db_counter = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL cluster for the whole session."""
    if find_pg_bin() is None:
        if REQUIRE_PG:
            pytest.fail("PostgreSQL binaries are required (TUI_BILLING_REQUIRE_PG=1) but missing")
        pytest.skip("PostgreSQL server binaries not installed")
    cluster = start_cluster()
    yield cluster
    cluster.stop()


def new_pg_database(cluster: Cluster) -> str:
    """Create an empty database on the cluster and return its URL."""
    import psycopg

    name = f"t_{os.getpid()}_{next(_db_counter)}"
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return cluster.url_for(name)


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """Whatever language a test chose, the next one starts in English."""
    yield
    from tui_billing.domain.i18n import current_language, set_language

    if current_language() != "en":
        set_language("en")
        if "tui_billing.tui.translation" in __import__("sys").modules:
            from tui_billing.tui.translation import translate_bindings

            translate_bindings()


@pytest.fixture
def italian() -> Iterator[None]:
    """The test runs in Italian: messages, numbers, and the TUI's keys once an app is made
    (a BillingApp sets the language of its configuration, so pass ``[ui] language = "it"``
    or keep $TUI_BILLING_LANG=it for it)."""
    from tui_billing.domain.i18n import set_language

    set_language("it")
    os.environ["TUI_BILLING_LANG"] = "it"
    try:
        yield
    finally:
        os.environ["TUI_BILLING_LANG"] = "en"
        set_language("en")


@pytest.fixture(autouse=True)
def seller_in_new_databases(request: pytest.FixtureRequest, monkeypatch) -> None:
    """Every database a test creates holds a complete seller, as one that issues documents
    must; a test marked ``no_seller`` gets a database without one."""
    if request.node.get_closest_marker("no_seller"):
        return
    from tests.support.seller import write_seller
    from tui_billing.store import migrations

    seed = migrations._seed

    def seed_with_seller(db):
        seed(db)
        write_seller(db)

    monkeypatch.setattr(migrations, "_seed", seed_with_seller)


@pytest.fixture(params=["sqlite", "postgres"])
def db_target(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh, empty database target: an SQLite file or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "billing.sqlite")
    cluster = request.getfixturevalue("pg_cluster")
    return new_pg_database(cluster)


@pytest.fixture
def sqlite_target(tmp_path) -> str:
    return str(tmp_path / "billing.sqlite")


@pytest.fixture
def db(db_target: str):
    """The database opened and migrated, models bound to it."""
    from tui_billing.store.database import open_database

    database = open_database(db_target)
    yield database
    database.close()


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self):
        import json

        return json.loads(self.out)

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out[:500]!r}, err={self.err[:500]!r})"


@pytest.fixture
def cli(db_target, capsys, monkeypatch):
    """Run the command line in-process on this test's database: cli("due", "--date", ...)."""
    from tui_billing.cli.main import main

    monkeypatch.delenv("TUI_BILLING_CONFIG", raising=False)

    def run(*argv: str) -> CliResult:
        capsys.readouterr()
        code = main(["--db", db_target, *argv])
        captured = capsys.readouterr()
        return CliResult(int(code), captured.out, captured.err)

    run.target = db_target
    return run

"""Version 6: late-payment terms on contracts and the legal rate table, on an upgraded file
as on a new one."""

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

from tui_billing.store.database import open_database
from tui_billing.store.models import Contract, LegalInterestRate

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema_v1.sql"


def columns(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    result = {
        t: sorted(row[1:4] for row in con.execute(f'PRAGMA table_info("{t}")')) for t in tables
    }
    con.close()
    return result


def test_upgrade_adds_the_terms_and_seeds_the_rates(tmp_path):
    old = tmp_path / "old.sqlite"
    con = sqlite3.connect(old)
    con.executescript(FIXTURE.read_text())
    con.close()
    db = open_database(str(old))
    contract = Contract.get(Contract.code == "K-001")
    assert (contract.late_interest, contract.late_fee, contract.late_grace_days) == (
        None,
        None,
        None,
    )
    rate = LegalInterestRate.get(LegalInterestRate.half_year_start == dt.date(2026, 1, 1))
    assert (rate.reference_rate, rate.points) == (Decimal("2.15"), Decimal("8.00"))
    seeded = LegalInterestRate.select().count()
    db.close()
    new = tmp_path / "new.sqlite"
    open_database(str(new)).close()
    assert columns(old) == columns(new)
    db = open_database(str(new))
    assert LegalInterestRate.select().count() == seeded == 23
    db.close()

"""The complete seller the benchmarks' databases need before they issue documents."""

from __future__ import annotations

from pathlib import Path

SELLER = {
    "name": "Bench S.r.l.",
    "street": "Via Roma 1",
    "postal_code": "20121",
    "city": "Milano",
    "province": "MI",
    "vat_number": "IT01234560017",
}


def new_database_with_seller(path: Path) -> None:
    """Create the database at ``path`` (latest schema) with the seller in it."""
    from tui_billing.domain.parsing import Reader
    from tui_billing.domain.parties import read_company
    from tui_billing.store.company_row import save_company
    from tui_billing.store.database import open_database

    db = open_database(str(path))
    save_company(db, read_company(Reader(SELLER, "company")))
    db.close()

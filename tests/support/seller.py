"""A complete seller, as every database that issues documents has one."""

from __future__ import annotations

from typing import Any

SELLER: dict[str, Any] = {
    "name": "Manutenzioni Adriatiche S.r.l.",
    "street": "Via dell'Industria 42",
    "postal_code": "60027",
    "city": "Osimo",
    "province": "AN",
    "country": "IT",
    "vat_number": "IT01234560017",
    "tax_code": "01234560017",
    "tax_regime": "RF01",
    "rea_office": "AN",
    "rea_number": "123456",
    "share_capital": "10000.00",
    "sole_shareholder": "SU",
    "liquidation": "LN",
    "iban": "IT60X0542811101000000123456",
    "phone": "071 1234567",
    "email": "amministrazione@manutenzioni-adriatiche.example",
    "pec": "manutenzioni-adriatiche@pec.example",
}


def write_seller(db: Any, record: dict[str, Any] | None = None) -> None:
    """Store the seller (the interchange ``company`` object) in the open database."""
    from tui_billing.domain.parsing import Reader
    from tui_billing.domain.parties import read_company
    from tui_billing.store.company_row import save_company

    save_company(db, read_company(Reader(record or SELLER, "company")))

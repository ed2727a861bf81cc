"""A database to collect from: a company with its creditor identifier, BIC and SIA code,
direct-debit customers with mandates (one under split payment), a Ri.Ba. customer, and
monthly contracts invoiced as issued."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tests.support.seller import SELLER

CREDITOR_ID = "IT04ZZZ0000012345678903"
DEBTOR_IBAN = "IT87X0306909606100000063287"
OTHER_IBAN = "IT07X0542811101000000654321"
TODAY = "2026-03-02"  # a Monday

COMPANY = {**SELLER, "creditor_id": CREDITOR_ID, "bic": "BPPIITRRXXX", "sia_code": "A1B2C"}


def _customer(code: str, name: str, method: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "payment_method": method,
        "payment_terms_days": 30,
        "street": "Via Roma 1",
        "postal_code": "20121",
        "city": "Milano",
        "province": "MI",
        "vat_number": "IT01234560017",
        **extra,
    }


def _contract(code: str, customer: str, price: str) -> dict[str, Any]:
    return {
        "code": code,
        "customer": customer,
        "status": "active",
        "start_date": "2026-01-01",
        "frequency": "monthly",
        "lines": [
            {"description": "Canone", "quantity": "1", "unit_price": price, "vat_rate": "22.00"}
        ],
    }


DATA: dict[str, Any] = {
    "company": COMPANY,
    "customers": [
        _customer("DD1", "Bianchi Caffè S.n.c.", "sepa_direct_debit"),
        _customer(
            "DD2",
            "Comune di Osimo",
            "sepa_direct_debit",
            public_administration=True,
            sdi_code="UF1234",
            split_payment=True,
        ),
        _customer("RB1", "Verdi S.p.A.", "riba", iban=DEBTOR_IBAN, payment_terms_days=60),
    ],
    "contracts": [
        _contract("K-DD1", "DD1", "100.00"),
        _contract("K-DD2", "DD2", "500.00"),
        _contract("K-RB1", "RB1", "200.00"),
    ],
    "mandates": [
        {
            "reference": "M-DD1-001",
            "customer": "DD1",
            "signed_on": "2025-12-15",
            "iban": DEBTOR_IBAN,
        },
        {
            "reference": "M-DD2-001",
            "customer": "DD2",
            "signed_on": "2025-12-20",
            "iban": OTHER_IBAN,
            "scheme": "CORE",
        },
    ],
}


def document(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DATA)
    data.update(changes)
    return data


def load(
    cli: Any,
    tmp_path: Path,
    data: dict[str, Any] | None = None,
    run_dates: tuple[str, ...] = ("2026-03-01",),
) -> None:
    """Import ``data`` and issue the invoices due by each of ``run_dates``."""
    path = tmp_path / "collect.json"
    path.write_text(json.dumps(data or DATA), encoding="utf-8")
    result = cli("--today", TODAY, "import", str(path))
    assert result.code == 0, result
    for day in run_dates:
        result = cli("run", "--date", day, "--status", "issued", "--no-email")
        assert result.code == 0, result

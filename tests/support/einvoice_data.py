"""Issued documents ready for the SdI: customers with full fiscal data, monthly contracts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BUYER_VAT = "IT00743110157"


def einvoice_document(contracts: int, *, start: str = "2026-01-01") -> dict[str, Any]:
    """An interchange document: one SdI-ready customer, ``contracts`` monthly contracts of
    one line each (100.00 at 22%)."""
    return {
        "customers": [
            {
                "code": "ACME",
                "name": "ACME S.r.l.",
                "email": "fatture@acme.example",
                "street": "Via Roma 1",
                "postal_code": "20121",
                "city": "Milano",
                "province": "MI",
                "country": "IT",
                "vat_number": BUYER_VAT,
                "sdi_code": "ABC1234",
            }
        ],
        "contracts": [
            {
                "code": f"K-{n:04d}",
                "customer": "ACME",
                "status": "active",
                "start_date": start,
                "frequency": "monthly",
                "series": "A",
                "payment_method": "bank_transfer",
                "lines": [
                    {
                        "description": f"Canone {n}",
                        "quantity": "1",
                        "unit_price": "100.00",
                        "vat_rate": "22.00",
                    }
                ],
            }
            for n in range(1, contracts + 1)
        ],
    }


def issue_documents(cli, tmp_path: Path, contracts: int, *, date: str = "2026-01-31") -> None:
    """Import the document and issue one invoice per contract dated ``date``."""
    path = tmp_path / "einvoice-data.json"
    path.write_text(json.dumps(einvoice_document(contracts)))
    assert cli("import", str(path)).code == 0
    result = cli("--today", date, "run", "--date", date, "--status", "issued", "--no-email")
    assert result.code == 0, result

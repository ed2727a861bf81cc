"""Interchange documents for tests: customers and contracts in bulk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def bulk_document(
    contracts: int,
    *,
    start: str = "2024-01-01",
    customers: int = 20,
    collective_every: int = 5,
    email: str | None = None,
) -> dict[str, Any]:
    """``contracts`` active monthly contracts with two lines each, spread over customers
    (every ``collective_every``-th customer bills collectively), and the seller."""
    from tests.support.seller import SELLER

    return {
        "company": dict(SELLER),
        "customers": [
            {
                "code": f"C{i:03d}",
                "name": f"Cliente {i:03d} S.r.l.",
                "email": email.format(i=i) if email else None,
                "payment_terms_days": 30,
                "collective_billing": collective_every > 0 and i % collective_every == 0,
            }
            for i in range(customers)
        ],
        "contracts": [
            {
                "code": f"K-{i:04d}",
                "customer": f"C{i % customers:03d}",
                "status": "active",
                "start_date": start,
                "frequency": "monthly",
                "series": "A" if i % 4 else "B",
                "lines": [
                    {
                        "description": "Canone",
                        "quantity": "1",
                        "unit_price": f"{10 + i % 7}.10",
                        "vat_rate": "22.00",
                    },
                    {
                        "description": "Assistenza",
                        "quantity": "1.5",
                        "unit_price": "3.33",
                        "vat_rate": "10.00",
                    },
                ],
            }
            for i in range(contracts)
        ],
    }


def write_document(path: Path, document: dict[str, Any]) -> str:
    path.write_text(json.dumps(document))
    return str(path)

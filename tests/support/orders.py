"""Orders for tests, as interchange documents: a customer and orders with their lines."""

from __future__ import annotations

from typing import Any


def order_document(
    *orders: dict[str, Any], terms: int = 30, language: str = "it"
) -> dict[str, Any]:
    """ACME and the given orders (each ``{"code", "status", "lines": [(qty, price, rate)]}``)."""
    return {
        "customers": [
            {
                "code": "ACME",
                "name": "ACME S.r.l.",
                "payment_terms_days": terms,
                "language": language,
            }
        ],
        "orders": [
            {
                "code": o["code"],
                "customer": "ACME",
                "date": o.get("date", "2024-05-02"),
                "status": o.get("status", "draft"),
                "lines": [
                    {"description": f"Voce {i + 1}", "quantity": q, "unit_price": p, "vat_rate": r}
                    for i, (q, p, r) in enumerate(o["lines"])
                ],
            }
            for o in orders
        ],
    }


MIXED = {"code": "O-MIX", "lines": [("1", "800.00", "22.00"), ("2", "100.00", "10.00")]}
THOUSAND = {"code": "O-1000", "status": "shipped", "lines": [("1", "1000.00", "22.00")]}

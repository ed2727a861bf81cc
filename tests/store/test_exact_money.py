"""Money stays exact end to end, on SQLite and PostgreSQL, also when summed over many rows."""

from decimal import Decimal

from peewee import chunked, fn

from tui_billing.store.models import Article, Customer, Invoice, InvoiceLine


def test_sum_of_many_small_amounts_is_exact(db):
    customer = Customer.create(code="C", name="C")
    invoice = Invoice.create(customer=customer, date="2024-01-01")
    rows = [
        {"invoice": invoice.id, "amount": Decimal("0.10"), "unit_price": Decimal("0.1000")}
        for _ in range(10_000)
    ]
    with db.atomic():
        for chunk in chunked(rows, 1000):
            InvoiceLine.insert_many(chunk).execute()
    raw = InvoiceLine.select(fn.SUM(InvoiceLine.amount)).scalar()
    assert InvoiceLine.amount.from_scaled(raw) == Decimal("1000.00")
    assert sum(line.amount for line in InvoiceLine.select()) == Decimal("1000.00")
    first = InvoiceLine.get()
    assert first.amount == Decimal("0.10") and str(first.amount) == "0.10"
    assert first.unit_price == Decimal("0.1000")


def test_four_decimal_prices_round_trip(db):
    Article.create(code="X", name="X", price=Decimal("12.3456"))
    assert Article.get().price == Decimal("12.3456")


def test_float_is_refused(db):
    import pytest

    with pytest.raises(TypeError):
        Article.create(code="F", name="F", price=0.1)

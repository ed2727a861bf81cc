"""Materializing in worker processes gives exactly what the sequential path gives."""

import datetime as dt

from tests.support.data import bulk_document, write_document
from tui_billing.billing import materialize as m
from tui_billing.store.models import Installment


def stored() -> set:
    return {(i.contract_id, i.key, i.amount, i.lines) for i in Installment.select()}


def test_parallel_equals_sequential(cli, tmp_path, monkeypatch):
    doc = bulk_document(40)
    doc["contracts"][0]["frequency"] = "quarterly"
    cli("import", write_document(tmp_path / "d.json", doc))
    from tui_billing.store.database import open_database

    database = open_database(cli.target)
    sequential = m.materialize(database, dt.date(2024, 6, 30), workers=0)
    expected = stored()
    assert sequential.created == len(expected) > 200
    Installment.delete().execute()
    from tui_billing.store.models import Contract

    Contract.update(materialized_revision=0, materialized_until=None).execute()

    monkeypatch.setattr(m, "PARALLEL_FROM", 1)
    monkeypatch.setattr(m, "CHUNK", 7)
    parallel = m.materialize(database, dt.date(2024, 6, 30), workers=2)
    assert parallel.created == sequential.created and parallel.failed == []
    assert stored() == expected
    assert m.materialize(database, dt.date(2024, 6, 30), workers=2).created == 0

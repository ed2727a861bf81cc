"""The collections screen driven with Pilot on a real database: reached from the app's
navigation, invoices due to be presented selected with the due screen's keys, an SDD file
written from the selection (valid against the XSD), then the presented file listed."""

from __future__ import annotations

import datetime as dt
import json

from lxml import etree

from tests.support.collection_db import DATA
from tests.tui.helpers import confirmed, wait_for
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config
from tui_billing.output.interchange_write import import_data
from tui_billing.output.sdd_xml import sdd_schema
from tui_billing.store.database import open_database
from tui_billing.store.models import Collection
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.collections import CollectionsScreen, CollectionsTable

TODAY = dt.date(2026, 3, 2)


async def test_select_and_write_an_sdd_file(db_target, tmp_path):
    db = open_database(db_target)
    import_data(db, json.loads(json.dumps(DATA)), today=TODAY)
    run_billing(db, RunOptions(on=dt.date(2026, 1, 1), status="issued", email=False), Config())
    db.close()
    app = BillingApp(db_target=db_target, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CollectionsScreen)
        await wait_for(pilot, lambda: screen.loads_done >= 1)
        table = screen.query_one(CollectionsTable)
        rows = [(r.contract, r.series, r.status) for r in table.model]
        assert rows == [
            ("A/2026/0001", "SDD", "due"),
            ("A/2026/0002", "SDD", "due"),
            ("A/2026/0003", "Ri.Ba.", "due"),
        ]
        out = tmp_path / "debits.xml"
        screen.query_one("#collections-output").value = str(out)
        table.focus()
        await pilot.press("space")  # the first invoice only
        await pilot.pause()
        assert "selected 1, 122.00" in str(screen.query_one("#collections-title").render())
        await pilot.press("s")
        assert (await confirmed(pilot, answer="escape")).startswith(
            "Present 1 invoice (122.00) to the bank in a SEPA direct debit file"
        )
        assert not out.exists() and Collection.select().count() == 0
        await pilot.press("s")
        await confirmed(pilot)
        await wait_for(pilot, lambda: screen.loads_done >= 2)
        status = str(screen.query_one("#collections-status").render())
        assert "1 invoice, 122.00, written to" in status, status
        assert sdd_schema().validate(etree.parse(str(out)))
        assert [r.contract for r in table.model] == ["A/2026/0002", "A/2026/0003"]
        assert screen.query_one("#collections-presented").row_count == 1
        await pilot.press("s")  # nothing selected now: nothing written
        await pilot.pause()
        assert "Select the SDD invoices" in str(screen.query_one("#collections-status").render())
    open_database(db_target)
    assert [c.invoice.number for c in Collection.select()] == ["A/2026/0001"]

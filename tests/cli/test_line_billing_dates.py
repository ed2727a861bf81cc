"""The previous and next billing date of each contract line (A11) agree with what is
invoiced and with what `due` and `run` bill next, after the contract changes: frequency,
lines removed and added back, an end that leaves nothing to bill; on SQLite and
PostgreSQL. And `contract price-history` reaches as far as what is invoiced."""

from __future__ import annotations

import datetime as dt

from tests.cli.test_billed_coverage import contract_id, document, edit, load, run
from tui_billing.billing.contract_editing import (
    add_line,
    current_record,
    remove_line,
    set_status,
)
from tui_billing.billing.contract_views import contract_detail, contract_schedule
from tui_billing.domain.billability import NOTHING_LEFT
from tui_billing.store.models import database_proxy

D = dt.date.fromisoformat
FAR = "2030-12-31"


def line_dates() -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """(previous, next) of each line of K-1, by description, as the detail screen has them."""
    return {
        line.description: (line.dates.previous, line.dates.next)
        for line in contract_detail(contract_id()).lines
    }


def next_due(cli, service: str) -> tuple[str, str | None, str | None] | None:
    """(invoice date, start, end) of the first installment `due` lists with a line of
    ``service``, looking years ahead; None when none."""
    result = cli("due", "--date", FAR, "--contract", "K-1", "--json")
    assert result.code == 0, result
    for row in result.json():
        for li in row["lines"]:
            if li["description"].startswith(service):
                return row["invoice_date"], li["period_start"], li["period_end"]
    return None


def next_planned(today: str) -> dt.date | None:
    """The invoice date of the contract schedule's first installment not invoiced."""
    rows = contract_schedule(database_proxy.obj, contract_id(), D(today)).rows
    return next((r.invoice_date for r in rows if r.status != "invoiced"), None)


def test_dates_follow_what_is_invoiced_through_changes(cli, tmp_path):
    load(cli, tmp_path, document())  # monthly Maintenance from January, a one-off Setup
    assert line_dates() == {
        "Maintenance": (None, D("2024-01-01")),
        "Setup": (None, D("2024-01-01")),
    }
    run(cli, "2024-04-01")  # January-April and the setup
    assert line_dates() == {
        "Maintenance": (D("2024-04-01"), D("2024-05-01")),
        "Setup": (D("2024-01-01"), None),
    }

    edit({"frequency": "quarterly"})
    # the second quarter's installment (1 April) still bills May-June: it is next
    assert line_dates()["Maintenance"] == (D("2024-04-01"), D("2024-04-01"))
    assert next_due(cli, "Maintenance") == ("2024-04-01", "2024-05-01", "2024-06-30")
    assert next_planned("2024-05-15") == D("2024-04-01")

    run(cli, "2024-05-15")  # bills May-June
    assert line_dates()["Maintenance"] == (D("2024-04-01"), D("2024-07-01"))
    assert next_due(cli, "Maintenance")[0] == "2024-07-01"
    assert next_planned("2024-05-15") == D("2024-07-01")

    db, cid = database_proxy.obj, contract_id()
    old = next(li["id"] for li in current_record(cid)["lines"] if li["recurring"])
    remove_line(db, cid, old)
    add_line(
        db,
        cid,
        {
            "description": "Maintenance",
            "quantity": "1",
            "unit_price": "50.00",
            "price_period": "monthly",
            "vat_rate": "22",
        },
    )
    # added back: what the removed line invoiced is its own, dates and days
    assert line_dates()["Maintenance"] == (D("2024-04-01"), D("2024-07-01"))
    assert next_due(cli, "Maintenance")[0] == "2024-07-01"

    edit({"end_date": "2024-06-30"})
    assert line_dates() == {
        "Maintenance": (D("2024-04-01"), None),
        "Setup": (D("2024-01-01"), None),
    }
    assert next_due(cli, "Maintenance") is None
    assert next_planned("2024-05-15") is None
    assert contract_detail(cid).not_billing == (
        "the contract ended on 30/06/2024 (no renewal)",
        NOTHING_LEFT,
    )

    edit({"end_date": "2024-07-10"})  # ten days more to bill, cut short
    assert line_dates()["Maintenance"] == (D("2024-04-01"), D("2024-07-01"))
    assert next_due(cli, "Maintenance") == ("2024-07-01", "2024-07-01", "2024-07-10")
    assert contract_detail(cid).not_billing == ()


def test_a_suspended_contract_keeps_its_previous_date_and_has_no_next(cli, tmp_path):
    load(cli, tmp_path, document(frequency="quarterly"))
    run(cli, "2024-04-01")
    assert cli("run", "--date", "2024-04-01", "--no-email").code == 0  # again: nothing new
    set_status(database_proxy.obj, contract_id(), "suspended")
    assert line_dates() == {
        "Maintenance": (D("2024-04-01"), None),
        "Setup": (D("2024-01-01"), None),
    }
    assert contract_detail(contract_id()).not_billing == (
        "the contract is not active (status: suspended)",
    )


def test_price_history_reaches_what_is_invoiced_under_earlier_terms(cli, tmp_path):
    data = document(frequency="quarterly")
    data["contracts"][0]["lines"][0]["steps"] = [{"from": "2024-08-01", "amount": "10.00"}]
    load(cli, tmp_path, data)
    run(cli, "2024-07-01")  # up to the third quarter, its August step included
    edit({"frequency": "monthly"})
    history = cli("contract", "price-history", "K-1", "--date", "2024-07-15", "--json")
    assert history.code == 0, history
    [line] = history.json()
    assert [c["from"] for c in line["changes"]] == ["2024-08-01"]

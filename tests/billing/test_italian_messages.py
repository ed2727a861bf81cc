"""The billing and store layers speak Italian to an Italian operator: refusals, the
confirmation before issuing (with its plurals), the run's warnings and failures, on a real
SQLite database, with the same values as in English; the run's JSON keeps its English."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.billing.invoice_fixtures import contract, customer, installment
from tui_billing.billing.confirmations import issue_confirmation
from tui_billing.billing.customer_editing import delete_customer
from tui_billing.billing.invoicing import create_invoices
from tui_billing.billing.numbering import issue_invoice
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.billing.series_editing import delete_series
from tui_billing.config import Config
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import language
from tui_billing.output.interchange_write import import_data
from tui_billing.store.database import open_database
from tui_billing.store.models import BillingRunLog, Invoice


def _contract(code: str, customer: str, start: str, lines: bool = True) -> dict:
    return {
        "code": code,
        "customer": customer,
        "status": "active",
        "start_date": start,
        "frequency": "monthly",
        "series": "A",
        "lines": [
            {"description": "Canone", "quantity": "1", "unit_price": "100.00", "vat_rate": "22.00"}
        ]
        if lines
        else [],
    }


def _document(*contracts: dict) -> dict:
    return {
        "series": [{"code": "A", "format": "{series}/{year}/{seq:04d}"}],
        "customers": [
            {"code": c, "name": f"Cliente {c}", "payment_terms_days": 30}
            for c in sorted({k["customer"] for k in contracts})
        ],
        "contracts": list(contracts),
    }


@pytest.fixture
def sqlite_db(sqlite_target):
    database = open_database(sqlite_target)
    yield database
    database.close()


def test_refusals_confirmations_and_run_warnings_come_out_in_italian(sqlite_db, italian):
    db = sqlite_db
    import_data(db, _document(_contract("K-OLD", "C1", "2024-03-01")))
    first = run_billing(
        db, RunOptions(on=dt.date(2024, 3, 1), status="issued", email=False), Config()
    )
    assert [i.number for i in first.invoices] == ["A/2024/0001"]

    # a confirmation with plural counts, then a singular one dated after today
    items = [("A", dt.date(2024, 3, 15), "invoice"), ("A", dt.date(2024, 3, 20), "invoice")]
    asked = issue_confirmation(items, dt.date(2024, 3, 31))
    assert asked.question == (
        "Emettere 2 fatture datate dal 15/03/2024 al 20/03/2024, numeri A/2024/0002-0003?"
    )
    assert asked.later is None
    asked = issue_confirmation([("A", dt.date(2024, 4, 10), "invoice")], dt.date(2024, 3, 31))
    assert asked.question == "Emettere 1 fattura datata 10/04/2024, numero A/2024/0002?"
    assert asked.later is not None
    assert asked.later.startswith(
        "1 documento con data successiva a oggi (31/03/2024), fino al 10/04/2024. "
        "I numeri devono seguire le date: una volta numerato, il sezionale A non potrà "
        "numerare nessun documento con data anteriore al 10/04/2024 nel 2024"
    )
    assert asked.later.endswith("Numerare comunque?")
    with language("en"):  # the same question, in the source text
        assert issue_confirmation(items, dt.date(2024, 3, 31)).question == (
            "Issue 2 invoices dated 15/03/2024 to 20/03/2024, numbers A/2024/0002-0003?"
        )

    # the dry run: K-NEW's missed months are caught up on the run date with a warning, a
    # contract without lines fails; the operator reads Italian, the JSON stays English
    new, empty = (
        _contract("K-NEW", "C2", "2024-01-01"),
        _contract("K-EMPTY", "C2", "2024-01-01", False),
    )
    import_data(db, _document(new, empty))
    report = run_billing(
        db, RunOptions(on=dt.date(2024, 3, 15), dry_run=True, status="issued"), Config()
    )
    assert report.failed == [("K-EMPTY", "non fatturabile: nessuna riga")]
    [(code, warning)] = report.warnings
    assert code == "K-NEW"
    assert warning.startswith(
        "datata 15/03/2024: impossibile numerare una fattura con data 01/01/2024 nel "
        "sezionale 'A': il documento A/2024/0001 del 01/03/2024 è già emesso"
    )
    shown = report.to_json()
    assert shown["failed"] == [{"contract": "K-EMPTY", "error": "cannot be billed: no lines"}]
    assert shown["warnings"][0]["warning"].startswith(
        "dated 15/03/2024: cannot number an invoice dated 2024-01-01 in series 'A': "
        "A/2024/0001 of 2024-03-01 is already issued"
    )
    assert BillingRunLog.select().where(BillingRunLog.level == "warning").count() == 0  # dry

    # a draft dated before the series' last number is refused, and stays a draft
    acme = customer("ACME")
    [draft] = create_invoices(db, [installment(contract("K-D", acme), "2024-02-01").id])
    with pytest.raises(UserError) as refused:
        issue_invoice(db, draft.id)
    assert refused.value.message == (
        "impossibile numerare una fattura con data 01/02/2024 nel sezionale 'A': il documento "
        "A/2024/0001 del 01/03/2024 è già emesso e i numeri devono seguire le date; usare "
        "una data uguale o successiva al 01/03/2024"
    )
    assert Invoice.get_by_id(draft.id).number is None

    # records in use are not deleted, and say what uses them, with Italian plurals
    with pytest.raises(UserError) as refused:
        delete_customer(db, "C2")
    assert refused.value.message == (
        "il cliente 'C2' è in uso (2 contratti): non si può eliminare; archiviarlo"
    )
    with pytest.raises(UserError) as refused:
        delete_customer(db, "ACME")
    assert refused.value.message == (
        "il cliente 'ACME' è in uso (1 contratto, 1 fattura): non si può eliminare; archiviarlo"
    )
    with pytest.raises(UserError) as refused:
        delete_series(db, "A")
    assert refused.value.message == (
        "il sezionale 'A' è in uso (2 documenti, 4 contratti): non si può eliminare"
    )


def test_a_refusal_remembers_its_english_for_json(italian):
    from tui_billing.billing.wording import _, english, error_text, shown

    refusal = UserError(
        _("order {order} is {status}: it cannot become {new_status} (possible: {allowed})").format(
            order="O-1", status=shown("status", "in_progress"), new_status="x", allowed="y"
        ),
        "status",
    )
    assert refusal.message == (
        "l'ordine O-1 è in stato in lavorazione: non può passare a x (possibili: y)"
    )
    assert english(refusal.message) == (
        "order O-1 is in_progress: it cannot become x (possible: y)"
    )
    text = error_text(refusal)
    assert (text, english(text)) == (
        "status: l'ordine O-1 è in stato in lavorazione: non può passare a x (possibili: y)",
        "status: order O-1 is in_progress: it cannot become x (possible: y)",
    )

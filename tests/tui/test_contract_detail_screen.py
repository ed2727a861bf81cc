"""The contract detail screen read as an operator sees it at 80x24: how the contract is
paid, and each line's previous and next billing date following what is invoiced."""

from __future__ import annotations

from tests.billing.contract_data import TODAY, contract_id, invoice_july, load
from tests.tui.helpers import fill, screen_text
from tui_billing.billing.contract_editing import update_contract
from tui_billing.store.database import open_database
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.contract_detail import ContractDetailScreen
from tui_billing.tui.screens.contract_form import ContractFormScreen

IBAN = "IT60X0542811101000000123456"


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def row_of(text: str, description: str) -> str:
    return next(line for line in lines_of(text) if line.startswith(description))


async def test_detail_shows_payment_terms_and_dates_of_what_is_billed_next(sqlite_target):
    db = open_database(sqlite_target)
    load(db)
    invoice_july(db)  # K-001, quarterly from July: July-September invoiced
    update_contract(
        db,
        contract_id("K-001"),
        {
            "payment_method": "riba",
            "iban": IBAN,
            "cost_centre": "MAN-NORD",
            "late_interest": "legal",
            "late_grace_days": 5,
            "late_fee": "40.00",
        },
    )
    db.close()
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractDetailScreen(contract_id("K-001")))
        await pilot.pause()
        text = screen_text(app)
        shown = lines_of(text)
        assert f"payment: Ri.Ba. · IBAN {IBAN} · in Italian" in shown
        assert "cost centre MAN-NORD · late payment: legal rate, grace 5 days, fee 40.00" in shown
        assert "from the customer: language" in shown
        assert all(len(line) <= 80 for line in text.splitlines())
        # invoiced: July; next: the October quarter, due on 15 November and not invoiced
        assert row_of(text, "Manutenzione caldaia").split()[-2:] == ["01/07/2024", "01/10/2024"]
        assert "Will not bill" not in text

        await pilot.press("b")
        assert isinstance(app.screen, ContractFormScreen)
        await fill(pilot, "end_date", "2024-09-30")  # what is invoiced is all there is
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractDetailScreen)
        text = screen_text(app)
        assert row_of(text, "Manutenzione caldaia").split()[-2:] == ["01/07/2024", "—"]
        assert (
            "Will not bill: the contract ended on 30/09/2024 (no renewal); nothing left "
            "to bill: every line is invoiced to its end"
        ) in " ".join(lines_of(text))


async def test_a_contract_without_its_own_payment_settings_shows_the_customers(sqlite_target):
    db = open_database(sqlite_target)
    load(db)
    db.close()
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractDetailScreen(contract_id("K-002")))
        await pilot.pause()
        shown = lines_of(screen_text(app))
        assert shown[4:6] == [
            "payment: bank transfer · no IBAN · in Italian · no cost centre",
            "no late charges · from the customer: method, language",
        ]
        await app.push_screen(ContractDetailScreen(contract_id("K-004")))  # no customer
        await pilot.pause()
        text = screen_text(app)
        assert "payment: no method · no IBAN · in Italian" in text
        assert "from the customer" not in text

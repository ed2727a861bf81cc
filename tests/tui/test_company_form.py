"""The company (seller) form, reached from anywhere with ctrl+o, and the customer's fiscal
data on the contract detail screen."""

from __future__ import annotations

from tests.billing.contract_data import TODAY, contract_id, load
from tests.tui.helpers import fill, screen_text
from tui_billing.output.interchange_write import import_data
from tui_billing.store.company_row import company_values
from tui_billing.store.database import open_database
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.company_form import CompanyFormScreen
from tui_billing.tui.screens.contract_detail import ContractDetailScreen


async def test_the_company_form_refuses_a_bad_vat_number_and_saves_a_good_one(sqlite_target):
    open_database(sqlite_target).close()
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, CompanyFormScreen)
        assert "Manutenzioni Adriatiche S.r.l." in screen_text(app)
        await fill(pilot, "vat_number", "IT12345678901")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompanyFormScreen)
        assert "not a valid Italian VAT number" in screen_text(app)
        assert company_values()["vat_number"] == "01234560017"  # nothing saved

        await fill(pilot, "vat_number", "IT00743110157")
        await fill(pilot, "name", "Nuova Ragione Sociale S.r.l.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CompanyFormScreen)
    stored = company_values()
    assert (stored["name"], stored["vat_country"], stored["vat_number"]) == (
        "Nuova Ragione Sociale S.r.l.",
        "IT",
        "00743110157",
    )
    assert stored["rea_number"] == "123456"  # the fields left alone are kept


async def test_the_contract_detail_shows_the_customers_fiscal_data(sqlite_target):
    db = open_database(sqlite_target)
    load(db)
    import_data(
        db,
        {
            "customers": [
                {
                    "code": "ROSSI",
                    "name": "Rossi Impianti S.r.l.",
                    "street": "Via Roma 1",
                    "postal_code": "20121",
                    "city": "Milano",
                    "province": "MI",
                    "vat_number": "IT01234560017",
                    "sdi_code": "M5UXCR1",
                }
            ]
        },
    )
    db.close()
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ContractDetailScreen(contract_id("K-001")))
        await pilot.pause()
        text = screen_text(app)
        assert "Via Roma 1, 20121 Milano (MI)" in text
        assert "VAT IT01234560017 · SdI M5UXCR1" in text


async def test_the_company_form_checks_and_saves_the_collecting_data(sqlite_target):
    open_database(sqlite_target).close()
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        await fill(pilot, "creditor_id", "IT05ZZZ0000012345678903")  # wrong check digits
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompanyFormScreen)  # refused: the form stays
        assert company_values()["creditor_id"] is None
        await fill(pilot, "creditor_id", "IT04ZZZ0000012345678903")
        await fill(pilot, "sia_code", "A1B2C")
        await fill(pilot, "bic", "BPPIITRRXXX")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CompanyFormScreen)
    stored = company_values()
    assert (stored["creditor_id"], stored["sia_code"], stored["bic"]) == (
        "IT04ZZZ0000012345678903",
        "A1B2C",
        "BPPIITRRXXX",
    )


async def test_the_company_form_sets_a_professionals_ritenuta_and_contribution(sqlite_target):
    from textual.widgets import Select

    from tui_billing.tui.widgets.form_fields import FieldRow

    open_database(sqlite_target).close()
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#row-withholding_kind", FieldRow).widget.value = "RT01"
        screen.query_one("#row-contribution_fund", FieldRow).widget.value = "TC22"
        assert isinstance(screen.query_one("#row-contribution_fund", FieldRow).widget, Select)
        await fill(pilot, "withholding_rate", "120")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompanyFormScreen)
        assert "must be a percentage between 0 and 100" in screen_text(app)
        assert company_values()["withholding_kind"] is None  # nothing saved
        await fill(pilot, "withholding_rate", "20")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CompanyFormScreen)
    stored = company_values()
    assert (
        stored["withholding_kind"],
        stored["withholding_rate"],
        stored["contribution_fund"],
        stored["contribution_rate"],
    ) == ("RT01", 20, "TC22", 4)


async def test_an_invoice_of_a_professional_shows_the_ritenuta_and_the_net(sqlite_target):
    from tests.support.seller import SELLER
    from tui_billing.billing.invoicing import create_invoices
    from tui_billing.billing.materialize import materialize
    from tui_billing.store.models import Installment
    from tui_billing.tui.screens.invoice import InvoiceScreen

    db = open_database(sqlite_target)
    import_data(
        db,
        {
            "company": {**SELLER, "withholding_kind": "RT01", "contribution_fund": "TC22"},
            "customers": [{"code": "ACME", "name": "ACME S.r.l.", "vat_number": "IT00743110157"}],
            "contracts": [
                {
                    "code": "K-1",
                    "customer": "ACME",
                    "status": "active",
                    "start_date": "2024-10-01",
                    "frequency": "monthly",
                    "lines": [
                        {"description": "Consulenza", "unit_price": "1000.00", "vat_rate": "22"}
                    ],
                }
            ],
        },
    )
    materialize(db, TODAY)
    first = Installment.select().order_by(Installment.invoice_date).first()
    [created] = create_invoices(db, [first.id], status="issued")
    db.close()
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(InvoiceScreen(created.id))
        await pilot.pause(0.5)
        text = screen_text(app)
    assert "Rivalsa INPS 4%" in text
    assert "Taxable 1,040.00 · VAT 228.80 · Total 1,268.80" in text
    assert "Ritenuta d'acconto 20% su 1.040,00 (art. 25 DPR 600/73): -208.00" in text
    assert "Net to pay 1,060.80" in text


async def test_the_company_form_reads_and_shows_the_share_capital_in_italian(
    italian, sqlite_target
):
    """An amount field of the company form takes 1.234,56 and shows what is stored the
    same way (as every amount field does)."""
    open_database(sqlite_target).close()
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, CompanyFormScreen)
        await fill(pilot, "share_capital", "50.000,00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CompanyFormScreen), screen_text(app)
    assert str(company_values()["share_capital"]) in ("50000.00", "50000")
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "50.000,00" in screen_text(app)

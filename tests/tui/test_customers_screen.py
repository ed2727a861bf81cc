"""The customers screen driven from the keyboard: the search narrows the list, a customer
created and edited through the form is in the database, archiving asks first, deleting a
customer in use is refused with its reason; and its snapshot at 80x24."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from tests.billing.contract_data import TODAY, load
from tests.tui.helpers import fill, screen_text, wait_for
from tui_billing.billing.customer_editing import create_customer
from tui_billing.output.interchange_write import import_data
from tui_billing.store.database import open_database
from tui_billing.store.models import Customer
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.common import ConfirmScreen
from tui_billing.tui.screens.customer_form import CustomerFormScreen
from tui_billing.tui.screens.customers import CustomersScreen
from tui_billing.tui.widgets.form_fields import FieldRow


def _database(target: str) -> None:
    db = open_database(target)
    load(db)  # ROSSI and BIANCHI, with contracts
    create_customer(
        db,
        {
            "code": "VERDI",
            "name": "Verdi Arredamenti S.r.l.",
            "street": "Via Garibaldi 3",
            "postal_code": "20121",
            "city": "Milano",
            "province": "MI",
            "vat_number": "IT00743110157",
            "sdi_code": "M5UXCR1",
        },
    )
    import_data(
        db,
        {
            "mandates": [
                {
                    "reference": "MND-VERDI-1",
                    "customer": "VERDI",
                    "signed_on": "2024-01-10",
                    "iban": "IT60X0542811101000000123456",
                }
            ]
        },
        today=TODAY,
    )
    db.close()


def _stored(target: str, code: str) -> Customer | None:
    """The stored customer (read once the app is closed: it holds the database)."""
    db = open_database(target)
    try:
        return Customer.get_or_none(Customer.code == code)
    finally:
        db.close()


async def _open(app, pilot) -> CustomersScreen:
    screen = CustomersScreen()
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.loaded)
    return screen


async def _listed(pilot, screen, codes: list[str]) -> None:
    await wait_for(pilot, lambda: [r.code for r in screen.rows] == codes)


async def test_the_search_narrows_the_list_by_code_or_name(db_target):
    _database(db_target)
    app = BillingApp(db_target=db_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        assert [r.code for r in screen.rows] == ["BIANCHI", "ROSSI", "VERDI"]
        await pilot.press("slash", *"arred")
        await _listed(pilot, screen, ["VERDI"])
        assert "Verdi Arredamenti" in screen_text(app)
        assert "Rossi" not in screen_text(app)
        screen.query_one("#customers-search", Input).value = "ross"
        await _listed(pilot, screen, ["ROSSI"])
        await pilot.press("escape")  # back to the list: letters are keys again


async def test_a_customer_is_created_through_the_form(db_target):
    _database(db_target)
    app = BillingApp(db_target=db_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerFormScreen))
        await fill(pilot, "code", "NERI")
        await fill(pilot, "name", "Neri Trasporti S.n.c.")
        await fill(pilot, "vat_number", "IT12345678901")  # a wrong check digit
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "is not a valid" in screen_text(app))
        assert isinstance(app.screen, CustomerFormScreen)
        await fill(pilot, "vat_number", "IT01234560017")
        await fill(pilot, "postal_code", "60027")
        await fill(pilot, "city", "Osimo")
        await fill(pilot, "payment_terms_days", "60")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await _listed(pilot, screen, ["BIANCHI", "NERI", "ROSSI", "VERDI"])
        assert screen.current().code == "NERI"  # the cursor on the new customer
    neri = _stored(db_target, "NERI")
    assert (neri.name, neri.vat_number, neri.city, neri.payment_terms_days, neri.archived) == (
        "Neri Trasporti S.n.c.",
        "01234560017",
        "Osimo",
        60,
        False,
    )


async def test_keys_typed_before_the_form_has_its_fields_reach_its_first_field(
    sqlite_target, monkeypatch
):
    """Keys sent right after the form opens, while it still reads what its fields show,
    are typed into its first field once it is mounted: none is lost, and a digit does not
    switch screens meanwhile."""
    import threading

    _database(sqlite_target)
    release = threading.Event()
    read = CustomerFormScreen.fetch

    def slow_read(self, arguments):
        release.wait(10)
        return read(self, arguments)

    monkeypatch.setattr(CustomerFormScreen, "fetch", slow_read)
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        mode = app.current_mode
        # typed at once (Pilot.press would wait for the form to read first)
        await app._press_keys(["n", "N", "3", "9", "x"])
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        assert not form.ready  # still reading: no field to type into yet
        assert app.current_mode == mode  # "3" did not go to the invoices
        release.set()
        await wait_for(pilot, lambda: form.ready)
        code = form.query_one("#row-code", FieldRow).widget
        await wait_for(pilot, lambda: code.value == "N39x")
        assert app.focused is code
        await pilot.press("escape")  # a changed form asks before it is left
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_a_field_is_edited_through_the_form(db_target):
    _database(db_target)
    app = BillingApp(db_target=db_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("end", "e")  # VERDI
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerFormScreen))
        assert "Customer VERDI" in screen_text(app)
        mandates = str(app.screen.query_one("#customer-mandates", Static).content)
        assert "MND-VERDI-1 · signed 10/01/2024 · CORE" in mandates
        await fill(pilot, "city", "Monza")
        await fill(pilot, "province", "mb")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: screen.rows and screen.rows[-1].city == "Monza")
    verdi = _stored(db_target, "VERDI")
    assert (verdi.city, verdi.province, verdi.sdi_code) == ("Monza", "MB", "M5UXCR1")


async def test_archive_asks_naming_the_customer_then_archives(db_target):
    _database(db_target)
    app = BillingApp(db_target=db_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("a")  # BIANCHI, the first
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Archive customer BIANCHI (Bianchi Costruzioni S.p.A.)?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await _listed(pilot, screen, ["ROSSI", "VERDI"])
        await pilot.press("h")  # the archived shown again, and restored
        await _listed(pilot, screen, ["BIANCHI", "ROSSI", "VERDI"])
        assert "archived" in screen_text(app)
        await pilot.press("home", "a")  # the cursor stayed on ROSSI
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Restore customer BIANCHI" in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: not screen.rows[0].archived)
    assert _stored(db_target, "BIANCHI").archived is False


async def test_delete_asks_and_is_refused_for_a_customer_in_use(db_target):
    _database(db_target)
    db = open_database(db_target)
    create_customer(db, {"code": "ZETA", "name": "Zeta S.r.l."})  # nothing refers to it
    db.close()
    app = BillingApp(db_target=db_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("d")  # BIANCHI has contracts
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Delete customer BIANCHI" in screen_text(app)
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: any("is in use" in n.message for n in app._notifications),
        )
        assert [r.code for r in screen.rows] == ["BIANCHI", "ROSSI", "VERDI", "ZETA"]
        await pilot.press("end", "d", "y")
        await _listed(pilot, screen, ["BIANCHI", "ROSSI", "VERDI"])
    assert _stored(db_target, "ZETA") is None
    assert _stored(db_target, "BIANCHI") is not None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_customers_list_snapshot(snap_compare, sqlite_target, size):
    _database(sqlite_target)

    async def before(pilot) -> None:
        pilot.app.sub_title = "customers.sqlite · 15/11/2024"  # not the temporary path
        screen = CustomersScreen()
        await pilot.app.push_screen(screen)
        await wait_for(pilot, lambda: screen.loaded)
        for field in screen.query(Input):
            field.cursor_blink = False
        await pilot.pause(0.3)

    app = BillingApp(db_target=sqlite_target, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=before)


async def test_the_command_palette_opens_the_customers_screen(sqlite_target):
    _database(sqlite_target)
    app = BillingApp(db_target=sqlite_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"customers", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomersScreen))
        await wait_for(pilot, lambda: app.screen.loaded)
        assert [r.code for r in app.screen.rows] == ["BIANCHI", "ROSSI", "VERDI"]

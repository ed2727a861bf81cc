"""The records hub (9) and its lists: every entry opens, the search narrows, and articles,
series and interest rates are created through their forms and found in the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.billing.contract_data import TODAY, load
from tests.tui.helpers import fill, make_app, screen_text, wait_for
from tui_billing.billing.article_editing import create_article
from tui_billing.store.database import open_database
from tui_billing.store.models import Article, LegalInterestRate, Series
from tui_billing.tui.screens.records import ENTRIES, RecordsScreen, installed_entries


def _database(target: str) -> str:
    db = open_database(target)
    load(db)  # series A and B, article MAN used by contract K-001
    create_article(db, {"code": "PUL", "name": "Pulizia uffici", "price": "35.5", "vat_rate": "22"})
    db.close()
    return target


async def _listed(pilot, rows: int) -> None:
    await wait_for(
        pilot,
        lambda: (
            getattr(pilot.app.screen, "records", None) is not None
            and len(pilot.app.screen.records) == rows
            and "reading" not in screen_text(pilot.app)
        ),
    )


def test_the_hub_keeps_a_slot_for_customers() -> None:
    names = [entry.name for entry in ENTRIES]
    assert names == ["customers", "articles", "series", "company", "interest_rates"]
    assert len({entry.key for entry in ENTRIES}) == len(ENTRIES)


async def test_9_reaches_the_hub_and_every_installed_entry_opens(sqlite_target) -> None:
    app = make_app(_database(sqlite_target), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordsScreen))
        assert app.current_mode == "records"
        entries = installed_entries()
        assert {"articles", "series", "company", "interest_rates"} <= {e.name for e in entries}
        for row, entry in enumerate(entries):  # by the cursor and enter
            table = app.screen.query_one("#records-table")
            table.move_cursor(row=row)
            await pilot.press("enter")
            expected = entry.path.rpartition(".")[2]
            await wait_for(pilot, lambda expected=expected: type(app.screen).__name__ == expected)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, RecordsScreen))
        for entry in entries:  # by its letter
            await pilot.press(entry.key)
            expected = entry.path.rpartition(".")[2]
            await wait_for(pilot, lambda expected=expected: type(app.screen).__name__ == expected)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, RecordsScreen))


async def test_the_search_narrows_each_list(sqlite_target) -> None:
    app = make_app(_database(sqlite_target), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9", "a")
        await _listed(pilot, 2)
        await pilot.press("slash", *"pul")
        await _listed(pilot, 1)
        assert "Pulizia uffici" in screen_text(app)
        assert "Manutenzione" not in screen_text(app)
        assert "1 article matching 'pul'" in screen_text(app)
        await pilot.press("escape", "escape")  # leave the field, then the list

        await pilot.press("s")
        await _listed(pilot, 2)
        await pilot.press("slash", *"fatt")  # by description
        await _listed(pilot, 1)
        assert app.screen.records[0].code == "A"
        await pilot.press("escape", "escape")

        await pilot.press("r")
        await wait_for(pilot, lambda: len(getattr(app.screen, "records", [])) > 10)
        await pilot.press("slash", *"2025")
        await _listed(pilot, 2)
        assert [r.half_year_start for r in app.screen.records] == [
            dt.date(2025, 7, 1),
            dt.date(2025, 1, 1),
        ]


async def test_an_article_is_created_refused_then_edited_through_the_form(sqlite_target) -> None:
    app = make_app(_database(sqlite_target), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9", "a")
        await _listed(pilot, 2)
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ArticleFormScreen")
        await fill(pilot, "code", "INST")
        await fill(pilot, "name", "Installazione impianto")
        await fill(pilot, "price", "1.234,5O")  # a letter O
        await fill(pilot, "vat_rate", "22")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ArticleFormScreen"
        assert "not a decimal number" in screen_text(app)
        assert Article.get_or_none(Article.code == "INST") is None
        await fill(pilot, "price", "1.234,50")
        await pilot.press("ctrl+s")
        await _listed(pilot, 3)
        saved = Article.get(Article.code == "INST")
        assert (saved.name, saved.price, saved.vat_rate) == (
            "Installazione impianto",
            Decimal("1234.50"),
            Decimal("22"),
        )
        assert any(t in screen_text(app) for t in ("1234.50", "1,234.50", "1.234,50"))


async def test_deleting_an_article_asks_first_naming_it(sqlite_target) -> None:
    app = make_app(_database(sqlite_target), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9", "a")
        await _listed(pilot, 2)
        await pilot.press("slash", *"PUL", "enter", "d")
        await pilot.pause()
        assert "Delete article PUL (Pulizia uffici)?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert Article.get_or_none(Article.code == "PUL") is not None
        await pilot.press("d", "y")
        await wait_for(pilot, lambda: Article.get_or_none(Article.code == "PUL") is None)
        await pilot.press("escape")
        await pilot.press("backspace", "backspace", "backspace", "enter", "d", "y")
        await pilot.pause(0.3)  # MAN is used by a contract line: refused, kept
        assert Article.get_or_none(Article.code == "MAN") is not None
        assert any("cannot be deleted" in str(n.message) for n in app._notifications)


async def test_a_series_and_a_rate_are_created_through_their_forms(sqlite_target) -> None:
    app = make_app(_database(sqlite_target), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9", "s")
        await _listed(pilot, 2)
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SeriesFormScreen")
        await fill(pilot, "code", "C")
        await fill(pilot, "description", "Corrispettivi")
        await fill(pilot, "format", "C-{year}-{seq:05d}")
        await pilot.press("ctrl+s")
        await _listed(pilot, 3)
        assert "C-2024-00001" in screen_text(app)
        stored = Series.get(Series.code == "C")
        assert (stored.description, stored.format) == ("Corrispettivi", "C-{year}-{seq:05d}")
        await pilot.press("escape")

        await pilot.press("r")
        await wait_for(pilot, lambda: len(getattr(app.screen, "records", [])) > 10)
        count = len(app.screen.records)
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "InterestRateFormScreen")
        await fill(pilot, "half_year", "2026-H1")  # in the table already: refused
        await fill(pilot, "reference_rate", "1,90")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "in the table already" in screen_text(app)
        await fill(pilot, "half_year", "2027-H1")
        await pilot.press("ctrl+s")
        await _listed(pilot, count + 1)
        row = LegalInterestRate.get(LegalInterestRate.half_year_start == dt.date(2027, 1, 1))
        assert (row.reference_rate, row.points) == (Decimal("1.90"), Decimal("8.00"))
        assert "9.90" in screen_text(app)


async def test_a_series_used_this_year_refuses_a_new_format_in_its_form(sqlite_target) -> None:
    from tests.billing.contract_data import invoice_july

    db = open_database(_database(sqlite_target))
    invoice_july(db)  # A/2024/0001
    db.close()
    app = make_app(sqlite_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9", "s")
        await _listed(pilot, 2)
        assert "A/2024/0001" in screen_text(app)  # its last number
        await pilot.press("e")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SeriesFormScreen")
        await fill(pilot, "format", "FT-{year}-{seq:05d}")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for(pilot, lambda: "break the year's gapless" in screen_text(app))
        assert type(app.screen).__name__ == "SeriesFormScreen"
        assert Series.get(Series.code == "A").format == "{series}/{year}/{seq:04d}"

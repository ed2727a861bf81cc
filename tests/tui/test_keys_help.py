"""At 80 columns: ``?`` help shows every binding id whole (what it does wraps), and the
contracts footer keeps ``x Close``."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable

from tests.tui.helpers import due_ready, make_app, make_bulk, screen_text, wait_for


async def test_help_never_cuts_the_ids_and_the_footer_shows_close(sqlite_target, tmp_path) -> None:
    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    app = make_app(target, today=dt.date(2024, 3, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        for digit, mode in (("2", "contracts"), ("3", "invoices")):
            await pilot.press(digit)
            await wait_for(pilot, lambda mode=mode: app.current_mode == mode)
            await pilot.pause(0.2)
            if mode == "contracts":
                assert "x Close" in screen_text(app).splitlines()[-1]
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "KeysScreen")
            await pilot.pause(0.2)
            table = app.screen.query_one(DataTable)
            ids = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
            key_col, does_col, id_col = table.ordered_columns
            assert id_col.width >= max(len(i) for i in ids)
            assert key_col.width + does_col.width + id_col.width + 6 <= 80 - 4
            if mode == "invoices":
                assert "invoices.einvoice_receipts" in ids
                assert "invoices.einvoice_receipts" in screen_text(app) or table.row_count > 18
            # the goto keys name their F-key and Ctrl+digit
            goto = next(
                i for i in range(table.row_count) if table.get_row_at(i)[2] == "app.goto_due"
            )
            assert "F1" in str(table.get_row_at(goto)[0])
            await pilot.press("escape")
            await pilot.pause()


def test_in_italian_a_letter_key_is_explained_by_the_english_word_it_stands_for(italian):
    """Keys never change with the language: where a letter is the initial of an English
    word, the ? help names that word (``e (edit)`` beside "Modifica")."""
    from textual.binding import Binding

    from tui_billing.tui.translation import mnemonic, translated

    edit = translated(Binding("e", "edit", "Edit", id="test.edit"))
    new = translated(Binding("n", "new", "New", id="test.new"))
    search = translated(Binding("slash", "search", "Search", id="test.search"))
    assert (edit.key, edit.description) == ("e", "Modifica")
    assert mnemonic(edit, "e") == "edit"
    assert mnemonic(new, "n") == ""  # "Nuovo" says it already
    assert mnemonic(search, "slash") == ""  # not a letter


def test_in_english_no_key_needs_explaining():
    from textual.binding import Binding

    from tui_billing.tui.translation import mnemonic, translated

    edit = translated(Binding("e", "edit", "Edit", id="test.edit"))
    assert mnemonic(edit, "e") == ""

"""The shell: starts on the due screen, header, navigation, keys list, palette, keymap from
the configuration, themes, and errors as messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.tui.helpers import (
    TODAY,
    due_ready,
    make_app,
    make_bulk,
    make_demo,
    screen_text,
    wait_for,
)


@pytest.fixture
def demo(tmp_path) -> str:
    return make_demo(str(tmp_path / "demo.sqlite"))


async def test_starts_on_due_with_database_and_date_in_the_header(demo) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        assert app.current_mode == "due" and type(app.screen).__name__ == "DueScreen"
        top = screen_text(app).splitlines()[0]
        assert "Due installments" in top and "demo.sqlite" in top and "01/12/2026" in top
        text = screen_text(app)
        for label in ("1 Due", "3 Invoices", "7 Runs", "␣ Toggle", "c Create", "? Keys"):
            assert label in text
        assert len(app.screen.table.model) > 10


async def test_digits_move_between_screens_and_back_keeps_the_selection(demo) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press("space", "space")
        await pilot.press("3")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "InvoicesScreen")
        assert "Invoices" in screen_text(app).splitlines()[0]
        await pilot.press("7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BillingRunsScreen")
        await pilot.press("1")
        await due_ready(pilot)
        assert app.screen.table.model.selected_count == 2


async def test_question_mark_lists_every_key_with_its_id(demo) -> None:
    app = make_app(demo)
    async with app.run_test(size=(100, 40)) as pilot:
        await due_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        ids = {table.get_row_at(i)[2] for i in range(table.row_count)}
        for ident in (
            "due_table.toggle",
            "due_table.extend_down",
            "due_table.select_all",
            "due_table.invert",
            "due_table.clear",
            "due_table.select_customer",
            "due.filter",
            "due.select_matching",
            "due.create",
            "app.goto_invoices",
            "app.keys",
            "app.command_palette",
        ):
            assert ident in ids
        await pilot.press("escape")
        assert type(app.screen).__name__ == "DueScreen"


async def test_every_binding_has_an_id_and_a_tooltip() -> None:
    from tui_billing.tui.binding_ids import binding_classes

    classes = binding_classes()
    assert {"BillingApp", "DueScreen", "PlanScreen", "DueTable"} <= {c.__name__ for c in classes}
    for cls in classes:
        for binding in cls.BINDINGS:
            assert binding.id, (cls.__name__, binding.key)
            assert binding.tooltip, (cls.__name__, binding.key)


async def test_the_palette_offers_the_current_screens_actions(demo) -> None:
    from tui_billing.tui.commands import screen_commands

    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        names = {c.name for c in screen_commands(app.screen)}
        assert "Create the invoices of the selected installments" in names
        assert "Select every visible row" in names
        assert any(n.startswith("Go to invoices") for n in names)
        # through the palette itself: type, enter runs the action on the due table
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"select every visible", "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DueScreen")
        await pilot.pause(0.2)
        assert app.screen.table.model.selected_count == len(app.screen.table.model)
        await pilot.press("3")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "InvoicesScreen")
        names = {c.name for c in screen_commands(app.screen)}
        assert "Issue the draft: give it the next number of its series" in names
        assert "Create the invoices of the selected installments" not in names


async def test_keys_and_theme_come_from_the_configuration(tmp_path, db_target) -> None:
    target = make_bulk(db_target, tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(
        '[tui]\ntheme = "monokai"\n\n[keys]\n"due_table.toggle" = "t"\n"app.goto_invoices" = "f3"\n'
    )
    app = make_app(target, today=dt.date(2024, 3, 15), config_path=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        assert app.theme == "monokai"
        await pilot.press("t", "t")
        assert app.screen.table.model.selected_count == 2
        await pilot.press("space")  # no longer bound
        assert app.screen.table.model.selected_count == 2
        assert "t Toggle" in screen_text(app)
        assert "F3 Invoices" in screen_text(app)
        await pilot.press("f3")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "InvoicesScreen")


async def test_an_unknown_theme_is_a_warning_an_unknown_key_id_refused(tmp_path, db_target) -> None:
    from tui_billing.domain.errors import UserError

    target = make_bulk(db_target, tmp_path)
    config = tmp_path / "config.toml"
    config.write_text('[tui]\ntheme = "no-such-theme"\n')
    app = make_app(target, today=dt.date(2024, 3, 15), config_path=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        messages = [n.message for n in app._notifications]
        assert any("no-such-theme" in m for m in messages)
    config.write_text('[keys]\n"due_table.nope" = "t"\n')
    with pytest.raises(UserError, match='"due_table.nope": no binding has this id'):
        make_app(target, today=dt.date(2024, 3, 15), config_path=config)


def test_an_internal_error_is_one_line_and_its_traceback_goes_to_the_log(
    tmp_path, monkeypatch
) -> None:
    from tui_billing.domain.errors import LockHeld, UserError
    from tui_billing.tui.errors import error_text

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert error_text(UserError("bad", "invoice date")) == "invoice date: bad"
    assert error_text(LockHeld("another run")) == "another run"
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as exc:
        text = error_text(exc)
    assert "\n" not in text and text.startswith("internal error: RuntimeError: disk on fire")
    log = text.split("details in ")[1].rstrip(")")
    assert "Traceback" in Path(log).read_text(encoding="utf-8")


def test_the_tui_pins_today() -> None:
    assert TODAY.isoformat() == "2026-12-01"


@pytest.mark.parametrize("key", ["4", "5", "6"])
async def test_escape_and_digits_work_on_every_screen(demo, key) -> None:
    """Escape on a screen that is the base of its mode does not end the app, and a digit
    typed next still switches screens (no field takes it)."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: app.current_mode != "due")
        mode = app.current_mode
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.is_running and app.current_mode == mode
        await pilot.press("3")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "InvoicesScreen")

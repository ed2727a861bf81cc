"""Helpers for driving the TUI in tests: a demo or small database, waiting for workers."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tests.support.data import bulk_document, write_document

TODAY = dt.date(2026, 12, 1)


def make_demo(target: str, today: dt.date = TODAY) -> str:
    """The demo database at ``target`` (its dates moved to ``today``)."""
    from tui_billing.cli.main import main

    assert main(["--db", target, "--today", today.isoformat(), "demo", "--force"]) == 0
    return target


def make_bulk(target: str, tmp: Path, contracts: int = 12, **kw) -> str:
    """``contracts`` monthly contracts from 2024-01-01 (see tests.support.data)."""
    from tui_billing.cli.main import main

    path = write_document(tmp / "bulk.json", bulk_document(contracts, **kw))
    assert main(["--db", target, "import", path]) == 0
    return target


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20) -> None:
    """Let the app run until ``condition()`` holds (workers post their messages)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            notes = [n.message for n in getattr(pilot.app, "_notifications", [])]
            raise AssertionError(
                f"timed out waiting for the app; notifications: {notes}\n" + screen_text(pilot.app)
            )
        await pilot.pause(0.02)
    await pilot.pause()


def screen_text(app) -> str:
    """The text on the terminal now (what a person sees)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def make_app(target: str, today: dt.date = TODAY, config_path: Path | None = None):
    from tui_billing.tui.app import BillingApp

    return BillingApp(target, config_path=config_path, today=today)


async def due_ready(pilot: Pilot) -> None:
    """Wait until the due screen finished loading."""
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "loading_done", False))


async def fill(pilot: Pilot, name: str, text: str) -> None:
    """Type ``text`` into the form field ``name`` of the current screen (emptied first)."""
    from textual.widgets import Input

    from tui_billing.tui.widgets.form_fields import FieldRow

    await pilot.pause()  # the form has read what its fields show
    widget = pilot.app.screen.query_one(f"#row-{name}", FieldRow).widget
    widget.focus()
    assert isinstance(widget, Input)
    widget.value = ""
    await pilot.press(*text)


async def choose(pilot: Pilot, select, letters: str) -> None:
    """Pick an option of a Select from the keyboard: open it, type, enter."""
    select.focus()
    await pilot.press("enter", *letters, "enter")
    await pilot.pause()


async def confirmed(pilot: Pilot, *, answer: str = "enter") -> str:
    """Wait for the confirmation dialog, answer it (``enter``: yes, ``escape``: no) and
    return the question it asked."""
    from textual.widgets import Label

    from tui_billing.tui.screens.common import ConfirmScreen

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    question = str(pilot.app.screen.query_one("#confirm-question", Label).content)
    await pilot.press(answer)
    await pilot.pause()
    return question


async def checked(pilot: Pilot) -> None:
    """Let the checks a form reads in a thread as it is typed in finish and be shown."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()

"""What the contract screens share: a yes/no question, dates and money as operators read
them, and running a billing call so that its error becomes a message, never a traceback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from peewee import PeeweeException
from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label

from tui_billing.domain import display
from tui_billing.domain.errors import UserError

T = TypeVar("T")


def day(value: dt.date | None) -> str:
    """``dd/mm/yyyy``, or empty."""
    return display.day(value)


def money(value: Decimal | None) -> str:
    """Two decimals, half up, grouped (``1,234.50``); empty for none."""
    return display.money(value)


def price(value: Decimal) -> str:
    """A unit price or quantity with the decimals it has (at least two)."""
    return display.price(value)


def cut(text: str, width: int) -> str:
    """``text`` as it fits a column ``width`` cells wide: cut with an ellipsis, never
    chopped (``Rossi Costruzioni S…``)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)) + "…" if width > 0 else ""


def attempt(widget: Widget, call: Callable[[], T], *, what: str = "") -> T | None:
    """``call()``; a UserError or a database error is shown as a message (None returned)."""
    try:
        return call()
    except UserError as exc:
        widget.notify(f"{what}{exc}", severity="error", timeout=8)
    except (PeeweeException, ArithmeticError, ValueError) as exc:
        widget.notify(f"{what}cannot be done: {exc}", severity="error", timeout=8)
    return None


def open_screen(widget: Widget, make: Callable[[], Any], done: Callable | None = None) -> None:
    """Push the screen ``make()`` builds; an error reading what it shows is a message."""
    screen = attempt(widget, make)
    if screen is not None:
        widget.app.push_screen(screen, done)


class ConfirmScreen(ModalScreen[bool]):
    """A question answered with y (yes) or n / escape (no)."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 60; height: auto; max-width: 100%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmScreen Label { width: 100%; }
    ConfirmScreen .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, do it"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, leave it"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Label("y: yes   n / esc: no", classes="keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def app_attr(widget: Widget, name: str, default: Any = None) -> Any:
    """An attribute of the running app (db, today, config), or ``default``."""
    return getattr(widget.app, name, default)

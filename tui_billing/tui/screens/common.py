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
from textual.widgets import Input, Label, Select, TextArea
from textual.widgets._toggle_button import ToggleButton

from tui_billing.billing.confirmations import Confirmation
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _
from tui_billing.tui.errors import error_text

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
        widget.notify(
            what + _("cannot be done: {error}").format(error=exc), severity="error", timeout=8
        )
    return None


def open_screen(widget: Widget, make: Callable[[], Any], done: Callable | None = None) -> None:
    """Push the screen ``make()`` builds; an error reading what it shows is a message."""
    screen = attempt(widget, make)
    if screen is not None:
        widget.app.push_screen(screen, done)


class ConfirmScreen(ModalScreen[bool]):
    """A question answered with enter or y (yes), escape or n (no). With ``later`` a second
    question follows a yes (a date after today): only a second yes confirms."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 64; height: auto; max-width: 100%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmScreen > Vertical.-later { border: thick $error; }
    ConfirmScreen Label { width: 100%; }
    ConfirmScreen .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("enter,y", "answer(True)", N_("Yes"), id="confirm.yes", tooltip=N_("Yes, do it")),
        Binding("escape,n", "answer(False)", N_("No"), id="confirm.no", tooltip=N_("No, leave it")),
    ]

    def __init__(self, question: str, later: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.later = later

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, id="confirm-question")
            yield Label(_("enter / y: yes   esc / n: no"), classes="keys")

    def action_answer(self, yes: bool) -> None:
        if yes and self.later:
            self.query_one("#confirm-question", Label).update(self.later)
            self.query_one(Vertical).add_class("-later")
            self.later = None
            return
        self.dismiss(yes)


def confirm(
    widget: Widget, question: str, then: Callable[[], Any], later: str | None = None
) -> None:
    """Ask ``question`` (and ``later`` after a yes); ``then()`` only on the last yes."""

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    widget.app.push_screen(ConfirmScreen(question, later), answered)


def ask_first(
    widget: Widget,
    question: Callable[[], Any],
    then: Callable[[], Any],
    refused: Callable[[str], Any] | None = None,
) -> None:
    """Work out the question in a thread (it reads the database: the numbers the documents
    would take), then ask it; ``then()`` runs on the UI thread after the last yes. An error
    working it out (the action would be refused) is shown instead, nothing asked.
    ``question()`` returns a text or a :class:`Confirmation`; ``refused(text)`` shows an
    error (default: a notification)."""
    app = widget.app

    def work() -> None:
        try:
            asked = question()
        except Exception as exc:  # shown as a message: the action would fail the same way
            if refused is not None:
                app.call_from_thread(refused, error_text(exc))
            else:
                app.call_from_thread(app.notify, error_text(exc), severity="error", timeout=10)
            return
        finally:
            db = getattr(app, "db", None)
            if db is not None:
                db.close()
        if isinstance(asked, Confirmation):
            app.call_from_thread(confirm, widget, asked.question, then, asked.later)
        else:
            app.call_from_thread(confirm, widget, str(asked), then)

    widget.run_worker(work, thread=True, exit_on_error=False, group="confirm")


def form_state(screen: Widget) -> tuple[Any, ...]:
    """The values of every field of a form: text fields, checkboxes and choices."""
    values: list[Any] = []
    for widget in screen.query("*"):
        if isinstance(widget, Input):
            values.append(widget.value)
        elif isinstance(widget, TextArea):
            values.append(widget.text)
        elif isinstance(widget, ToggleButton | Select):
            values.append(widget.value)
    return tuple(values)


class DiscardGuard:
    """Mixed into a form: the values it showed are remembered; leaving it with changes
    (escape, Cancel) asks before they are discarded."""

    _pristine: tuple[Any, ...] | None = None

    def on_mount(self) -> None:
        self.call_after_refresh(self.remember_values)  # type: ignore[attr-defined]

    def remember_values(self) -> None:
        self._pristine = form_state(self)  # type: ignore[arg-type]

    def changed(self) -> bool:
        return self._pristine is not None and form_state(self) != self._pristine  # type: ignore[arg-type]

    def leave(self, close: Callable[[], Any]) -> None:
        """``close()`` at once, or after a yes when the form has changes."""
        if self.changed():
            confirm(self, _("Discard the changes made in this form?"), close)  # type: ignore[arg-type]
        else:
            close()


def app_attr(widget: Widget, name: str, default: Any = None) -> Any:
    """An attribute of the running app (db, today, config), or ``default``."""
    return getattr(widget.app, name, default)

"""What every screen of the shell shares: header, navigation line, footer, and the one way
screens read the database: a thread worker that posts what it read back to the screen, whose
errors become messages, never tracebacks.

A screen overrides three hooks:

- :meth:`BillingScreen.load_arguments` (UI thread): what the worker needs from the widgets,
  such as the filters as typed; a :class:`~tui_billing.domain.errors.UserError` it raises is
  shown and nothing is read;
- :meth:`BillingScreen.fetch` (worker thread): the engine calls; returns what to show;
- :meth:`BillingScreen.show` (UI thread): puts it on the screen.

:meth:`BillingScreen.refresh_data` starts a read; the app calls it when the operator comes
back to a screen, and a screen calls it after each change it makes. A long read may hand
parts to :meth:`BillingScreen.show` before it returns (a first page, a progress note) with
:meth:`BillingScreen.publish`, and stop early when :meth:`BillingScreen.read_cancelled`.
"""

from __future__ import annotations

import threading
from typing import Any

from textual import getters, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.errors import error_text
from tui_billing.tui.widgets.nav_bar import NavBar

READS = "billing-screen-load"  # the worker group of the screens' reads
_reading = threading.local()  # the serial of the read running in this worker thread


def chrome_top() -> ComposeResult:
    yield Header(icon="")


def chrome_bottom() -> ComposeResult:
    yield NavBar()
    yield Footer(compact=True)


class BillingScreen(Screen[None]):
    """A top-level screen: subclasses yield their body from :meth:`compose_body` and read
    their data through :meth:`fetch` and :meth:`show`."""

    class Loaded(Message):
        """What a screen's worker read (``data``), or the error it met (``error``)."""

        def __init__(
            self, serial: int, data: Any = None, error: str | None = None, *, final: bool = True
        ) -> None:
            super().__init__()
            self.serial = serial
            self.data = data
            self.error = error
            self.final = final  # False: a part published before the read ends

    _load_serial = 0
    #: False for a screen with nothing of its own to read (a menu of other screens).
    HAS_DATA = True
    _shown_serial = 0

    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # TITLE is written in English (marked with N_): the header shows it translated
        if self.TITLE:
            self.title = _(self.TITLE)
        if self.SUB_TITLE:
            self.sub_title = _(self.SUB_TITLE)

    def compose(self) -> ComposeResult:
        yield from chrome_top()
        yield from self.compose_body()
        yield from chrome_bottom()

    def compose_body(self) -> ComposeResult:
        yield from ()

    # --- the one loading pattern ----------------------------------------------------

    def refresh_data(self) -> None:
        """Read again what this screen shows, in a thread worker; the newest read wins."""
        try:
            arguments = self.load_arguments()
        except UserError as exc:
            self.show_error(str(exc))
            return
        self._load_serial += 1
        self.loading_started()
        self._fetch_in_worker(self._load_serial, arguments)

    @property
    def reading(self) -> bool:
        """A read has started and what it read is not on the screen yet."""
        return self._shown_serial != self._load_serial

    def load_arguments(self) -> Any:
        """UI thread: what :meth:`fetch` needs from the widgets (filters as typed)."""
        return None

    def fetch(self, arguments: Any) -> Any:
        """Worker thread: read from the engine; never touch widgets here."""
        return None

    def show(self, data: Any) -> None:
        """UI thread: put what :meth:`fetch` returned on the screen."""

    def loading_started(self) -> None:
        """UI thread: a read has started (a screen may say "reading…")."""

    def show_error(self, text: str) -> None:
        """UI thread: a read failed or its arguments were refused."""
        self.app.notify(text, severity="error")

    def publish(self, data: Any) -> None:
        """Worker thread, inside :meth:`fetch`: show ``data`` now, before the read ends."""
        self.post_message(self.Loaded(_reading.serial, data=data, final=False))

    def read_cancelled(self) -> bool:
        """Worker thread, inside :meth:`fetch`: a newer read has started (stop this one)."""
        return get_current_worker().is_cancelled or _reading.serial != self._load_serial

    @work(thread=True, exclusive=True, exit_on_error=False, group=READS)
    def _fetch_in_worker(self, serial: int, arguments: Any) -> None:
        db = getattr(self.app, "db", None)
        _reading.serial = serial
        try:
            data = self.fetch(arguments)
        except Exception as exc:  # shown as a message, never a traceback
            self.post_message(self.Loaded(serial, error=error_text(exc)))
        else:
            self.post_message(self.Loaded(serial, data=data))
        finally:
            if db is not None:
                db.close()

    def on_billing_screen_loaded(self, message: BillingScreen.Loaded) -> None:
        message.stop()
        if message.serial != self._load_serial:
            return  # an older read finished after a newer one started
        if message.final:
            self._shown_serial = message.serial
        if message.error is not None:
            self.show_error(message.error)
        else:
            self.show(message.data)

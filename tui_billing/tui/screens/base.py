"""What every screen of the shell shares: header, navigation line, footer, and a helper to
run engine calls in a thread worker whose errors become messages, never tracebacks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from tui_billing.tui.widgets.nav_bar import NavBar


def chrome_top() -> ComposeResult:
    yield Header(icon="")


def chrome_bottom() -> ComposeResult:
    yield NavBar()
    yield Footer(compact=True)


class BillingScreen(Screen[None]):
    """A top-level screen: subclasses yield their body from :meth:`compose_body`."""

    def compose(self) -> ComposeResult:
        yield from chrome_top()
        yield from self.compose_body()
        yield from chrome_bottom()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def refresh_data(self) -> None:
        """Called when the operator comes back to this screen: reload what may have changed."""

"""A run-log message shown whole (the log table cuts long ones), and the log a dry run
would write: its failures and warnings, as the CLI dry run prints them."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_billing.billing.run import RunReport
from tui_billing.billing.run_history import LogEntry
from tui_billing.domain import display
from tui_billing.tui.screens.common import day


def dry_run_log(report: RunReport) -> tuple[str, list[LogEntry]]:
    """The title and entries of what the dry run ``report`` found: failures, then warnings
    (a contract re-dated, a price kept, ...)."""
    now = dt.datetime.now()
    entries = [LogEntry(now, "error", code, reason) for code, reason in report.failed]
    entries += [LogEntry(now, "warning", code, warning) for code, warning in report.warnings]
    title = (
        f"Dry run of {day(report.date)} (nothing written): "
        f"{display.count(len(report.warnings), 'warning')}, {len(report.failed):,} failed"
    )
    return title, entries


class LogMessageScreen(ModalScreen[None]):
    """One log entry, its message whole."""

    DEFAULT_CSS = """
    LogMessageScreen #log-message-scroll { height: auto; max-height: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,enter,q",
            "close",
            "Close",
            id="run_log.close",
            priority=True,
            tooltip="Back to the log",
        ),
    ]

    def __init__(self, entry: LogEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        entry = self.entry
        head = f"{entry.level}" + (f" · contract {entry.contract}" if entry.contract else "")
        with Vertical(classes="dialog", id="log-message-box"):
            yield Static(f"[b]{escape(head)}[/b]", classes="dialog-title")
            with VerticalScroll(id="log-message-scroll"):
                yield Static(entry.message, id="log-message", markup=False)
            yield Static("enter / esc: close", classes="dialog-line")

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["LogMessageScreen", "dry_run_log"]

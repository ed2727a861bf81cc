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
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.tui.screens.common import day

LEVELS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
"""A log entry's level as a person reads it."""


def dry_run_log(report: RunReport) -> tuple[str, list[LogEntry]]:
    """The title and entries of what the dry run ``report`` found: failures, then warnings
    (a contract re-dated, a price kept, ...)."""
    now = dt.datetime.now()
    entries = [LogEntry(now, "error", code, reason) for code, reason in report.failed]
    entries += [LogEntry(now, "warning", code, warning) for code, warning in report.warnings]
    warnings = ngettext("{n} warning", "{n} warnings", len(report.warnings)).format(
        n=display.number(len(report.warnings))
    )
    title = _("Dry run of {day} (nothing written): {warnings}, {failed} failed").format(
        day=day(report.date), warnings=warnings, failed=display.number(len(report.failed))
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
            N_("Close"),
            id="run_log.close",
            priority=True,
            tooltip=N_("Back to the log"),
        ),
    ]

    def __init__(self, entry: LogEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        entry = self.entry
        level = _(LEVELS.get(entry.level, entry.level))
        if entry.contract:
            head = _("{level} · contract {contract}").format(level=level, contract=entry.contract)
        else:
            head = level
        with Vertical(classes="dialog", id="log-message-box"):
            yield Static(f"[b]{escape(head)}[/b]", classes="dialog-title")
            with VerticalScroll(id="log-message-scroll"):
                yield Static(entry.message, id="log-message", markup=False)
            yield Static(_("enter / esc: close"), classes="dialog-line")

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["LogMessageScreen", "dry_run_log"]

"""The billing run from the TUI (C4): start it for a date, follow its progress, cancel it
(what was committed stays, consistent), read its log (enter shows a message whole; a dry
run's warnings and failures are shown as its log); and the list of past runs."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Input, Label, ProgressBar, Select, Static

from tui_billing.billing.run import RunOptions, RunReport, run_billing
from tui_billing.billing.run_history import LogEntry, RunSummary, list_runs, run_log
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.run_bounds import check_reach
from tui_billing.tui.errors import error_text
from tui_billing.tui.forms import format_form_date, parse_form_date
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import confirm, cut, day, money
from tui_billing.tui.screens.log_message import LogMessageScreen, dry_run_log
from tui_billing.tui.widgets.tick_box import TickBox

STAGES = {"schedule": "scheduling", "invoice": "invoicing", "email": "e-mailing copies"}


class RunProgress(Message):
    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage = stage
        self.done = done
        self.total = total


class RunFinished(Message):
    def __init__(self, report: RunReport | None, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error


@dataclass
class RunList:
    """The past runs, and the log of the one shown (``log_run``)."""

    runs: list[RunSummary]
    log: list[LogEntry] | None
    log_run: int | None


def run_question(options: RunOptions, today: dt.date) -> tuple[str, str | None]:
    """What a real run asks first, and, for a date after today, the second question."""
    made = "issued invoices, numbered now" if options.status == "issued" else "draft invoices"
    mail = ", and e-mail their courtesy copies" if options.email else ""
    question = (
        f"Start the billing run dated {day(options.on)}: bill every installment due by "
        f"{day(options.on)} as {made}{mail}?"
    )
    later = None
    if options.on > today:
        later = (
            f"{day(options.on)} is after today ({day(today)}): the run bills installments "
            f"not yet due today, and their invoices take their own dates, up to {day(options.on)}."
        )
        if options.status == "issued":
            later += (
                " Numbers must follow the dates: once they are numbered, their series "
                f"cannot number any invoice dated before the last of them in "
                f"{options.on.year} (today's included)."
            )
        later += " Run it anyway?"
    return question, later


class BillingRunsScreen(BillingScreen):
    """Start, follow and cancel a billing run; past runs and their logs."""

    TITLE = "Billing runs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r", "start", "Run", id="runs.start", tooltip="Start a billing run for the date given"
        ),
        Binding(
            "x",
            "cancel",
            "Cancel run",
            id="runs.cancel",
            tooltip="Stop the run after the batch in progress (what is done stays)",
        ),
        Binding("l", "show_log", "Log", id="runs.log", tooltip="Show the log of the run"),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="runs.reload",
            tooltip="Read the past runs again",
        ),
        Binding("escape", "back", "Back", show=False, id="runs.back", tooltip="Leave the field"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._cancel: threading.Event | None = None
        self._log_run: int | None = None
        self._log_entries: list[LogEntry] = []
        self._dry_log: tuple[str, list[LogEntry]] | None = None  # a dry run's, shown as a log

    def compose_body(self) -> ComposeResult:
        config = self.app.config
        with Horizontal(id="runs-bar", classes="bar"):
            yield Label("Date", classes="bar-label")
            yield Input(
                format_form_date(self.app.today),
                id="run-date",
                compact=True,
                tooltip="Bill everything due on this date (dd/mm/yyyy); enter starts",
            )
            yield Select(
                [("draft", "draft"), ("issued", "issued")],
                id="run-status",
                compact=True,
                value=config.billing.status,
                allow_blank=False,
            )
            yield TickBox("dry run", id="run-dry", compact=True)
            yield TickBox("e-mail", id="run-email", value=config.billing.email, compact=True)
        with Horizontal(id="run-progress-row"):
            yield Static("idle", id="run-stage")
            yield ProgressBar(id="run-progress", show_eta=False)
        yield DataTable(id="runs-table", cursor_type="row", zebra_stripes=True)
        yield Static("Log", id="run-log-title", classes="bar")
        yield DataTable(id="run-log", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        runs = self.query_one("#runs-table", DataTable)
        runs.add_columns(
            "Run", "Date", "Started", "Status", "Invoices", "Inst.", "Failed", "Mailed"
        )
        log = self.query_one("#run-log", DataTable)
        log.add_column("Level", width=7)
        log.add_column("Contract", width=10)
        log.add_column("Message", width=max(20, self.app.size.width - 24))
        self.query_one("#run-progress", ProgressBar).update(total=1, progress=0)
        runs.focus()
        self.reload()

    def refresh_data(self) -> None:
        # The run date is the one shown here, chosen here: never the date last previewed
        # on the due screen.
        self.reload()

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.running
        if action == "start":
            return not self.running
        return True

    # --- starting and following a run --------------------------------------------

    @on(Input.Submitted, "#run-date")
    def action_start(self) -> None:
        if self.running:
            return
        field = self.query_one("#run-date", Input)
        try:
            on = check_reach(parse_form_date(field.value, "run date"), self.app.today, "run date")
        except UserError as exc:
            field.add_class("-refused")
            self.app.notify(str(exc), severity="error")
            self.set_focus(field)
            return
        field.remove_class("-refused")
        options = RunOptions(
            on=on,
            dry_run=self.query_one("#run-dry", TickBox).value,
            status=str(self.query_one("#run-status", Select).value),
            email=self.query_one("#run-email", TickBox).value,
            origin="tui",
        )
        if options.dry_run:
            self._begin(options)
            return
        question, later = run_question(options, self.app.today)
        confirm(self, question, lambda: self._begin(options), later)

    def _begin(self, options: RunOptions) -> None:
        if self.running:
            return
        self._cancel = threading.Event()
        self.refresh_bindings()
        self.query_one("#run-stage", Static).update("starting…")
        self.query_one("#run-progress", ProgressBar).update(total=None, progress=0)
        self.set_focus(self.query_one("#runs-table", DataTable))
        self._run(options, self._cancel)

    @work(thread=True, exclusive=True, exit_on_error=False, group="billing-run")
    def _run(self, options: RunOptions, cancel: threading.Event) -> None:
        app = self.app

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(RunProgress(stage, done, total))

        try:
            report = run_billing(app.db, options, app.config, progress=progress, cancel=cancel)
            self.post_message(RunFinished(report))
        except Exception as exc:  # a held lock or a failure is a message
            self.post_message(RunFinished(None, error_text(exc)))
        finally:
            app.db.close()

    def on_run_progress(self, message: RunProgress) -> None:
        stage = STAGES.get(message.stage, message.stage)
        cancelling = " (cancelling…)" if self._cancel is not None and self._cancel.is_set() else ""
        self.query_one("#run-stage", Static).update(
            f"{stage} {message.done:,}/{message.total:,}{cancelling}"
        )
        self.query_one("#run-progress", ProgressBar).update(
            total=max(message.total, 1), progress=message.done
        )

    def on_run_finished(self, message: RunFinished) -> None:
        self._cancel = None
        self.refresh_bindings()
        stage = self.query_one("#run-stage", Static)
        bar = self.query_one("#run-progress", ProgressBar)
        if message.report is None:
            stage.update("failed")
            bar.update(total=1, progress=0)
            self.app.notify(message.error or "", severity="error", timeout=10)
            self.reload()
            return
        r = message.report
        outcome = "cancelled" if r.cancelled else ("dry run" if r.dry_run else "done")
        text = (
            f"{outcome}: {display.count(len(r.invoices), 'invoice')}, "
            f"{display.count(r.installments_billed, 'installment')}, "
            f"total {money(r.total)}, {len(r.failed)} failed, "
            f"{r.emailed} e-mailed"
        )
        if r.warnings:
            text += f", {display.count(len(r.warnings), 'warning')}"
        stage.update(text)
        bar.update(total=1, progress=1)
        self.app.notify(
            text, severity="warning" if r.failed or r.cancelled or r.warnings else "information"
        )
        if r.email_skipped:
            self.app.notify(r.email_skipped, severity="warning")
        self._dry_log = dry_run_log(r) if r.dry_run else None
        if not r.dry_run:
            self._log_run = r.run_id
        self.reload()

    def action_cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            text = "Cancelling after the current batch of invoices… (what is done stays)"
            self.query_one("#run-stage", Static).update(text)
            self.app.notify(text, severity="warning")

    # --- past runs and logs -------------------------------------------------------

    def reload(self) -> None:
        """Read the past runs again (the date field stays as typed)."""
        super().refresh_data()

    def action_reload(self) -> None:
        self.reload()

    def load_arguments(self) -> int | None:
        return self._log_run

    def fetch(self, arguments: int | None) -> RunList:
        log_run = arguments
        runs = list_runs()
        if log_run is None and runs:
            log_run = runs[0].id
        log = run_log(log_run) if log_run is not None else None
        return RunList(runs, log, log_run)

    def show(self, data: RunList) -> None:
        table = self.query_one("#runs-table", DataTable)
        table.clear()
        for run in data.runs:
            status = run.status + (" (dry)" if run.dry_run else "")
            table.add_row(
                str(run.id),
                day(run.run_date),
                f"{run.started_at:%d/%m %H:%M}",
                status,
                f"{run.invoices_created:,}",
                f"{run.installments_billed:,}",
                str(run.failed),
                str(run.emailed),
                key=str(run.id),
            )
        if data.log_run is not None and str(data.log_run) in table.rows:
            table.move_cursor(row=table.get_row_index(str(data.log_run)))
        if self._dry_log is not None:
            self._show_dry_log(*self._dry_log)
            return
        self._show_log(data.log_run, data.log)

    def _show_log(self, run_id: int | None, entries: list[LogEntry] | None) -> None:
        self._log_run = run_id
        title = self.query_one("#run-log-title", Static)
        log = self.query_one("#run-log", DataTable)
        log.clear()
        if run_id is None:
            title.update("Log: no billing run yet")
            return
        title.update(f"Log of run {run_id} (enter shows a message whole)")
        self._fill_log(entries or [])

    def _show_dry_log(self, title: str, entries: list[LogEntry]) -> None:
        """What a dry run would log (it writes nothing, not even its log)."""
        self.query_one("#run-log-title", Static).update(title)
        self.query_one("#run-log", DataTable).clear()
        self._fill_log(entries)

    def _fill_log(self, entries: list[LogEntry]) -> None:
        log = self.query_one("#run-log", DataTable)
        self._log_entries = list(entries)
        for entry in entries:
            log.add_row(entry.level, cut(entry.contract or "", 10), entry.message)

    @on(DataTable.RowSelected, "#run-log")
    def _open_log_message(self, event: DataTable.RowSelected) -> None:
        """The log cuts long messages: enter on one shows it whole."""
        event.stop()
        if 0 <= event.cursor_row < len(self._log_entries):
            self.app.push_screen(LogMessageScreen(self._log_entries[event.cursor_row]))

    @on(DataTable.RowSelected, "#runs-table")
    def action_show_log(self) -> None:
        table = self.query_one("#runs-table", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self._log_run = int(key)
            self._dry_log = None
            self.reload()

    def action_back(self) -> None:
        self.set_focus(self.query_one("#runs-table", DataTable))

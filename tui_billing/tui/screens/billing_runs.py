"""The billing run from the TUI (C4): start it for a date, follow its progress, cancel it
(what was committed stays, consistent), read its log; and the list of past runs."""

from __future__ import annotations

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
from tui_billing.domain.errors import UserError
from tui_billing.domain.run_bounds import check_reach
from tui_billing.tui.errors import error_text
from tui_billing.tui.forms import format_form_date, parse_form_date
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.selection import format_date
from tui_billing.tui.widgets.due_table import format_amount
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

    def compose_body(self) -> ComposeResult:
        config = self.app.config
        with Horizontal(id="runs-bar", classes="bar"):
            yield Label("Date", classes="bar-label")
            yield Input(
                format_form_date(self.app.reference_date),
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
        if not self.running:
            self.query_one("#run-date", Input).value = format_form_date(self.app.reference_date)
        super().refresh_data()

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
            f"{outcome}: {len(r.invoices):,} invoices, {r.installments_billed:,} "
            f"installments, total {format_amount(r.total)}, {len(r.failed)} failed, "
            f"{r.emailed} e-mailed"
        )
        stage.update(text)
        bar.update(total=1, progress=1)
        self.app.notify(text, severity="warning" if r.failed or r.cancelled else "information")
        if r.email_skipped:
            self.app.notify(r.email_skipped, severity="warning")
        self._log_run = r.run_id
        self.reload()

    def action_cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.query_one("#run-stage", Static).update("cancelling after this batch…")

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
                format_date(run.run_date),
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
        self._show_log(data.log_run, data.log)

    def _show_log(self, run_id: int | None, entries: list[LogEntry] | None) -> None:
        self._log_run = run_id
        title = self.query_one("#run-log-title", Static)
        log = self.query_one("#run-log", DataTable)
        log.clear()
        if run_id is None:
            title.update("Log: no billing run yet")
            return
        title.update(f"Log of run {run_id}")
        for entry in entries or []:
            log.add_row(entry.level, entry.contract or "", entry.message)

    @on(DataTable.RowSelected, "#runs-table")
    def action_show_log(self) -> None:
        table = self.query_one("#runs-table", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self._log_run = int(key)
            self.reload()

    def action_back(self) -> None:
        self.set_focus(self.query_one("#runs-table", DataTable))

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

from tui_billing.billing.confirmations import Confirmation, number_span
from tui_billing.billing.run import RunOptions, RunReport, run_billing
from tui_billing.billing.run_history import LogEntry, RunSummary, list_runs, run_log
from tui_billing.billing.run_preview import RunPreview, preview_run
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, ngettext, pgettext
from tui_billing.domain.run_bounds import check_reach
from tui_billing.domain.words import word
from tui_billing.tui.errors import error_text
from tui_billing.tui.forms import format_form_date, parse_form_date
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import confirm, cut, day, money
from tui_billing.tui.screens.log_message import LogMessageScreen, dry_run_log
from tui_billing.tui.widgets.tick_box import TickBox

STAGES = {
    "schedule": N_("scheduling"),
    "invoice": N_("invoicing"),
    "email": N_("e-mailing copies"),
}
# a billing run's status (billing_run.status) as the list of runs shows it
RUN_STATUSES = {
    "running": "running",
    "done": "done",
    "failed": "failed",
    "cancelled": "cancelled",
    "interrupted": "interrupted",
}
LOG_LEVELS = {"info": "info", "warning": "warning", "error": "error"}


def run_status(status: str) -> str:
    english = RUN_STATUSES.get(status)
    return pgettext("run status", english) if english else status


def log_level(level: str) -> str:
    english = LOG_LEVELS.get(level)
    return pgettext("log level", english) if english else level


def _marked() -> None:  # pragma: no cover - never called: marks the words for extraction
    pgettext("run status", "running")
    pgettext("run status", "done")
    pgettext("run status", "failed")
    pgettext("run status", "cancelled")
    pgettext("run status", "interrupted")
    pgettext("log level", "info")
    pgettext("log level", "warning")
    pgettext("log level", "error")


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


def _dates(preview: RunPreview) -> str:
    first, last = preview.first_date, preview.last_date
    if first is None or last is None or first == last:
        return day(first or preview.on)
    return _("{first} to {last}").format(first=day(first), last=day(last))


def run_question(options: RunOptions, today: dt.date, preview: RunPreview) -> Confirmation:
    """What a real run asks first, naming the invoices it would write (how many, their
    dates, the numbers each series gives them: ``preview``, a dry run of the same run),
    and, for a date after today, the second question."""
    n = preview.invoices
    values = {
        "run_date": day(options.on),
        "count": display.number(n),
        "dates": _dates(preview),
        "numbers": number_span(list(preview.numbers)),
    }
    if not n:
        question = _(
            "Start the billing run dated {run_date}? Nothing is due by then: it bills no "
            "installment."
        )
    elif preview.status == "issued" and options.email:
        question = ngettext(
            "Start the billing run dated {run_date}: issue {count} invoice dated {dates}, "
            "number {numbers}, and e-mail its courtesy copy?",
            "Start the billing run dated {run_date}: issue {count} invoices dated {dates}, "
            "numbers {numbers}, and e-mail their courtesy copies?",
            n,
        )
    elif preview.status == "issued":
        question = ngettext(
            "Start the billing run dated {run_date}: issue {count} invoice dated {dates}, "
            "number {numbers}?",
            "Start the billing run dated {run_date}: issue {count} invoices dated {dates}, "
            "numbers {numbers}?",
            n,
        )
    else:
        question = ngettext(
            "Start the billing run dated {run_date}: create {count} draft invoice dated "
            "{dates} (numbered when issued)?",
            "Start the billing run dated {run_date}: create {count} draft invoices dated "
            "{dates} (numbered when issued)?",
            n,
        )
    question = question.format(**values)
    if preview.failed:
        question += " " + ngettext(
            "{count} contract cannot be billed: the run's log will name it.",
            "{count} contracts cannot be billed: the run's log will name them.",
            preview.failed,
        ).format(count=display.number(preview.failed))
    later = None
    if options.on > today:
        dates = {"run_date": day(options.on), "today": day(today), "year": options.on.year}
        if preview.status == "issued":
            later = _(
                "{run_date} is after today ({today}): the run bills installments not yet due "
                "today, and their invoices take their own dates, up to {run_date}. Numbers "
                "must follow the dates: once they are numbered, their series cannot number "
                "any invoice dated before the last of them in {year} (today's included). "
                "Run it anyway?"
            ).format(**dates)
        else:
            later = _(
                "{run_date} is after today ({today}): the run bills installments not yet due "
                "today, and their invoices take their own dates, up to {run_date}. Run it "
                "anyway?"
            ).format(**dates)
    return Confirmation(question, later)


class BillingRunsScreen(BillingScreen):
    """Start, follow and cancel a billing run; past runs and their logs."""

    TITLE = N_("Billing runs")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "start",
            N_("Run"),
            id="runs.start",
            tooltip=N_("Start a billing run for the date given"),
        ),
        Binding(
            "x",
            "cancel",
            N_("Cancel run"),
            id="runs.cancel",
            tooltip=N_("Stop the run after the batch in progress (what is done stays)"),
        ),
        Binding("l", "show_log", N_("Log"), id="runs.log", tooltip=N_("Show the log of the run")),
        Binding(
            "ctrl+r",
            "reload",
            N_("Reload"),
            show=False,
            id="runs.reload",
            tooltip=N_("Read the past runs again"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            show=False,
            id="runs.back",
            tooltip=N_("Leave the field"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self._cancel: threading.Event | None = None
        self._log_run: int | None = None
        self._log_entries: list[LogEntry] = []
        self._dry_log: tuple[str, list[LogEntry]] | None = None  # a dry run's, shown as a log

    def compose_body(self) -> ComposeResult:
        config = self.app.config
        with Horizontal(id="runs-bar", classes="bar"):
            yield Label(_("Date"), classes="bar-label")
            yield Input(
                format_form_date(self.app.today),
                id="run-date",
                compact=True,
                tooltip=_("Bill everything due on this date (dd/mm/yyyy); enter starts"),
            )
            yield Select(
                [(word("status", "draft"), "draft"), (word("status", "issued"), "issued")],
                id="run-status",
                compact=True,
                value=config.billing.status,
                allow_blank=False,
            )
            yield TickBox(
                _("dry run"),
                id="run-dry",
                compact=True,
                tooltip=_("Show what the run would do, writing nothing"),
            )
            yield TickBox(
                _("e-mail"),
                id="run-email",
                value=config.billing.email,
                compact=True,
                tooltip=_("E-mail the courtesy copies of the invoices issued"),
            )
        with Horizontal(id="run-progress-row"):
            yield Static(_("idle"), id="run-stage")
            yield ProgressBar(id="run-progress", show_eta=False)
        yield DataTable(id="runs-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("Log"), id="run-log-title", classes="bar")
        yield DataTable(id="run-log", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        runs = self.query_one("#runs-table", DataTable)
        runs.add_columns(
            pgettext("billing run", "Run"),
            _("Date"),
            _("Started"),
            _("Status"),
            _("Invoices"),
            pgettext("installments, short", "Inst."),
            _("Failed"),
            _("Mailed"),
        )
        log = self.query_one("#run-log", DataTable)
        log.add_column(_("Level"), width=7)
        log.add_column(_("Contract"), width=10)
        log.add_column(_("Message"), width=max(20, self.app.size.width - 24))
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
            label = _("run date")
            on = check_reach(parse_form_date(field.value, label), self.app.today, label)
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
        self.query_one("#run-stage", Static).update(_("working out what the run will issue…"))
        self._ask(options)

    @work(thread=True, exclusive=True, exit_on_error=False, group="run-preview")
    def _ask(self, options: RunOptions) -> None:
        """Rehearse the run (a dry run, rolled back) and ask, naming what it will issue;
        a refusal (a held lock, an incomplete seller) is a message, nothing asked."""
        app = self.app
        try:
            preview = preview_run(app.db, options, app.config)
            if preview.seller_missing and preview.status == "issued":
                raise UserError(
                    _("cannot issue: the company's details are incomplete ({missing})").format(
                        missing=preview.seller_missing
                    )
                )
            asked = run_question(options, app.today, preview)
        except Exception as exc:  # shown as a message: the run would fail the same way
            app.call_from_thread(self._not_asked, error_text(exc))
            return
        finally:
            app.db.close()
        app.call_from_thread(self._confirm_run, options, asked)

    def _not_asked(self, text: str) -> None:
        self.query_one("#run-stage", Static).update(_("idle"))
        self.app.notify(text, severity="error", timeout=10)

    def _confirm_run(self, options: RunOptions, asked: Confirmation) -> None:
        self.query_one("#run-stage", Static).update(_("idle"))
        confirm(self, asked.question, lambda: self._begin(options), asked.later)

    def _begin(self, options: RunOptions) -> None:
        if self.running:
            return
        self._cancel = threading.Event()
        self.refresh_bindings()
        self.query_one("#run-stage", Static).update(_("starting…"))
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
        stage = _(STAGES[message.stage]) if message.stage in STAGES else message.stage
        values = {
            "stage": stage,
            "done": display.number(message.done),
            "total": display.number(message.total),
        }
        if self._cancel is not None and self._cancel.is_set():
            text = _("{stage} {done}/{total} (cancelling…)").format(**values)
        else:
            text = _("{stage} {done}/{total}").format(**values)
        self.query_one("#run-stage", Static).update(text)
        self.query_one("#run-progress", ProgressBar).update(
            total=max(message.total, 1), progress=message.done
        )

    def on_run_finished(self, message: RunFinished) -> None:
        self._cancel = None
        self.refresh_bindings()
        stage = self.query_one("#run-stage", Static)
        bar = self.query_one("#run-progress", ProgressBar)
        if message.report is None:
            stage.update(pgettext("run status", "failed"))
            bar.update(total=1, progress=0)
            self.app.notify(message.error or "", severity="error", timeout=10)
            self.reload()
            return
        r = message.report
        values = {
            "invoices": ngettext("{n} invoice", "{n} invoices", len(r.invoices)).format(
                n=display.number(len(r.invoices))
            ),
            "installments": ngettext(
                "{n} installment", "{n} installments", r.installments_billed
            ).format(n=display.number(r.installments_billed)),
            "total": money(r.total),
            "failed": display.number(len(r.failed)),
            "emailed": display.number(r.emailed),
        }
        if r.cancelled:
            text = _(
                "cancelled: {invoices}, {installments}, total {total}, {failed} failed, "
                "{emailed} e-mailed"
            ).format(**values)
        elif r.dry_run:
            text = _("dry run: {invoices}, {installments}, total {total}, {failed} failed").format(
                **values
            )
        else:
            text = _(
                "done: {invoices}, {installments}, total {total}, {failed} failed, "
                "{emailed} e-mailed"
            ).format(**values)
        if r.warnings:
            text += ", " + ngettext("{n} warning", "{n} warnings", len(r.warnings)).format(
                n=display.number(len(r.warnings))
            )
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
            text = _("Cancelling after the current batch of invoices… (what is done stays)")
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
            status = run_status(run.status)
            if run.dry_run:
                status = _("{status} (dry)").format(status=status)
            table.add_row(
                str(run.id),
                day(run.run_date),
                f"{display.local_time(run.started_at):%d/%m %H:%M}",
                status,
                display.number(run.invoices_created),
                display.number(run.installments_billed),
                display.number(run.failed),
                display.number(run.emailed),
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
            title.update(_("Log: no billing run yet"))
            return
        title.update(_("Log of run {run} (enter shows a message whole)").format(run=run_id))
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
            log.add_row(log_level(entry.level), cut(entry.contract or "", 10), entry.message)

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

"""The installment plan screen ("Ricorrenza fatturazione", S0): a contract's installments
past and future, and its plan (frequency, start, amount per installment, count or end
date, alignment, year-end cut, timing, offset, proration), edited with a live preview of
the installments it gives before it is saved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static

from tui_billing.billing.contract_editing import current_record, update_contract
from tui_billing.billing.contract_views import (
    Schedule,
    contract_schedule,
    preview_schedule,
)
from tui_billing.domain import display
from tui_billing.domain import vocabulary as V
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _, ngettext, pgettext
from tui_billing.domain.words import word
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import ConfirmScreen, day, money
from tui_billing.tui.screens.contract_form import shown, word_choice
from tui_billing.tui.screens.contract_summary import alignment_word
from tui_billing.tui.selection import period_text
from tui_billing.tui.widgets.form_fields import (
    FORM_CSS,
    FieldRow,
    FormMixin,
    FrequencyInput,
    check_input,
    date_input,
    text_input,
)

#: The contract fields the plan edits, in the order of the form.
PLAN_FIELDS = (
    "frequency",
    "start_date",
    "installment_amount",
    "installment_count",
    "end_date",
    "alignment",
    "timing",
    "invoice_offset_days",
    "year_end_cut",
    "prorate",
)
_STATUS_STYLE = {"invoiced": "green", "due": "bold yellow", "pending": "", "planned": "dim"}


def status_word(status: str) -> str:
    """An installment's state in the plan, as the operator reads it."""
    words = {
        "invoiced": pgettext("installment", "invoiced"),
        "due": pgettext("installment", "due"),
        "pending": pgettext("installment", "pending"),
        "planned": pgettext("installment", "planned"),
    }
    return words.get(status, status)


def count_text(status: str, count: int) -> str:
    """``2 invoiced``: how many installments of the plan are in ``status``."""
    texts = {
        "invoiced": ngettext("{count} invoiced", "{count} invoiced", count),
        "due": ngettext("{count} due", "{count} due", count),
        "pending": ngettext("{count} pending", "{count} pending", count),
        "planned": ngettext("{count} planned", "{count} planned", count),
    }
    text = texts.get(status, "{count} " + status)
    return text.format(count=display.number(count))


PREVIEW_DELAY = 0.25  # seconds of quiet typing before the preview is computed


@dataclass
class PlanRead:
    """The contract as stored, and its installments: as saved, or as the form would make
    them (``preview``); ``error`` refuses a value of the form."""

    record: dict[str, Any]
    schedule: Schedule | None
    preview: bool = False
    error: UserError | None = None


class PlanScreen(FormMixin, BillingScreen):
    """A contract's installments, and its plan edited with a live preview."""

    TITLE = N_("Installment plan")

    DEFAULT_CSS = (
        FORM_CSS
        + """
    PlanScreen #plan-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    PlanScreen #plan-form {
        layout: grid; grid-size: 2; grid-columns: 1fr 1fr; grid-rows: auto;
        height: auto; padding: 0 1;
    }
    PlanScreen #plan-form FieldRow { height: auto; }
    PlanScreen #plan-form .field-label { width: 11; }
    PlanScreen #plan-form .field-input { width: 14; }
    PlanScreen #plan-form FrequencyInput.field-input { width: 34; }
    PlanScreen #plan-form #row-frequency { column-span: 2; }
    PlanScreen #plan-form .field-error { height: auto; }
    PlanScreen #plan-summary { height: auto; padding: 0 1; background: $panel; }
    PlanScreen #plan-summary.-preview { background: $warning 30%; }
    PlanScreen #installments { height: 1fr; }
    """
    )
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            N_("Save plan"),
            id="plan.save",
            priority=True,
            tooltip=N_("Save the plan: installments not yet invoiced are recomputed"),
        ),
        Binding(
            "ctrl+r",
            "revert",
            N_("Revert"),
            id="plan.revert",
            tooltip=N_("Put the form back to the saved plan"),
        ),
        Binding(
            "ctrl+t",
            "table",
            N_("Table"),
            id="plan.table",
            tooltip=N_("Move to the table of installments (tab goes back to the form)"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="plan.back",
            tooltip=N_("Back (asks first when there are unsaved changes)"),
        ),
    ]

    def __init__(self, contract_id: int) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self.contract_id = contract_id
        self.record: dict[str, Any] = {}  # the contract as last read
        self.saved: dict[str, Any] = {}
        self._timer: Timer | None = None
        self._ready = False
        self._mounted = False  # the form's fields are on the screen
        self._shown_values: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("reading…"), id="plan-title")
        yield Container(id="plan-form")
        yield Static("", id="plan-summary")
        yield DataTable(id="installments", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def fields(self) -> ComposeResult:
        r = self.record
        yield FieldRow(
            "frequency",
            _("Frequency"),
            FrequencyInput(r["frequency"]),
            tooltip=_("How often an installment is billed"),
        )
        yield FieldRow(
            "start_date",
            _("Start"),
            date_input(shown("start_date", r["start_date"])),
            tooltip=_("The first installment's period starts here"),
        )
        yield FieldRow(
            "installment_amount",
            _("Amount"),
            text_input(
                shown("installment_amount", r["installment_amount"]), placeholder=_("from lines")
            ),
            tooltip=_("Amount of every installment (net of VAT); empty: the lines' prices"),
        )
        yield FieldRow(
            "installment_count",
            _("Count"),
            text_input(r["installment_count"], placeholder=_("open")),
            tooltip=_("Number of installments; empty: up to the end date, or open-ended"),
        )
        yield FieldRow(
            "end_date",
            _("End date"),
            date_input(shown("end_date", r["end_date"])),
            tooltip=_("The contract's last day; empty: open-ended"),
        )
        yield FieldRow(
            "alignment",
            pgettext("short label", "Alignment"),
            word_choice(r["alignment"], V.ALIGNMENTS, alignment_word),
            tooltip=_("start: from the start date; month_end; calendar periods"),
        )
        yield FieldRow(
            "timing",
            pgettext("short label", "Timing"),
            word_choice(r["timing"], V.TIMINGS, lambda code: word("timing", code)),
            tooltip=_("advance: invoice at the period start; arrears: at its end"),
        )
        yield FieldRow(
            "invoice_offset_days",
            _("Offset"),
            text_input(r["invoice_offset_days"]),
            tooltip=_("Days added to each invoice date"),
        )
        yield FieldRow(
            "year_end_cut",
            _("Year cut"),
            check_input(r["year_end_cut"]),
            tooltip=_("A period never crosses 31 December"),
        )
        yield FieldRow(
            "prorate",
            _("Prorate"),
            check_input(r["prorate"]),
            tooltip=_("Short periods bill their share of the amount"),
        )

    def on_mount(self) -> None:
        table = self.query_one("#installments", DataTable)
        status_width = max(len(status_word(s)) for s in _STATUS_STYLE)
        for key, label, width in (
            ("n", "#", 3),
            ("period", _("Period"), 21),
            ("date", _("Inv. date"), 10),
            ("amount", _("Amount"), 10),
            ("status", _("Status"), status_width),
            ("invoice", _("Invoice"), 12),
        ):
            table.add_column(label, width=width, key=key)
        self.refresh_data()

    async def _mount_fields(self, read: PlanRead) -> None:
        """The first read: the form with the contract's plan, then its installments."""
        r = self.record
        self.title = _("Plan {code}").format(code=r["code"])
        self.query_one("#plan-title", Static).update(
            _("{code} · {customer} · {status} · installment plan (ricorrenza fatturazione)").format(
                code=r["code"],
                customer=r["customer"] or _("no customer"),
                status=word("status", r["status"]),
            )
        )
        await self.query_one("#plan-form", Container).mount_all(list(self.fields()))
        self._mounted = True
        self.saved = self.values()
        self._shown_values = dict(self.saved)
        self.show_schedule(read.schedule, preview=False)
        self._ready = True
        self.query_one("#row-installment_amount", FieldRow).widget.focus()

    # -- the schedule ----------------------------------------------------------------

    @property
    def reading(self) -> bool:
        return super().reading or (bool(self.record) and not self._mounted)

    def load_arguments(self) -> dict[str, Any] | None:
        """The form's values when they differ from the saved plan (a preview), else None."""
        return self.values() if self.record and self.changes() else None

    def fetch(self, arguments: dict[str, Any] | None) -> PlanRead:
        db, today = self.app.db, self.app.today
        record = current_record(self.contract_id)
        try:
            if arguments is None:
                return PlanRead(record, contract_schedule(db, self.contract_id, today))
            schedule = preview_schedule(db, self.contract_id, arguments, today)
            return PlanRead(record, schedule, preview=True)
        except UserError as exc:
            return PlanRead(record, None, preview=arguments is not None, error=exc)

    def show(self, data: PlanRead) -> None:
        first = not self.record
        self.record = data.record
        if first:
            self.call_later(self._mount_fields, data)
            if data.error is not None:
                self.show_error(data.error)
            return
        if data.error is not None:
            self.show_error(data.error, focus=False)
            if data.preview:
                self.query_one("#plan-summary", Static).update(
                    _("Not valid: fix the field marked in red to see the installments")
                )
            return
        self.clear_errors()
        self.show_schedule(data.schedule, preview=data.preview)

    def show_schedule(self, schedule: Schedule | None, *, preview: bool) -> None:
        summary = self.query_one("#plan-summary", Static)
        summary.set_class(preview, "-preview")
        if schedule is None:
            return
        table = self.query_one("#installments", DataTable)
        row = table.cursor_row
        table.clear()
        for number, item in enumerate(schedule.rows, 1):
            style = _STATUS_STYLE.get(item.status, "")
            table.add_row(
                str(number),
                period_text(item.period_start, item.period_end),
                day(item.invoice_date),
                Text(money(item.amount), justify="right"),
                Text(status_word(item.status), style=style),
                item.invoice or "",
            )
        if schedule.rows:
            table.move_cursor(row=min(row, len(schedule.rows) - 1))
        counts = ", ".join(
            count_text(s, schedule.count(s))
            for s in ("invoiced", "due", "pending", "planned")
            if schedule.count(s)
        )
        ends = _("ends {day}").format(day=day(schedule.ends)) if schedule.ends else _("open-ended")
        installments = ngettext(
            "{count} installment", "{count} installments", len(schedule.rows)
        ).format(count=display.number(len(schedule.rows)))
        text = _("{installments}, {total} · {counts} · {ends}").format(
            installments=installments,
            total=money(schedule.total),
            counts=counts or _("none"),
            ends=ends,
        )
        if preview:
            text = _("PREVIEW, unsaved · {summary}").format(summary=text)
        if schedule.note:
            text += f" · {schedule.note}"
        summary.update(text)

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.values().items() if v != self.saved.get(k)}

    # -- live preview --------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        if not self._ready or self.values() == self._shown_values:
            return  # mounting, or a change back and forth: the table shows it already
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DELAY, self.refresh_preview)

    def refresh_preview(self) -> None:
        """Recompute the installments from the form as it is now (nothing is saved)."""
        self._timer = None
        self._shown_values = self.values()
        self.refresh_data()

    def show_error(self, error: UserError | str, focus: bool = True) -> None:
        """Next to its field; the focus moves there only on save."""
        if isinstance(error, str) and not self.record:  # the contract cannot be read
            self.notify(error, severity="error", timeout=8)
            self.app.pop_screen()  # as if never opened: no result for the screen beneath
            return
        if isinstance(error, str):  # an engine error: a message, never a traceback
            error = UserError(_("cannot compute the schedule: {error}").format(error=error))
        focused = self.focused
        super().show_error(error)
        if not focus and focused is not None:
            focused.focus()
        if self.rows().get((error.path or "").rsplit(".", 1)[-1]) is None:
            self.notify(str(error), severity="error", timeout=8)

    # -- actions -------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        db = self.app.db
        try:
            update_contract(db, self.contract_id, self.values())
        except UserError as exc:
            self.show_error(exc)
            return
        except Exception as exc:
            self.show_error(UserError(_("cannot save: {error}").format(error=exc)))
            return
        self.clear_errors()
        self.saved = self.values()
        self._shown_values = dict(self.saved)
        self.notify(_("plan saved: installments not yet invoiced are recomputed"))
        self.refresh_data()

    def action_revert(self) -> None:
        self._ready = False
        r = self.record  # as last read: the saved plan
        for name, row in self.rows().items():
            widget, value = row.widget, shown(name, r[name])
            if isinstance(widget, FrequencyInput):
                widget.set_value(value)
            elif isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif isinstance(widget, Select):
                widget.value = value
            elif isinstance(widget, Input):
                widget.value = "" if value is None else str(value)
        self.call_after_refresh(self._revert_done)

    def _revert_done(self) -> None:
        self._ready = True
        self.refresh_preview()

    def action_table(self) -> None:
        self.query_one("#installments", DataTable).focus()

    def action_back(self) -> None:
        if not self.changes():
            self.dismiss(None)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(_("Leave the plan without saving the changes?")), answer)


__all__ = ["PLAN_FIELDS", "PlanScreen"]

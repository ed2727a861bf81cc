"""One due installment opened: the lines it will put on the invoice, with VAT and total."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui_billing.billing.due import installment_lines
from tui_billing.domain import display
from tui_billing.domain.revenue_wait import waiting_text
from tui_billing.domain.vat import vat_summary_rows
from tui_billing.domain.vat_natures import is_out_of_scope
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.errors import error_text
from tui_billing.tui.forms import format_rate
from tui_billing.tui.screens.common import cut, day, money
from tui_billing.tui.selection import DueRow, period_text


class LinesLoaded(Message):
    def __init__(self, lines: list[dict[str, Any]] | None, error: str | None = None) -> None:
        super().__init__()
        self.lines = lines
        self.error = error


def _date(text: str | None) -> str:
    import datetime as dt

    return day(dt.date.fromisoformat(text)) if text else ""


class InstallmentScreen(ModalScreen[None]):
    """``enter`` on a due row: its invoice lines."""

    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,enter,q",
            "close",
            "Close",
            id="installment.close",
            priority=True,
            tooltip="Back to the due installments",
        ),
    ]

    def __init__(self, row: DueRow) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(classes="dialog", id="installment-box"):
            yield Static(
                f"[b]{row.customer}[/b]  {row.contract}  series {row.series}",
                classes="dialog-title",
                markup=True,
            )
            yield Static(
                f"Period {period_text(row.period_start, row.period_end)} · invoice "
                f"date {day(row.invoice_date)} · {money(row.amount)} net",
                classes="dialog-line",
            )
            yield DataTable(id="installment-lines", cursor_type="row", zebra_stripes=True)
            yield Static("reading…", id="installment-totals", classes="dialog-line")

    def on_mount(self) -> None:
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Description", width=max(14, min(40, self.app.size.width - 56)))
        table.add_column("Period", width=21)
        table.add_columns("Qty", "Price", "Amount", "VAT%")
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="installment-lines")
    def _load(self) -> None:
        db = self.app.db
        try:
            self.post_message(LinesLoaded(installment_lines(self.row.id)))
        except Exception as exc:  # shown as a message
            self.post_message(LinesLoaded(None, error_text(exc)))
        finally:
            db.close()

    def on_lines_loaded(self, message: LinesLoaded) -> None:
        totals = self.query_one("#installment-totals", Static)
        if message.lines is None:
            totals.update(message.error or "")
            return
        table = self.query_one(DataTable)
        for line in message.lines:
            period = ""
            if line.get("period_start") or line.get("period_end"):
                period = f"{_date(line.get('period_start'))}-{_date(line.get('period_end'))}"
            table.add_row(
                cut(line.get("description", ""), table.ordered_columns[0].width),
                period,
                display.quantity(line.get("quantity", "")),
                display.price(line.get("unit_price", "")),
                display.money(line.get("amount", "")),
                line.get("vat_nature") or format_rate(Decimal(line.get("vat_rate", "0"))),
            )
        summary = vat_summary_rows(
            (Decimal(li["amount"]), Decimal(li["vat_rate"]), li.get("vat_nature"))
            for li in message.lines
        )
        outside = sum((a for _, n, a, _ in summary if is_out_of_scope(n)), Decimal("0.00"))
        taxable = sum((a for _, _, a, _ in summary), Decimal("0.00")) - outside
        vat = sum((v for _, _, _, v in summary), Decimal("0.00"))
        rates = ", ".join(f"{format_rate(r)}%: {money(v)}" for r, n, _, v in summary if n is None)
        lines = display.count(len(message.lines), "line")
        out_text = f" · out of VAT scope {money(outside)}" if outside else ""
        waits = waiting_text(message.lines, self.row.contract)
        totals.update(
            f"{lines} · taxable {money(taxable)} · VAT {money(vat)} ({rates}){out_text} · "
            f"total {money(taxable + vat + outside)}"
            + (f"\nNot billed yet: it {waits}" if waits else "")
        )

    def action_close(self) -> None:
        self.dismiss(None)

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
from tui_billing.domain.i18n import N_, _, ngettext
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
            N_("Close"),
            id="installment.close",
            priority=True,
            tooltip=N_("Back to the due installments"),
        ),
    ]

    def __init__(self, row: DueRow) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(classes="dialog", id="installment-box"):
            yield Static(
                _("[b]{customer}[/b]  {contract}  series {series}").format(
                    customer=row.customer, contract=row.contract, series=row.series
                ),
                classes="dialog-title",
                markup=True,
            )
            yield Static(
                _("Period {period} · invoice date {day} · {amount} net").format(
                    period=period_text(row.period_start, row.period_end),
                    day=day(row.invoice_date),
                    amount=money(row.amount),
                ),
                classes="dialog-line",
            )
            yield DataTable(id="installment-lines", cursor_type="row", zebra_stripes=True)
            yield Static(_("reading…"), id="installment-totals", classes="dialog-line")

    def on_mount(self) -> None:
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Description"), width=max(14, min(40, self.app.size.width - 56)))
        table.add_column(_("Period"), width=21)
        table.add_columns(_("Qty"), _("Price"), _("Amount"), _("VAT%"))
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
        outside = sum((a for _r, n, a, _v in summary if is_out_of_scope(n)), Decimal("0.00"))
        taxable = sum((a for _r, _n, a, _v in summary), Decimal("0.00")) - outside
        vat = sum((v for _r, _n, _a, v in summary), Decimal("0.00"))
        rates = ", ".join(f"{format_rate(r)}%: {money(v)}" for r, n, _a, v in summary if n is None)
        lines = ngettext("{count} line", "{count} lines", len(message.lines)).format(
            count=display.number(len(message.lines))
        )
        values = {
            "lines": lines,
            "taxable": money(taxable),
            "vat": money(vat),
            "rates": rates,
            "outside": money(outside),
            "total": money(taxable + vat + outside),
        }
        if outside:
            text = _(
                "{lines} · taxable {taxable} · VAT {vat} ({rates}) · out of VAT scope "
                "{outside} · total {total}"
            ).format(**values)
        else:
            text = _("{lines} · taxable {taxable} · VAT {vat} ({rates}) · total {total}").format(
                **values
            )
        waits = waiting_text(message.lines, self.row.contract)
        if waits:
            text += "\n" + _("Not billed yet: it {waits}").format(waits=waits)
        totals.update(text)

    def action_close(self) -> None:
        self.dismiss(None)

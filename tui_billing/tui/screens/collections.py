"""The collections screen: invoices due to be presented to the bank (SEPA direct debit,
Ri.Ba.), selected with the keys of the due screen, written as a file from the selection;
the invoices presented, in which file and in what state; and the collections returned,
with their fees and whether those are billed yet. From here a return is recorded and the
reminders due are sent, as from the payments screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Label, Static

from tui_billing.billing.collections import (
    DueCollection,
    due_collections,
    presented_collections,
)
from tui_billing.billing.presenting import present_riba, present_sdd
from tui_billing.billing.returned_list import ReturnedCollection, returned_collections
from tui_billing.billing.returns import Recorded
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.output.safe_files import checked_target, write_file
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.collecting import return_text, send_reminders_text
from tui_billing.tui.screens.common import confirm, day, money
from tui_billing.tui.screens.return_dialog import ReturnDialog
from tui_billing.tui.selection import DueRow
from tui_billing.tui.widgets.due_table import DueTable

__all__ = ["CollectionsScreen", "CollectionsTable"]


class CollectionsTable(DueTable):
    """The due table's view and keys (Space, shift+arrows, a, u, v, *) over invoices to
    present: customer, invoice, kind, due date, open amount, and what stops it."""

    HEADERS: ClassVar[tuple[str, ...]] = (
        "",
        "Customer",
        "Invoice",
        "Kind",
        "",
        "Due",
        "Amount",
        "Status",
    )
    SHORT_HEADERS = HEADERS
    NO_PERIOD = ""


def due_row(item: DueCollection) -> DueRow:
    return DueRow(
        id=item.invoice_id,
        customer=item.customer_name,
        contract=item.number,
        series=item.kind.upper(),
        period_start=None,
        period_end=None,
        invoice_date=item.due_date,
        amount=item.amount,
        status=item.problem or "due",
        customer_code=item.customer,
    )


PRESENTED_SHOWN = 500  # the latest presented invoices listed


@dataclass
class CollectionLists:
    """What the screen read: invoices due to present, those presented, the returns."""

    due: list[DueCollection]
    presented: list[dict]
    returns: list[ReturnedCollection]


class CollectionsScreen(BillingScreen):
    """Invoices due to be presented, those presented, and the returns."""

    TITLE = "Collections"
    DEFAULT_CSS = """
    CollectionsScreen #collections-title { padding: 0 1; text-style: bold; }
    CollectionsScreen #collections-table { height: 2fr; }
    CollectionsScreen #collections-output { width: 1fr; }
    CollectionsScreen #collections-status { height: auto; padding: 0 1; }
    CollectionsScreen #collections-presented { height: 1fr; }
    CollectionsScreen #collections-returns { height: 1fr; }
    CollectionsScreen .section { padding: 0 1; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "write_sdd",
            "SDD",
            id="collections.sdd",
            tooltip="Present the selected direct debits in a SEPA (pain.008) file",
        ),
        Binding(
            "b",
            "write_riba",
            "Ri.Ba.",
            id="collections.riba",
            tooltip="Present the selected Ri.Ba. receipts in a CBI file",
        ),
        Binding(
            "o",
            "edit_output",
            "File name",
            show=False,  # in ? help and named on the screen: the footer fits 80 columns
            id="collections.output",
            tooltip="Type the name of the file to write",
        ),
        Binding(
            "r",
            "return_payment",
            "Returned",
            show=False,
            id="collections.return",
            tooltip="Record a collection the bank returned unpaid (insoluto): the "
            "invoice highlighted in the presented list, else the one typed",
        ),
        Binding(
            "m",
            "send_reminders",
            "Reminders",
            show=False,
            id="collections.reminders",
            tooltip="Record and e-mail the payment reminders due today",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="collections.reload",
            tooltip="Read what is due, presented and returned again",
        ),
        Binding(
            "escape",
            "focus_table",
            "Table",
            show=False,
            id="collections.table",
            tooltip="Back to the table",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[int, DueCollection] = {}
        self.presented: list[dict] = []
        self.returns: list[ReturnedCollection] = []
        self.loads_done = 0  # how many loads have been shown (tests wait on it)

    def compose_body(self) -> ComposeResult:
        yield Static("", id="collections-title")
        yield CollectionsTable(id="collections-table")
        yield Input(
            placeholder="File to write (default: sdd-<date>.xml / riba-<date>.txt "
            "in the current folder)",
            id="collections-output",
            compact=True,
        )
        yield Static("", id="collections-status")
        yield Label(
            "Presented (r on one records its return)",
            classes="section",
            id="collections-presented-label",
        )
        yield DataTable(id="collections-presented", cursor_type="row", zebra_stripes=True)
        yield Label("Returned", classes="section", id="collections-returns-label")
        yield DataTable(id="collections-returns", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        presented = self.query_one("#collections-presented", DataTable)
        for name in ("Invoice", "Customer", "File", "Kind", "Message id", "Due", "Amount", "State"):
            presented.add_column(name, key=name.lower())
        returns = self.query_one("#collections-returns", DataTable)
        for name in ("Invoice", "Customer", "Returned", "Bank fee", "Own fee", "Charge", "Reason"):
            returns.add_column(name, key=name.lower())
        self.refresh_data()
        self.query_one(CollectionsTable).focus()

    def action_reload(self) -> None:
        self.refresh_data()

    def fetch(self, arguments: None) -> CollectionLists:
        return CollectionLists(
            due_collections(),
            presented_collections(limit=PRESENTED_SHOWN),
            returned_collections(self.app.db),
        )

    def show_error(self, text: str) -> None:
        self.query_one("#collections-status", Static).update(f"Not read: {text}")
        self.loads_done += 1

    def show(self, data: CollectionLists) -> None:
        due, presented, returns = data.due, data.presented, data.returns
        self.items = {i.invoice_id: i for i in due}
        self.query_one(CollectionsTable).set_rows([due_row(i) for i in due])
        self.presented = presented
        table = self.query_one("#collections-presented", DataTable)
        table.clear()
        for c in presented:
            table.add_row(
                c["invoice"],
                c["customer"],
                str(c["file"]),
                c["kind"].upper(),
                c["message_id"],
                day(dt.date.fromisoformat(c["collection_date"])),
                c["amount"],
                c["state"],
                key=str(c["id"]),
            )
        latest = "the latest " if len(presented) == PRESENTED_SHOWN else ""
        self.query_one("#collections-presented-label", Label).update(
            f"Presented: {latest}{display.count(len(presented), 'invoice')} "
            "(r on one records its return)"
        )
        self.returns = returns
        table = self.query_one("#collections-returns", DataTable)
        table.clear()
        for r in returns:
            table.add_row(
                r.invoice,
                r.customer,
                day(r.date),
                money(r.bank_fee),
                money(r.own_fee),
                r.charge,
                r.reason or "",
                key=str(r.id),
            )
        self.query_one("#collections-returns-label", Label).update(
            f"Returned: {len(returns)} (m sends the reminders due)"
        )
        self._title()
        self.loads_done += 1

    def _title(self) -> None:
        table = self.query_one(CollectionsTable)
        model = table.model
        self.query_one("#collections-title", Static).update(
            f"Due to present: {display.count(len(self.items), 'invoice')}; "
            f"selected {model.selected_count}, "
            f"{money(model.selected_total)} (Space, then s SDD / b Ri.Ba.)"
        )

    def on_due_table_selection_changed(self, event: DueTable.SelectionChanged) -> None:
        self._title()

    def action_return_payment(self) -> None:
        """The return dialog on the invoice highlighted in the presented list (when that
        list has the focus), else on an invoice to type."""
        number = ""
        table = self.query_one("#collections-presented", DataTable)
        if table.has_focus and self.presented and table.cursor_row < len(self.presented):
            number = self.presented[table.cursor_row]["invoice"]

        def done(recorded: Recorded | None) -> None:
            if recorded is not None:
                self.query_one("#collections-status", Static).update(return_text(recorded))
                self.refresh_data()

        self.app.push_screen(
            ReturnDialog(self.app.db, number, self.app.today, self.app.config.returns), done
        )

    def action_send_reminders(self) -> None:
        """Record the reminders due today and e-mail every one not sent yet."""
        self.query_one("#collections-status", Static).update(
            send_reminders_text(self.app.db, self.app.config, self.app.today)
        )

    def action_edit_output(self) -> None:
        self.query_one("#collections-output", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(CollectionsTable).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_focus_table()

    def action_write_sdd(self) -> None:
        self._write("sdd")

    def action_write_riba(self) -> None:
        self._write("riba")

    def _write(self, kind: str) -> None:
        status = self.query_one("#collections-status", Static)
        table = self.query_one(CollectionsTable)
        chosen = [self.items[i] for i in table.model.selected_ids if i in self.items]
        chosen = [i for i in chosen if i.kind == kind]
        if not chosen:
            status.update(f"Select the {kind.upper()} invoices to present first (Space).")
            return
        today = self.app.today
        name = self.query_one("#collections-output", Input).value.strip() or str(
            Path.cwd() / f"{kind}-{today.isoformat()}.{'xml' if kind == 'sdd' else 'txt'}"
        )
        total = sum((i.amount for i in chosen), Decimal("0"))
        label = "SEPA direct debit" if kind == "sdd" else "Ri.Ba."
        confirm(
            self,
            f"Present {len(chosen):,} invoices ({money(total)}) to the bank in a {label} "
            f"file written to {name}? They count as presented once the file is made.",
            lambda: self._present(kind, chosen, name),
        )

    def _present(self, kind: str, chosen: list, name: str) -> None:
        status = self.query_one("#collections-status", Static)
        today = self.app.today
        now = dt.datetime.now().replace(microsecond=0)
        due_to = max(i.due_date for i in chosen)
        ids = [i.invoice_id for i in chosen]
        try:
            checked_target(name)
            if kind == "sdd":
                presented = present_sdd(
                    self.app.db, due_to=due_to, today=today, now=now, invoice_ids=ids
                )
            else:
                presented = present_riba(
                    self.app.db, due_to=due_to, today=today, now=now, invoice_ids=ids
                )
        except UserError as exc:
            status.update(f"Not presented: {exc}")
            return
        try:
            write_file(name, presented.content)
        except UserError as exc:
            status.update(
                f"Presented in file {presented.file_id}, but {exc}: write it with "
                f"`tui-billing collections {kind} --again {presented.file_id}`"
            )
            self.refresh_data()
            return
        left = f"; {len(presented.left_out)} left for a later file" if presented.left_out else ""
        status.update(
            f"File {presented.file_id} ({presented.message_id}): "
            f"{display.count(presented.count, 'invoice')}, {money(presented.total)}, "
            f"written to {name}{left}"
        )
        self.refresh_data()

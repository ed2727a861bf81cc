"""The collections screen: invoices due to be presented to the bank (SEPA direct debit,
Ri.Ba.), selected with the keys of the due screen, written as a file from the selection;
and the files presented, with their counts and totals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Label, Static

from tui_billing.billing.collections import DueCollection, due_collections, presented_files
from tui_billing.billing.presenting import present_riba, present_sdd
from tui_billing.domain.errors import UserError
from tui_billing.output.safe_files import checked_target, write_file
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.selection import DueRow
from tui_billing.tui.widgets.due_table import DueTable

__all__ = ["CollectionsScreen", "CollectionsTable"]


class CollectionsTable(DueTable):
    """The due table's view and keys (Space, shift+arrows, a, u, v, *) over invoices to
    present: customer, invoice, kind, due date, open amount, and what stops it."""

    HEADERS: ClassVar[tuple[str, ...]] = ("", "Customer", "Invoice", "Kind", "", "Due",
                                          "Amount", "Status")
    SHORT_HEADERS = HEADERS
    NO_PERIOD = ""


def due_row(item: DueCollection) -> DueRow:
    return DueRow(id=item.invoice_id, customer=item.customer_name, contract=item.number,
                  series=item.kind.upper(), period_start=None, period_end=None,
                  invoice_date=item.due_date, amount=item.amount,
                  status=item.problem or "due", customer_code=item.customer)


class CollectionsScreen(BillingScreen):
    """Invoices due to be presented and the files presented."""

    TITLE = "Collections"
    DEFAULT_CSS = """
    CollectionsScreen #collections-title { padding: 0 1; text-style: bold; }
    CollectionsScreen #collections-table { height: 2fr; }
    CollectionsScreen #collections-output { width: 1fr; }
    CollectionsScreen #collections-status { height: auto; padding: 0 1; }
    CollectionsScreen #collections-files { height: 1fr; }
    CollectionsScreen .section { padding: 0 1; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "write_sdd", "Write SDD", id="collections.sdd",
                tooltip="Present the selected direct debits in a SEPA (pain.008) file"),
        Binding("b", "write_riba", "Write Ri.Ba.", id="collections.riba",
                tooltip="Present the selected Ri.Ba. receipts in a CBI file"),
        Binding("o", "edit_output", "File name", id="collections.output",
                tooltip="Type the name of the file to write"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="collections.reload",
                tooltip="Read what is due and the files again"),
        Binding("escape", "focus_table", "Table", show=False, id="collections.table",
                tooltip="Back to the table"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="collections-title")
        yield CollectionsTable(id="collections-table")
        yield Input(placeholder="File to write (default: sdd-<date>.xml / riba-<date>.txt "
                    "in the current folder)", id="collections-output")
        yield Static("", id="collections-status")
        yield Label("Presented files", classes="section")
        yield DataTable(id="collections-files", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        files = self.query_one("#collections-files", DataTable)
        for name in ("ID", "Kind", "Message id", "Presented", "Count", "Total"):
            files.add_column(name, key=name.lower())
        self.action_reload()
        self.query_one(CollectionsTable).focus()

    def refresh_data(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.items = {i.invoice_id: i for i in due_collections()}
        table = self.query_one(CollectionsTable)
        table.set_rows([due_row(i) for i in self.items.values()])
        files = self.query_one("#collections-files", DataTable)
        files.clear()
        for f in presented_files():
            files.add_row(str(f["id"]), f["kind"].upper(), f["message_id"],
                          dt.date.fromisoformat(f["presented_on"]).strftime("%d/%m/%Y"),
                          str(f["count"]), f["total"], key=str(f["id"]))
        self._title()

    def _title(self) -> None:
        table = self.query_one(CollectionsTable)
        model = table.model
        self.query_one("#collections-title", Static).update(
            f"Due to be presented: {len(self.items)} invoices; selected "
            f"{model.selected_count}, {model.selected_total:.2f} (Space selects, s writes "
            "SDD, b writes Ri.Ba.)")

    def on_due_table_selection_changed(self, event: DueTable.SelectionChanged) -> None:
        self._title()

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
            Path.cwd() / f"{kind}-{today.isoformat()}.{'xml' if kind == 'sdd' else 'txt'}")
        now = dt.datetime.now().replace(microsecond=0)
        due_to = max(i.due_date for i in chosen)
        ids = [i.invoice_id for i in chosen]
        try:
            checked_target(name)
            if kind == "sdd":
                presented = present_sdd(self.app.db, due_to=due_to, today=today, now=now,
                                        invoice_ids=ids)
            else:
                presented = present_riba(self.app.db, due_to=due_to, today=today, now=now,
                                         invoice_ids=ids)
        except UserError as exc:
            status.update(f"Not presented: {exc}")
            return
        try:
            write_file(name, presented.content)
        except UserError as exc:
            status.update(f"Presented in file {presented.file_id}, but {exc}: write it with "
                          f"`tui-billing collections {kind} --again {presented.file_id}`")
            self.action_reload()
            return
        left = f"; {len(presented.left_out)} left for a later file" if presented.left_out else ""
        status.update(f"File {presented.file_id} ({presented.message_id}): {presented.count} "
                      f"invoices, {presented.total:.2f}, written to {name}{left}")
        self.action_reload()

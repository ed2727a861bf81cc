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

from rich.cells import cell_len
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
from tui_billing.domain.i18n import N_, _, ngettext, pgettext
from tui_billing.output.safe_files import checked_target, write_file
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.collecting import ask_send_reminders, return_text
from tui_billing.tui.screens.common import confirm, cut, day, money
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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # the headers in the language in use (the widths follow them)
        headers = (
            "",
            _("Customer"),
            _("Invoice"),
            _("Kind"),
            "",
            pgettext("column", "Due"),
            _("Amount"),
            _("Status"),
        )
        self.HEADERS = self.SHORT_HEADERS = headers  # type: ignore[misc]  # this table's own


KINDS = {"sdd": "SDD", "riba": "Ri.Ba."}  # the same in both languages
WIDE = 120  # from this width the presented files' message ids and each fee have room


def state_text(state: str) -> str:
    """The state of a presented collection, in the language in use."""
    states = {
        "presented": pgettext("collection", "presented"),
        "paid": pgettext("collection", "paid"),
        "returned": pgettext("collection", "returned"),
    }
    return states.get(state, state)


def charge_text(charge: str) -> str:
    """Whether a return's charges are billed yet, in the language in use."""
    charges = {
        "to bill": pgettext("return charges", "to bill"),
        "billed": pgettext("return charges", "billed"),
    }
    return charges.get(charge, charge)


def due_row(item: DueCollection) -> DueRow:
    return DueRow(
        id=item.invoice_id,
        customer=item.customer_name,
        contract=item.number,
        series=KINDS.get(item.kind, item.kind.upper()),
        period_start=None,
        period_end=None,
        invoice_date=item.due_date,
        amount=item.amount,
        status=item.problem or pgettext("collection", "due"),
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

    TITLE = N_("Collections")
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
            N_("SDD"),
            id="collections.sdd",
            tooltip=N_("Present the selected direct debits in a SEPA (pain.008) file"),
        ),
        Binding(
            "b",
            "write_riba",
            N_("Ri.Ba."),
            id="collections.riba",
            tooltip=N_("Present the selected Ri.Ba. receipts in a CBI file"),
        ),
        Binding(
            "o",
            "edit_output",
            N_("File name"),
            show=False,  # in ? help and named on the screen: the footer fits 80 columns
            id="collections.output",
            tooltip=N_("Type the name of the file to write"),
        ),
        Binding(
            "r",
            "return_payment",
            N_("Returned"),
            show=False,
            id="collections.return",
            tooltip=N_(
                "Record a collection the bank returned unpaid (insoluto): the "
                "invoice highlighted in the presented list, else the one typed"
            ),
        ),
        Binding(
            "m",
            "send_reminders",
            N_("Reminders"),
            show=False,
            id="collections.reminders",
            tooltip=N_("Record and e-mail the payment reminders due today (asks first)"),
        ),
        Binding(
            "ctrl+r",
            "reload",
            N_("Reload"),
            show=False,
            id="collections.reload",
            tooltip=N_("Read what is due, presented and returned again"),
        ),
        Binding(
            "escape",
            "focus_table",
            N_("Table"),
            show=False,
            id="collections.table",
            tooltip=N_("Back to the table"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        self.items: dict[int, DueCollection] = {}
        self.presented: list[dict] = []
        self.returns: list[ReturnedCollection] = []
        self.loads_done = 0  # how many loads have been shown (tests wait on it)

    def compose_body(self) -> ComposeResult:
        yield Static("", id="collections-title")
        yield CollectionsTable(id="collections-table")
        yield Input(
            placeholder=_(
                "File to write (default: sdd-<date>.xml / riba-<date>.txt in the current folder)"
            ),
            id="collections-output",
            compact=True,
        )
        yield Static("", id="collections-status")
        yield Label(
            _("Presented (r on one records its return)"),
            classes="section",
            id="collections-presented-label",
        )
        yield DataTable(id="collections-presented", cursor_type="row", zebra_stripes=True)
        yield Label(_("Returned"), classes="section", id="collections-returns-label")
        yield DataTable(id="collections-returns", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._columns()
        self.refresh_data()
        self.query_one(CollectionsTable).focus()

    def _columns(self) -> None:
        """The presented and returned lists' columns. Below 120 columns the presented
        files' message ids give way, and a return's customer gives way and its two fees are
        one column, so that the state and the reason of a return have the room."""
        presented = self.query_one("#collections-presented", DataTable)
        presented.clear(columns=True)
        for name, key, width in self._presented_columns():
            presented.add_column(name, key=key, width=width)
        returns = self.query_one("#collections-returns", DataTable)
        returns.clear(columns=True)
        for name, key, width in self._return_columns():
            returns.add_column(name, key=key, width=width)

    def _presented_columns(self) -> list[tuple[str, str, int]]:
        """The presented invoices' columns (header, key, width)."""
        wide = self.app.size.width >= WIDE
        columns = [
            (_("Invoice"), "invoice", 13),
            (_("Customer"), "customer", 8),
            (_("File"), "file", 5),
            (_("Kind"), "kind", 6),
            *([(_("Message id"), "message id", 28)] if wide else []),
            (pgettext("column", "Due"), "due", 10),
            (_("Amount"), "amount", 10),
            (_("State"), "state", 10),
        ]
        return [(name, key, max(width, cell_len(name))) for name, key, width in columns]

    def _return_columns(self) -> list[tuple[str, str, int]]:
        """The returns' columns (header, key, width): the reason takes what is left."""
        wide = self.app.size.width >= WIDE
        columns = [
            (_("Invoice"), "invoice", 13),
            *([(_("Customer"), "customer", 10)] if wide else []),
            (pgettext("column", "Returned"), "returned", 10),
            *(
                [(_("Bank fee"), "bank fee", 11), (_("Own fee"), "own fee", 12)]
                if wide
                else [(pgettext("column", "Fees"), "fees", 8)]
            ),
            (pgettext("column", "Charge"), "charge", 12),
        ]
        columns = [(name, key, max(width, cell_len(name))) for name, key, width in columns]
        used = sum(width + 2 for *_unused, width in columns) + 2 + 2  # padding, scrollbar
        return [*columns, (_("Reason"), "reason", max(12, self.app.size.width - used))]

    def on_resize(self) -> None:
        returns = self.query_one("#collections-returns", DataTable)
        if returns.columns and ("fees" in returns.columns) == (self.app.size.width >= WIDE):
            self._columns()
            self.refresh_data()

    def action_reload(self) -> None:
        self.refresh_data()

    def fetch(self, arguments: None) -> CollectionLists:
        return CollectionLists(
            due_collections(),
            presented_collections(limit=PRESENTED_SHOWN),
            returned_collections(self.app.db),
        )

    def show_error(self, text: str) -> None:
        self.query_one("#collections-status", Static).update(
            _("Not read: {reason}").format(reason=text)
        )
        self.loads_done += 1

    def show(self, data: CollectionLists) -> None:
        due, presented, returns = data.due, data.presented, data.returns
        self.items = {i.invoice_id: i for i in due}
        self.query_one(CollectionsTable).set_rows([due_row(i) for i in due])
        self.presented = presented
        table = self.query_one("#collections-presented", DataTable)
        table.clear()
        widths = {key: width for _name, key, width in self._presented_columns()}
        for c in presented:
            cells = {
                "invoice": c["invoice"],
                "customer": c["customer"],
                "file": str(c["file"]),
                "kind": KINDS.get(c["kind"], c["kind"].upper()),
                "message id": c["message_id"],
                "due": day(dt.date.fromisoformat(c["collection_date"])),
                "amount": money(Decimal(c["amount"])),
                "state": state_text(c["state"]),
            }
            table.add_row(
                *(cut(cells[key], width) for key, width in widths.items()), key=str(c["id"])
            )
        if len(presented) == PRESENTED_SHOWN:
            label = ngettext(
                "Presented: the latest {count} invoice (r on one records its return)",
                "Presented: the latest {count} invoices (r on one records its return)",
                len(presented),
            )
        else:
            label = ngettext(
                "Presented: {count} invoice (r on one records its return)",
                "Presented: {count} invoices (r on one records its return)",
                len(presented),
            )
        self.query_one("#collections-presented-label", Label).update(
            label.format(count=display.number(len(presented)))
        )
        self.returns = returns
        table = self.query_one("#collections-returns", DataTable)
        table.clear()
        widths = {key: width for _name, key, width in self._return_columns()}
        for r in returns:
            cells = {
                "invoice": r.invoice,
                "customer": r.customer,
                "returned": day(r.date),
                "bank fee": money(r.bank_fee),
                "own fee": money(r.own_fee),
                "fees": money(r.bank_fee + r.own_fee),
                "charge": charge_text(r.charge),
                "reason": r.reason or "",
            }
            table.add_row(*(cut(cells[key], width) for key, width in widths.items()), key=str(r.id))
        self.query_one("#collections-returns-label", Label).update(
            _("Returned: {count} (m sends the reminders due)").format(
                count=display.number(len(returns))
            )
        )
        self._title()
        self.loads_done += 1

    def _title(self) -> None:
        table = self.query_one(CollectionsTable)
        model = table.model
        self.query_one("#collections-title", Static).update(
            ngettext(
                "Due to present: {count} invoice; selected {selected}, {total} "
                "(Space, then s SDD / b Ri.Ba.)",
                "Due to present: {count} invoices; selected {selected}, {total} "
                "(Space, then s SDD / b Ri.Ba.)",
                len(self.items),
            ).format(
                count=display.number(len(self.items)),
                selected=display.number(model.selected_count),
                total=money(model.selected_total),
            )
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
        """Record the reminders due today and e-mail every one not sent yet (asks first)."""
        ask_send_reminders(self, self.query_one("#collections-status", Static))

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
            status.update(
                _("Select the {kind} invoices to present first (Space).").format(
                    kind=KINDS.get(kind, kind)
                )
            )
            return
        today = self.app.today
        name = self.query_one("#collections-output", Input).value.strip() or str(
            Path.cwd() / f"{kind}-{today.isoformat()}.{'xml' if kind == 'sdd' else 'txt'}"
        )
        total = sum((i.amount for i in chosen), Decimal("0"))
        question = (
            ngettext(
                "Present {count} invoice ({total}) to the bank in a SEPA direct debit file "
                "written to {file}? It counts as presented once the file is made.",
                "Present {count} invoices ({total}) to the bank in a SEPA direct debit file "
                "written to {file}? They count as presented once the file is made.",
                len(chosen),
            )
            if kind == "sdd"
            else ngettext(
                "Present {count} invoice ({total}) to the bank in a Ri.Ba. file written to "
                "{file}? It counts as presented once the file is made.",
                "Present {count} invoices ({total}) to the bank in a Ri.Ba. file written to "
                "{file}? They count as presented once the file is made.",
                len(chosen),
            )
        )
        confirm(
            self,
            question.format(count=display.number(len(chosen)), total=money(total), file=name),
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
            status.update(_("Not presented: {reason}").format(reason=exc))
            return
        try:
            write_file(name, presented.content)
        except UserError as exc:
            status.update(
                _("Presented in file {file}, but {reason}: write it with `{command}`").format(
                    file=presented.file_id,
                    reason=exc,
                    command=f"tui-billing collections {kind} --again {presented.file_id}",
                )
            )
            self.refresh_data()
            return
        text = presented.written_text(name)
        if presented.left_out:
            text = ngettext(
                "{done}; {count} left for a later file",
                "{done}; {count} left for a later file",
                len(presented.left_out),
            ).format(done=text, count=display.number(len(presented.left_out)))
        status.update(text)
        self.refresh_data()

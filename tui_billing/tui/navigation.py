"""The screens the operator moves between: mode name, label, key and where the class lives.

Screens are imported when first shown, by path, so the app starts fast and a screen that is
not installed only disables its key."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, TextArea
from textual.widgets._select import SelectCurrent
from textual.widgets._toggle_button import ToggleButton


@dataclass(frozen=True)
class Destination:
    mode: str
    label: str
    key: str  # a digit; F<digit> does the same (from inside a field too)
    path: str  # "package.module.ClassName"
    tooltip: str
    short: str = ""  # the label on a narrow terminal ("": the label)

    @property
    def key_text(self) -> str:
        """The keys of the binding: the digit, F<digit> and Ctrl+digit."""
        return f"{self.key},f{self.key},ctrl+{self.key}"

    @property
    def binding_id(self) -> str:
        return f"app.goto_{self.mode}"

    @property
    def module(self) -> str:
        return self.path.rpartition(".")[0]

    def available(self) -> bool:
        """Whether the screen's module can be imported (it may arrive later)."""
        try:
            return importlib.util.find_spec(self.module) is not None
        except ImportError:
            return False

    def factory(self) -> Callable[[], Screen]:
        """A callable that imports the screen class and makes one (no arguments)."""

        def make() -> Screen:
            module, _, name = self.path.rpartition(".")
            return getattr(importlib.import_module(module), name)()

        return make


DESTINATIONS: tuple[Destination, ...] = (
    Destination(
        "due", "Due", "1", "tui_billing.tui.screens.due.DueScreen", "Installments due for invoicing"
    ),
    Destination(
        "contracts",
        "Contracts",
        "2",
        "tui_billing.tui.screens.contracts.ContractsScreen",
        "Contracts, their lines and installment plans",
        "Contr",
    ),
    Destination(
        "invoices",
        "Invoices",
        "3",
        "tui_billing.tui.screens.invoices.InvoicesScreen",
        "Invoices: open, issue, PDF, courtesy copy",
        "Inv",
    ),
    Destination(
        "orders",
        "Orders",
        "4",
        "tui_billing.tui.screens.orders.OrdersScreen",
        "Orders and their partial, down-payment and installment invoices",
        "Ord",
    ),
    Destination(
        "payments",
        "Payments",
        "5",
        "tui_billing.tui.screens.payments.PaymentsScreen",
        "Payments recorded against invoices",
        "Pay",
    ),
    Destination(
        "revenue",
        "Revenue",
        "6",
        "tui_billing.tui.screens.revenue.RevenueScreen",
        "Revenue figures of revenue-based contract lines",
        "Rev",
    ),
    Destination(
        "runs",
        "Runs",
        "7",
        "tui_billing.tui.screens.billing_runs.BillingRunsScreen",
        "Start a billing run, follow it, read past runs",
    ),
    Destination(
        "collections",
        "Collections",
        "8",
        "tui_billing.tui.screens.collections.CollectionsScreen",
        "Direct debits and Ri.Ba. due to be presented to the bank; files presented",
        "Coll",
    ),
    Destination(
        "records",
        "Records",
        "9",
        "tui_billing.tui.screens.records.RecordsScreen",
        "Customers, articles, series, the company and the legal interest rates",
        "Rec",
    ),
)

BY_MODE = {d.mode: d for d in DESTINATIONS}


def typing_into(widget: Widget | None) -> bool:
    """Whether ``widget`` is a form control that characters typed belong to (a text field,
    a checkbox, a choice, a button): digits and letters never switch screens from it."""
    return isinstance(widget, Input | TextArea | ToggleButton | Select | SelectCurrent | Button)

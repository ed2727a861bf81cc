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

from tui_billing.domain.i18n import N_, pgettext


@dataclass(frozen=True)
class Destination:
    mode: str
    label: str
    key: str  # a digit; F<digit> does the same (from inside a field too)
    path: str  # "package.module.ClassName"
    tooltip: str
    short: str = ""  # the label on a narrow terminal ("": the label)
    # label and short are translated in the "navigation" context (see shown_label)
    goto: str = ""  # the tooltip of the key that goes there (one whole message)

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
        "due",
        "Due",
        "1",
        "tui_billing.tui.screens.due.DueScreen",
        N_("Installments due for invoicing"),
        "Due",
        N_("Go to due: installments due for invoicing"),
    ),
    Destination(
        "contracts",
        "Contracts",
        "2",
        "tui_billing.tui.screens.contracts.ContractsScreen",
        N_("Contracts, their lines and installment plans"),
        "Contr",
        N_("Go to contracts: their lines and installment plans"),
    ),
    Destination(
        "invoices",
        "Invoices",
        "3",
        "tui_billing.tui.screens.invoices.InvoicesScreen",
        N_("Invoices: open, issue, PDF, courtesy copy"),
        "Inv",
        N_("Go to invoices: open, issue, PDF, courtesy copy"),
    ),
    Destination(
        "orders",
        "Orders",
        "4",
        "tui_billing.tui.screens.orders.OrdersScreen",
        N_("Orders and their partial, down-payment and installment invoices"),
        "Ord",
        N_("Go to orders and their partial, down-payment and installment invoices"),
    ),
    Destination(
        "payments",
        "Payments",
        "5",
        "tui_billing.tui.screens.payments.PaymentsScreen",
        N_("Payments recorded against invoices"),
        "Pay",
        N_("Go to payments: those recorded against invoices"),
    ),
    Destination(
        "revenue",
        "Revenue",
        "6",
        "tui_billing.tui.screens.revenue.RevenueScreen",
        N_("Revenue figures of revenue-based contract lines"),
        "Rev",
        N_("Go to revenue: the figures of revenue-based contract lines"),
    ),
    Destination(
        "runs",
        "Runs",
        "7",
        "tui_billing.tui.screens.billing_runs.BillingRunsScreen",
        N_("Start a billing run, follow it, read past runs"),
        "Runs",
        N_("Go to runs: start a billing run, follow it, read past runs"),
    ),
    Destination(
        "collections",
        "Collections",
        "8",
        "tui_billing.tui.screens.collections.CollectionsScreen",
        N_("Direct debits and Ri.Ba. due to be presented to the bank; files presented"),
        "Coll",
        N_("Go to collections: direct debits and Ri.Ba. to present to the bank"),
    ),
    Destination(
        "records",
        "Records",
        "9",
        "tui_billing.tui.screens.records.RecordsScreen",
        N_("Customers, articles, series, the company and the legal interest rates"),
        "Rec",
        N_("Go to records: customers, articles, series, company, interest rates"),
    ),
)

BY_MODE = {d.mode: d for d in DESTINATIONS}


def shown_label(text: str, *, short: bool = False) -> str:
    """A destination's label (``short``: its short label) in the language in use."""
    return pgettext("navigation short" if short else "navigation", text)


def _marked() -> None:  # pragma: no cover - never called: marks the labels for extraction
    pgettext("navigation", "Due")
    pgettext("navigation", "Contracts")
    pgettext("navigation", "Invoices")
    pgettext("navigation", "Orders")
    pgettext("navigation", "Payments")
    pgettext("navigation", "Revenue")
    pgettext("navigation", "Runs")
    pgettext("navigation", "Collections")
    pgettext("navigation", "Records")
    pgettext("navigation short", "Due")
    pgettext("navigation short", "Contr")
    pgettext("navigation short", "Inv")
    pgettext("navigation short", "Ord")
    pgettext("navigation short", "Pay")
    pgettext("navigation short", "Rev")
    pgettext("navigation short", "Runs")
    pgettext("navigation short", "Coll")
    pgettext("navigation short", "Rec")


def typing_into(widget: Widget | None) -> bool:
    """Whether ``widget`` is a form control that characters typed belong to (a text field,
    a checkbox, a choice, a button): digits and letters never switch screens from it."""
    return isinstance(widget, Input | TextArea | ToggleButton | Select | SelectCurrent | Button)

"""The screens of the TUI."""

from __future__ import annotations

import importlib
from typing import Any

from tui_billing.tui.navigation import DESTINATIONS

# Screens and dialogs of this package whose bindings can be remapped by id.
_OWN = (
    "tui_billing.tui.screens.due.DueScreen",
    "tui_billing.tui.screens.create_invoices.CreateInvoicesDialog",
    "tui_billing.tui.screens.create_invoices.CreatedInvoicesScreen",
    "tui_billing.tui.screens.installment.InstallmentScreen",
    "tui_billing.tui.screens.invoices.InvoicesScreen",
    "tui_billing.tui.screens.invoice.InvoiceScreen",
    "tui_billing.tui.screens.invoice.PdfDialog",
    "tui_billing.tui.screens.billing_runs.BillingRunsScreen",
    "tui_billing.tui.screens.keys.KeysScreen",
    "tui_billing.tui.screens.expiring.ExpiringScreen",
    "tui_billing.tui.widgets.due_table.DueTable",
)


def _ids_of(cls: Any) -> set[str]:
    ids = set()
    for klass in cls.__mro__:
        for binding in klass.__dict__.get("BINDINGS", ()):
            ident = getattr(binding, "id", None)
            if ident:
                ids.add(ident)
    return ids


def binding_ids(app: Any) -> set[str]:
    """Every binding id of the app, its own screens and the installed screens of others."""
    ids = _ids_of(type(app))
    paths = list(_OWN) + [d.path for d in DESTINATIONS if d.available()]
    for path in dict.fromkeys(paths):
        module, _, name = path.rpartition(".")
        try:
            ids |= _ids_of(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return ids

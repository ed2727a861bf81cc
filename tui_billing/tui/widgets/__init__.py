"""Reusable widgets of the user interface."""

from tui_billing.tui.widgets.due_table import DueTable

__all__ = ["DueTable"]

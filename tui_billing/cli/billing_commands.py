"""Billing commands: due, run, invoice, invoices, pdf."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    """Filled in by the schedule and invoicing work."""

"""Keyboard flows that bring the demo app to one of the due and contract screens and
dialogs, for the snapshots in both languages (each a ``run_before`` of ``snap_compare``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.helpers import wait_for

Flow = Callable[[Pilot], Awaitable[None]]


def _named(pilot: Pilot, name: str) -> bool:
    return type(pilot.app.screen).__name__ == name


async def _steady(pilot: Pilot) -> None:
    """Every worker done, no blinking cursor (caught on or off at random)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause(0.2)
    await pilot.pause()


async def due(pilot: Pilot) -> None:
    """The due installments, three of them selected."""
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "loading_done", False))
    await pilot.press("space", "space", "down", "space")
    await _steady(pilot)


async def create_invoices(pilot: Pilot) -> None:
    """The options of the invoices of three selected installments."""
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "loading_done", False))
    await pilot.press("space", "space", "space", "c")
    await wait_for(pilot, lambda: _named(pilot, "CreateInvoicesDialog"))
    await _steady(pilot)


async def confirm_drafts(pilot: Pilot) -> None:
    """The question before three draft invoices are created."""
    await create_invoices(pilot)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: _named(pilot, "ConfirmScreen"))
    await _steady(pilot)


async def created_invoices(pilot: Pilot) -> None:
    """What "Create invoices" made of three installments, as drafts (confirmed)."""
    await create_invoices(pilot)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: _named(pilot, "ConfirmScreen"))
    await pilot.press("enter")
    await wait_for(pilot, lambda: _named(pilot, "CreatedInvoicesScreen"))
    await _steady(pilot)


async def installment(pilot: Pilot) -> None:
    """The first due installment opened: its lines and totals."""
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "loading_done", False))
    await pilot.press("enter")
    await wait_for(pilot, lambda: _named(pilot, "InstallmentScreen"))
    await _steady(pilot)


async def contracts(pilot: Pilot) -> None:
    """The contracts list."""
    from tui_billing.tui.screens.contracts import ContractsScreen

    await pilot.app.push_screen(ContractsScreen())
    await wait_for(pilot, lambda: not pilot.app.screen.reading)
    await _steady(pilot)


async def contract_filter(pilot: Pilot) -> None:
    """The contracts list's filters."""
    await contracts(pilot)
    await pilot.press("f")
    await wait_for(pilot, lambda: _named(pilot, "FilterScreen"))
    await _steady(pilot)


async def contract_detail(pilot: Pilot) -> None:
    """The first contract of the list opened."""
    await contracts(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: _named(pilot, "ContractDetailScreen"))
    await wait_for(pilot, lambda: pilot.app.screen.detail is not None)
    await _steady(pilot)


async def contract_form(pilot: Pilot) -> None:
    """A new contract."""
    await contracts(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "ready", False))
    await _steady(pilot)


async def line_form(pilot: Pilot) -> None:
    """A new line of the first contract."""
    await contract_detail(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "ready", False))
    await _steady(pilot)


async def plan(pilot: Pilot) -> None:
    """The installment plan of the first contract."""
    await contract_detail(pilot)
    await pilot.press("p")
    await wait_for(pilot, lambda: _named(pilot, "PlanScreen"))
    await wait_for(pilot, lambda: not pilot.app.screen.reading)
    await _steady(pilot)


FLOWS: dict[str, Flow] = {
    "due": due,
    "create_invoices": create_invoices,
    "confirm_drafts": confirm_drafts,
    "created_invoices": created_invoices,
    "installment": installment,
    "contracts": contracts,
    "contract_filter": contract_filter,
    "contract_detail": contract_detail,
    "contract_form": contract_form,
    "line_form": line_form,
    "plan": plan,
}

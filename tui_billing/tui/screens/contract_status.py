"""Changing a contract's status from a screen: the bindings and the confirmed change, shared
by the contracts list and a contract's detail."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.screen import Screen

from tui_billing.billing.contract_editing import set_status
from tui_billing.domain.i18n import N_, _
from tui_billing.tui.screens.common import ConfirmScreen, attempt


def status_actions(prefix: str, *, all_shown: bool = True) -> list[Binding]:
    """The bindings that change a contract's status, under ``prefix``; without
    ``all_shown`` only Close is in the footer (the others stay in ``?`` help)."""
    return [
        Binding(
            "a",
            "set_status('active')",
            N_("Activate"),
            show=all_shown,
            id=f"{prefix}.activate",
            tooltip=N_("Make the contract active: it bills from now on"),
        ),
        Binding(
            "s",
            "set_status('suspended')",
            N_("Suspend"),
            show=all_shown,
            id=f"{prefix}.suspend",
            tooltip=N_("Suspend the contract: nothing more bills until it is activated"),
        ),
        Binding(
            "x",
            "set_status('closed')",
            N_("Close"),
            id=f"{prefix}.close",
            tooltip=N_("Close the contract for good (asks first)"),
        ),
    ]


def change_status(
    screen: Screen, contract_id: int, code: str, status: str, done: Callable[[], object]
) -> None:
    """Change a contract's status (closing asks first), then call ``done``."""

    def apply(confirmed: bool | None = True) -> None:
        if not confirmed:
            return
        db = screen.app.db  # type: ignore[attr-defined]

        def change() -> bool:
            set_status(db, contract_id, status)
            return True

        if attempt(screen, change, what=f"{code}: "):
            done_text = {
                "active": _("{code} activated"),
                "suspended": _("{code} suspended"),
                "closed": _("{code} closed"),
            }[status]
            screen.notify(done_text.format(code=code))
        done()

    if status == "closed":
        screen.app.push_screen(
            ConfirmScreen(
                _("Close contract {code}? Nothing more will be billed.").format(code=code)
            ),
            apply,
        )
    else:
        apply()

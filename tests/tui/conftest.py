"""Fixtures of the TUI tests: no user configuration leaks in."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("TUI_BILLING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (Pilot needs one)."""
    import asyncio
    import inspect

    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True


@pytest.fixture(autouse=True)
def _screens_finish_reading(monkeypatch) -> None:
    """A test acts as a person does: after a key or a pause it waits until the screen has
    read and shown its data (screens read in thread workers, tui/screens/base.py)."""
    from textual.pilot import Pilot

    press, pause = Pilot.press, Pilot.pause

    async def pressed(pilot: Pilot, *keys: str) -> None:
        await press(pilot, *keys)
        await _settle(pilot, pause)

    async def paused(pilot: Pilot, delay: float | None = None) -> None:
        await pause(pilot, delay)
        await _settle(pilot, pause)

    monkeypatch.setattr(Pilot, "press", pressed)
    monkeypatch.setattr(Pilot, "pause", paused)


async def _settle(pilot, pause) -> None:
    """Wait (5 s at most) for the screen reads running now, and for the screens to show
    what they read."""
    import asyncio

    from textual.worker import WorkerState

    from tui_billing.tui.screens.base import READS

    def busy() -> bool:
        app = pilot.app
        running = (WorkerState.PENDING, WorkerState.RUNNING)
        return any(w.group == READS and w.state in running for w in app.workers) or any(
            getattr(screen, "reading", False) for screen in app.screen_stack if screen.is_attached
        )

    end = asyncio.get_running_loop().time() + 5
    while busy() and asyncio.get_running_loop().time() < end:
        await pause(pilot, 0.01)
    await pause(pilot)

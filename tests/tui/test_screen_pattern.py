"""Every top-level screen reads the database one way (tui/screens/base.py): ``fetch`` in a
thread worker, ``show`` on the UI thread. Found by importing the screen modules, not from a
list; and checked on the demo database by recording which thread runs each query."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import threading

import pytest
from textual.screen import ModalScreen, Screen

import tui_billing.tui.screens as screens_package
from tests.tui.helpers import confirmed, due_ready, make_app, make_demo, wait_for
from tui_billing.tui.app import BillingApp
from tui_billing.tui.navigation import DESTINATIONS
from tui_billing.tui.screens.base import BillingScreen


def _screen_classes() -> list[type[Screen]]:
    """The full screens (not dialogs) defined in the modules of tui/screens."""
    found = []
    for info in pkgutil.iter_modules(screens_package.__path__):
        module = importlib.import_module(f"{screens_package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and issubclass(cls, Screen)
                and not issubclass(cls, ModalScreen)
                and cls is not BillingScreen
            ):
                found.append(cls)
    return found


def _mode_classes() -> list[type]:
    assert set(BillingApp.MODES) == {d.mode for d in DESTINATIONS}
    classes = []
    for destination in DESTINATIONS:
        module, _, name = destination.path.rpartition(".")
        classes.append(getattr(importlib.import_module(module), name))
    return classes


def test_the_screen_modules_hold_full_screens_and_every_mode_has_one() -> None:
    names = {cls.__name__ for cls in _screen_classes()}
    assert {"DueScreen", "ContractsScreen", "InvoicesScreen", "BillingRunsScreen"} <= names
    assert len(_mode_classes()) == len(DESTINATIONS) == 9


@pytest.mark.parametrize(
    "cls",
    sorted({*_screen_classes(), *_mode_classes()}, key=lambda c: c.__qualname__),
    ids=lambda c: c.__qualname__,
)
def test_every_full_screen_reads_through_the_base_screen(cls: type) -> None:
    assert issubclass(cls, BillingScreen), f"{cls.__qualname__} is not a BillingScreen"
    if cls.__subclasses__():  # a base of screens: each of those reads in fetch
        for sub in cls.__subclasses__():
            assert sub.fetch is not BillingScreen.fetch, f"{sub.__qualname__} reads elsewhere"
        return
    if cls.HAS_DATA:
        assert cls.fetch is not BillingScreen.fetch, f"{cls.__qualname__} does not read in fetch"


class QueryThreads:
    """Which threads ran queries on a database: its ``execute_sql`` and ``cursor`` wrapped."""

    def __init__(self, db) -> None:
        self.threads: list[str] = []
        for name in ("execute_sql", "cursor"):
            setattr(db, name, self._recorded(getattr(db, name)))

    def _recorded(self, method):
        def call(*args, **kwargs):
            self.threads.append(threading.current_thread().name)
            return method(*args, **kwargs)

        return call

    def take(self) -> tuple[int, int]:
        """(queries on the UI thread, queries elsewhere) since the last take."""
        ui = threading.main_thread().name
        on_ui = sum(1 for name in self.threads if name == ui)
        other = len(self.threads) - on_ui
        self.threads = []
        return on_ui, other


async def _loaded(pilot) -> None:
    """Let every read started finish and be shown."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    return make_demo(str(tmp_path_factory.mktemp("pattern") / "demo.sqlite"))


async def test_screens_load_without_a_query_on_the_ui_thread(demo) -> None:
    app = make_app(demo)
    queries = QueryThreads(app.db)
    async with app.run_test(size=(120, 40)) as pilot:
        await due_ready(pilot)
        await _loaded(pilot)
        assert queries.take()[0] == 0, "the due screen read on the UI thread"
        # Each screen first (mounted), then again (refreshed on the way back).
        for key in "2345678" + "12345678":
            destination = next(d for d in DESTINATIONS if d.key == key)
            await pilot.press(f"f{key}")  # a screen may start in a field: digits go there
            await wait_for(pilot, lambda d=destination: app.current_mode == d.mode)
            await _loaded(pilot)
            on_ui, elsewhere = queries.take()
            assert on_ui == 0, f"{destination.mode}: {on_ui} queries on the UI thread"
            assert elsewhere > 0, f"{destination.mode}: nothing read"


async def test_reads_while_typing_and_opening_stay_off_the_ui_thread(demo) -> None:
    """An order's detail, the revenue screen's price history as a contract is typed and
    the payment form's checks as an amount is typed: read in threads."""
    from textual.widgets import DataTable, Input, Static

    from tui_billing.tui.screens.orders import OrderDetailScreen

    app = make_app(demo)
    queries = QueryThreads(app.db)
    async with app.run_test(size=(120, 40)) as pilot:
        await due_ready(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: app.current_mode == "orders")
        await _loaded(pilot)
        queries.take()
        app.screen.query_one("#orders", DataTable).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OrderDetailScreen))
        await _loaded(pilot)
        on_ui, elsewhere = queries.take()
        assert (on_ui, elsewhere > 0) == (0, True), "the order's detail read on the UI thread"
        await pilot.press("escape")

        await pilot.press("6")
        await wait_for(pilot, lambda: app.current_mode == "revenue")
        await _loaded(pilot)
        queries.take()
        await pilot.press("n", *"K-0125")
        await _loaded(pilot)
        history = str(app.screen.query_one("#revenue-history", Static).render())
        on_ui, elsewhere = queries.take()
        assert (on_ui, elsewhere > 0) == (0, True), "the price history read on the UI thread"
        assert history == "-"  # K-0125 has no indexed or stepped line: read, nothing to tell

        await pilot.press("escape")
        await confirmed(pilot)  # the typed contract is discarded
        await pilot.press("5")
        await wait_for(pilot, lambda: app.current_mode == "payments")
        await _loaded(pilot)
        queries.take()
        screen = app.screen
        screen.query_one("#pay-invoice", Input).focus()
        await pilot.press(*"A/2026/0001", "tab", *"999999")
        await _loaded(pilot)
        on_ui, elsewhere = queries.take()
        assert (on_ui, elsewhere > 0) == (0, True), "the payment checks read on the UI thread"
        assert "Amount:" in str(screen.query_one("#pay-errors", Static).render())

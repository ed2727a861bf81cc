"""The Textual application: the shell that hosts the screens, their keys and the palette."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.widgets import Footer, Header, Input

from tui_billing.billing.company import adopt_config_company
from tui_billing.config import Config, load_config
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, choose_language, set_language
from tui_billing.store.database import describe, open_database
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.binding_ids import binding_ids
from tui_billing.tui.commands import RecordScreens, ScreenCommands
from tui_billing.tui.errors import error_text
from tui_billing.tui.keymap_check import check_keymap
from tui_billing.tui.navigation import BY_MODE, DESTINATIONS, typing_into
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.translation import translate_bindings
from tui_billing.tui.widgets.nav_bar import NavBar


def _short(name: str, width: int = 30) -> str:
    home = str(Path.home())
    if name.startswith(home + "/"):
        name = "~" + name[len(home) :]
    if len(name) <= width:
        return name
    return "…" + name[-(width - 1) :]


def _goto_bindings() -> list[BindingType]:
    return [
        Binding(
            d.key_text,
            f"goto('{d.mode}')",
            d.label,
            show=False,
            id=d.binding_id,
            tooltip=d.goto,
        )
        for d in DESTINATIONS
    ]


class BillingApp(BillingAppBase):
    """tui-billing: recurring billing from the keyboard."""

    TITLE = "tui-billing"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set] = {ScreenCommands, RecordScreens}
    MODES: ClassVar[dict] = {d.mode: d.factory() for d in DESTINATIONS}
    DEFAULT_MODE = "due"
    BINDINGS: ClassVar[list[BindingType]] = [
        *_goto_bindings(),
        Binding(
            "question_mark",
            "show_keys",
            N_("Keys"),
            id="app.keys",
            tooltip=N_("Show every key of this screen, with its id for [keys]"),
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            N_("Commands"),
            show=False,
            id="app.command_palette",
            tooltip=N_("Find any action of this screen by name"),
        ),
        Binding(
            "ctrl+t",
            "change_theme",
            N_("Theme"),
            show=False,
            id="app.theme",
            tooltip=N_("Choose the colour theme"),
        ),
        Binding(
            "ctrl+o",
            "company",
            N_("Company"),
            show=False,
            id="app.company",
            tooltip=N_("Edit the company (seller) printed on every document"),
        ),
        Binding(
            "ctrl+q",
            "quit",
            N_("Quit"),
            show=False,
            id="app.quit",
            priority=True,
            tooltip=N_("Leave tui-billing"),
        ),
        Binding(
            "q", "quit", N_("Quit"), show=False, id="app.quit_q", tooltip=N_("Leave tui-billing")
        ),
    ]

    def __init__(
        self,
        db_target: str | None = None,
        config_path: Path | None = None,
        today: dt.date | None = None,
        *,
        config: Config | None = None,
    ) -> None:
        super().__init__()
        self.config = config or load_config(config_path)
        # the language first: every word the app and its screens show depends on it
        set_language(choose_language(self.config.ui.language))
        translate_bindings()
        # the app's own keys were copied from its class before they were translated
        self._bindings = self._merged_bindings.copy() if self._merged_bindings else self._bindings
        if self.config.keys:
            # refused before anything is opened or shown: an unknown id, a key that cannot
            # be, a key taken twice on one screen (a UserError: no start, exit status 2)
            check_keymap(self.config.keys, f"{self.config.path}: [keys]")
        self.db = open_database(db_target)
        # A seller still in the configuration file (older versions) is copied in once.
        self._company_note = adopt_config_company(
            self.db, self.config.company, str(self.config.path)
        )
        self.today = today or dt.date.today()
        self.set_reactive(BillingApp.reference_date, self.today)
        self.database_name = _short(describe(self.db))
        self._theme_problem: str | None = None
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        else:
            self._theme_problem = _("unknown theme {theme} in [tui] theme").format(
                theme=repr(self.config.theme)
            )
        if self.config.keys:
            self.set_keymap(self.config.keys)
        self._update_sub_title()

    # --- start --------------------------------------------------------------------

    def on_mount(self) -> None:
        if self._theme_problem:
            self.notify(self._theme_problem, severity="warning", timeout=10)
        if self._company_note:
            self.notify(self._company_note, timeout=15)

    def known_binding_ids(self) -> set[str]:
        """The ids of every binding of the app, its screens and widgets (installed ones)."""
        return binding_ids()

    def watch_reference_date(self) -> None:
        self._update_sub_title()

    def _update_sub_title(self) -> None:
        self.sub_title = f"{display.day(self.reference_date)} · {self.database_name}"

    # --- navigation ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "goto" and parameters:
            destination = BY_MODE.get(str(parameters[0]))
            return destination is not None and destination.available()
        return True

    async def action_goto(self, mode: str) -> None:
        """Show the screen of ``mode`` (made on first use), and let it refresh its data."""
        destination = BY_MODE.get(mode)
        if destination is None or not destination.available():
            self.notify(
                _("{mode}: this screen is not installed").format(mode=mode), severity="warning"
            )
            return
        if mode == self.current_mode:
            return
        first = mode not in self._screen_stacks
        await self.switch_mode(mode)
        screen = self.screen  # the mode's screen, or one opened over it
        self._ensure_chrome(screen)
        if not first and isinstance(screen, BillingScreen):
            screen.refresh_data()

    async def action_pop_screen(self) -> None:
        """Close the top screen; a screen that is the base of its mode has none beneath it
        to go back to, so it stays (Textual would raise)."""
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def _ensure_chrome(self, screen: Any) -> None:
        """Give a screen that lacks them the header, navigation line and footer."""
        if not screen.query(Header):
            screen.mount(Header(icon=""))
        if not screen.query(NavBar):
            screen.mount(NavBar())
        if not screen.query(Footer):
            screen.mount(Footer(compact=True))

    async def _on_key(self, event: events.Key) -> None:
        """A character that reaches the app while a field has the focus was typed before
        the focus moved there (keys come faster than screens change): it goes to the field,
        so that ``/rossi`` or ``c`` then a date typed at once lose nothing. A character
        typed on another form control (a checkbox, a choice, a button) runs no binding:
        digits and letters never switch screens or act from a form (F-keys, Ctrl+digit
        and ``?`` still do)."""
        focused = self.screen.focused
        if isinstance(focused, Input) and event.is_printable and event.character:
            event.prevent_default()  # App._on_key (bindings) is not run for it
            focused.post_message(events.Key(event.key, event.character))
        elif (
            typing_into(focused)
            and event.is_printable
            and event.character
            and event.character.isalnum()
        ):
            event.prevent_default()

    def on_descendant_focus(self) -> None:
        """The navigation line names F-keys while a field has the focus, digits otherwise."""
        for bar in self.screen.query(NavBar):
            bar.refresh()

    def on_descendant_blur(self) -> None:
        self.on_descendant_focus()

    # --- Textual's own words, in the language in use -----------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's system commands (quit, theme, keys...) in the language in use."""
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the language in use."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
            )

    def search_themes(self) -> None:
        """The theme picker, its prompt in the language in use."""
        self.push_screen(
            CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…"))
        )

    def action_company(self) -> None:
        from tui_billing.tui.screens.company_form import CompanyFormScreen

        def saved(missing: list[str] | None) -> None:
            if missing:
                self.notify(
                    _("company saved; to issue documents it still needs: {missing}").format(
                        missing=", ".join(missing)
                    ),
                    severity="warning",
                    timeout=10,
                )
            elif missing is not None:
                self.notify(_("company saved"))

        if not isinstance(self.screen, CompanyFormScreen):
            self.push_screen(CompanyFormScreen(), saved)

    def action_show_keys(self) -> None:
        from tui_billing.tui.screens.keys import KeysScreen

        if not isinstance(self.screen, KeysScreen):
            self.push_screen(KeysScreen(self.screen))

    # --- errors -------------------------------------------------------------------

    def show_error(self, error: BaseException, *, title: str = "") -> str:
        """Notify the operator of ``error`` in one line; return the text."""
        text = error_text(error)
        self.notify(text, title=title, severity="error", timeout=10)
        return text

    def _handle_exception(self, error: Exception) -> None:
        """An error no handler caught ends the app (Textual stops the failing widget's
        message loop) with one line; the traceback goes to the error log, never to the
        screen. Under test Textual's own behaviour stays, so the test fails loudly."""
        if self.is_headless:
            super()._handle_exception(error)
            return
        self._return_code = 1
        self.exit(return_code=1, message=error_text(error))

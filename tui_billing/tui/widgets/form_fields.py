"""Form rows for the editing screens: a label, an input and the message that refuses it.

Each row is named after the interchange field it edits (``start_date``, ``unit_price``), so
a UserError whose path ends in that name is shown next to the right input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import NAMED, UNITS, Frequency
from tui_billing.domain.i18n import N_, _, pgettext
from tui_billing.domain.words import word

EVERY = "every"  # the frequency picker's choice for "every N units"
UNIT_WORDS = {"day": N_("days"), "week": N_("weeks"), "month": N_("months"), "year": N_("years")}
"""Each unit of "every N units" as the picker names it."""

FORM_CSS = """
FieldRow > .field-label { width: 16; color: $text-muted; }
FieldRow > .field-input { width: 26; }
FieldRow > .field-input.-wide { width: 36; }
FieldRow.-off > .field-label { color: $text-disabled; }
.form-section { height: 1; margin-top: 1; color: $text-muted; text-style: bold; }
FieldRow > FrequencyInput { width: 34; height: 1; }
FieldRow > .field-error { width: 1fr; color: $text-error; padding: 0 0 0 1; }
.form-message { color: $text-error; height: auto; }
FieldRow:focus-within > .field-label { color: $accent; text-style: bold; }
FieldRow.-invalid > .field-label { color: $text-error; text-style: bold; }
FieldRow Input.-textual-compact:focus { background: $accent 35%; }
FieldRow Select.-textual-compact:focus > SelectCurrent { background: $accent 35%; }
FieldRow Checkbox.-textual-compact:focus { background: $accent 35%; }
FieldRow Checkbox.-textual-compact:focus > .toggle--label { background: $accent 35%; }
"""


def error_row(rows: Iterable[FieldRow], path: str | None) -> FieldRow | None:
    """The row a UserError's path is about: the row whose path is the longest tail of it
    (``line.index.share`` -> ``index.share``, before ``share``), else of its shorter
    prefixes (``line.steps[1].amount`` -> ``steps``); a part names its first row
    (``line.index`` -> ``index.series``)."""
    if not path:
        return None
    rows = list(rows)
    exact = {row.path: row for row in rows}
    parts = re.sub(r"\[\d+\]", "", path).split(".")
    for end in range(len(parts), 0, -1):
        for start in range(end):
            key = ".".join(parts[start:end])
            if key in exact:
                return exact[key]
            inside = next((row for row in rows if row.path.startswith(key + ".")), None)
            if inside is not None:
                return inside
    return None


class FrequencyInput(Horizontal):
    """A frequency: a named one, or every N days / weeks / months / years; or none."""

    DEFAULT_CSS = """
    FrequencyInput { height: 1; width: 34; }
    FrequencyInput > Select { width: 16; }
    FrequencyInput > Input { width: 6; }
    FrequencyInput > #unit { width: 12; }
    """

    def __init__(self, value: Any, *, blank: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id, classes="field-input")
        self._initial = value
        self._blank = pgettext("frequency", "none") if blank is None else blank

    @staticmethod
    def _parts(value: Any) -> tuple[str, str, str]:
        """(kind, every, unit) of a stored or typed frequency."""
        frequency = Frequency.parse(value) if value else None
        if frequency is None:
            return "", "", "month"
        if frequency.name is not None:
            return frequency.name, "", "month"
        return EVERY, str(frequency.every), frequency.unit

    def compose(self) -> ComposeResult:
        kind, every, unit = self._parts(self._initial)
        options = (
            [(self._blank, "")]
            + [(word("frequency", name), name) for name in NAMED]
            + [(_("every N…"), EVERY)]
        )
        yield Select(options, value=kind, allow_blank=False, compact=True, id="kind")
        yield Input(every, compact=True, id="every", placeholder="N", restrict=r"\d*", max_length=4)
        yield Select(
            [(_(UNIT_WORDS.get(u, u + "s")), u) for u in UNITS],
            value=unit,
            allow_blank=False,
            compact=True,
            id="unit",
        )

    def set_value(self, value: Any) -> None:
        kind, every, unit = self._parts(value)
        self.query_one("#kind", Select).value = kind
        self.query_one("#every", Input).value = every
        self.query_one("#unit", Select).value = unit

    def on_mount(self) -> None:
        self._enable()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "kind":
            self._enable()

    def _enable(self) -> None:
        every = self.query_one("#kind", Select).value == EVERY
        self.query_one("#every", Input).display = every
        self.query_one("#unit", Select).display = every

    @property
    def value(self) -> Any:
        """A name, ``{"every": "N", "unit": U}`` (the domain checks N), or None."""
        kind = self.query_one("#kind", Select).value
        if kind == EVERY:
            return {
                "every": self.query_one("#every", Input).value.strip() or "0",
                "unit": self.query_one("#unit", Select).value,
            }
        return kind or None

    def focus(self, scroll_visible: bool = True) -> FrequencyInput:
        self.query_one("#kind", Select).focus(scroll_visible)
        return self


class FieldRow(Horizontal):
    """``label  [input]  message``; the message appears when the value is refused.

    ``path`` is where its value goes (default ``name``): ``index.share`` puts it in the
    ``index`` part of the values, and errors about ``line.index.share`` come here."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    """

    def __init__(
        self,
        name: str,
        label: str,
        widget: Widget,
        *,
        tooltip: str = "",
        path: str | None = None,
        wide: bool = False,
    ) -> None:
        super().__init__(id=f"row-{name}")
        self.field_name = name
        self.path = path or name
        if wide:
            widget.add_class("-wide")
        self.label = label
        self.widget = widget
        self.widget.add_class("field-input")
        if tooltip:
            self.widget.tooltip = tooltip

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield self.widget
        yield Static("", classes="field-error")

    @property
    def value(self) -> Any:
        widget = self.widget
        if isinstance(widget, Checkbox):
            return widget.value
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, Input):
            return widget.value.strip()
        return widget.value  # type: ignore[attr-defined]

    def set_enabled(self, enabled: bool) -> None:
        """Off: the field is skipped by tab and its value is left out (None)."""
        self.widget.disabled = not enabled
        self.set_class(not enabled, "-off")

    def show_error(self, message: str | None) -> None:
        self.set_class(bool(message), "-invalid")
        error = self.query_one(".field-error", Static)
        error.update(message or "")
        error.set_class(bool(message), "-shown")  # the app hides an empty one


def text_input(value: Any, *, placeholder: str = "", suggestions: Iterable[str] = ()) -> Input:
    """A compact text input holding ``value`` (None shows as empty)."""
    words = list(suggestions)
    return Input(
        "" if value is None else str(value),
        placeholder=placeholder,
        compact=True,
        suggester=SuggestFromList(words, case_sensitive=False) if words else None,
    )


def date_input(value: Any) -> Input:
    return text_input(value, placeholder=_("YYYY-MM-DD"))


def choice_input(
    value: str | None,
    choices: Iterable[str],
    *,
    blank: str | None = None,
    words: str | None = None,
) -> Select:
    """A choice among ``choices``; with ``blank``, also that label for no value (None).
    With ``words`` (a kind of :func:`~tui_billing.domain.words.word`), each code is shown
    as the word of the language in use; the value stays the code."""
    options = [(word(words, c) if words else c, c) for c in choices]
    if blank is not None:
        options.insert(0, (blank, ""))
    return Select(options, value=value or "", allow_blank=False, compact=True)


class YesNo(Checkbox):
    """A checkbox that also says its state in words (readable in any colour scheme)."""

    def __init__(self, value: bool) -> None:
        super().__init__(_("yes") if value else _("no"), bool(value), compact=True)

    def watch_value(self) -> None:
        super().watch_value()
        self.label = _("yes") if self.value else _("no")


def check_input(value: bool | None) -> Checkbox:
    """A yes/no box; None (not set) is no."""
    return YesNo(bool(value))


class FormMixin:
    """Reading the rows of a form and showing the message of a refused value.

    A form that makes its fields after a read (``ready`` False until they are mounted, as
    :class:`~tui_billing.tui.screens.contract_form.FormScreen` does) loses no key typed
    meanwhile: the characters are kept, and typed into the first field that takes the
    focus once the fields are there (a digit never switches screens from it)."""

    _early_keys: list[tuple[str, str | None]] | None = None
    _fields_focused = False

    def _waiting_for_fields(self) -> bool:
        return getattr(self, "ready", True) is False

    def on_key(self, event: events.Key) -> None:
        if self._waiting_for_fields() and event.is_printable and event.character:
            event.stop()  # neither a binding of the app (digits) nor lost
            event.prevent_default()
            if self._early_keys is None:
                self._early_keys = []
            self._early_keys.append((event.key, event.character))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The first field focused once the fields are mounted gets the keys typed early
        (the values shown before them are what leaving the form compares with)."""
        if self._fields_focused or self._waiting_for_fields():
            return
        if not any(isinstance(node, FieldRow) for node in event.widget.ancestors):
            return
        self._fields_focused = True
        remember = getattr(self, "remember_values", None)
        if remember is not None:
            remember()
        keys, self._early_keys = self._early_keys or [], None
        for key, character in keys:
            event.widget.post_message(events.Key(key, character))

    def rows(self) -> dict[str, FieldRow]:
        return {row.field_name: row for row in self.query(FieldRow)}  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """Each row's value at its path (``index.share`` nested in ``index``); None for a
        row that is off."""
        values: dict[str, Any] = {}
        for row in self.rows().values():
            *parts, last = row.path.split(".")
            place = values
            for part in parts:
                place = place.setdefault(part, {})
            place[last] = None if row.widget.disabled else row.value
        return values

    def clear_errors(self) -> None:
        for row in self.rows().values():
            row.show_error(None)
        for message in self.query(".form-message"):  # type: ignore[attr-defined]
            message.update("")

    def show_error(self, error: UserError) -> None:
        """Put ``error`` next to its field (focused), else in the form's message line."""
        self.clear_errors()
        row = error_row(self.rows().values(), error.path)
        if row is not None:
            row.show_error(error.message)
            row.widget.focus()
            return
        messages = self.query(".form-message")  # type: ignore[attr-defined]
        if messages:
            messages.first().update(str(error))
        else:
            self.notify(str(error), severity="error")  # type: ignore[attr-defined]

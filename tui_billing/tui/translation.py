"""The words of the keys: every binding's description and tooltip in the language in use.

Textual keeps each widget class's bindings, merged with its bases', on the class. They are
written in English (marked with ``N_``) and translated here, once the language is chosen
and before the app is made: :func:`translate_bindings` recomputes every class's merged
bindings from its own ``BINDINGS`` (so it may run again after a change of language).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

import tui_billing.tui
from tui_billing.domain.i18n import _


def import_all_widgets() -> None:
    """Import every module of the TUI, so that each widget class exists before its
    bindings are translated (some screens are imported only when first opened)."""
    for module in pkgutil.walk_packages(tui_billing.tui.__path__, "tui_billing.tui."):
        importlib.import_module(module.name)


def _classes(root: type[DOMNode]) -> list[type[DOMNode]]:
    seen: list[type[DOMNode]] = []
    pending = [root]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                pending.append(sub)
    return seen


def translated(binding: Binding) -> Binding:
    """``binding`` with its description and tooltip in the language in use."""
    return replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    )


def translate_bindings() -> None:
    """Give the bindings of every widget class (Textual's own included) the words of the
    language in use."""
    import_all_widgets()
    for cls in _classes(DOMNode):
        merged = cls._merge_bindings()
        cls._merged_bindings = BindingsMap.from_keys(
            {
                key: [translated(b) for b in bindings]
                for key, bindings in merged.key_to_bindings.items()
            }
        )

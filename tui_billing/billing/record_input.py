"""Values typed in a record form, put in the form an import reads: empty text is no value,
``1.234,50`` a plain number; then read by the import's own reader, unknown fields refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tui_billing.domain.parsing import Reader
from tui_billing.output.csv_import import plain_number


def typed_values(values: Mapping[str, Any], numeric: frozenset[str]) -> dict[str, Any]:
    """``values`` as typed, in the interchange form (text stripped, empty text left out)."""
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
            if key in numeric:
                value = plain_number(value)
        if value is not None:
            clean[key] = value
    return clean


def read_record(
    values: Mapping[str, Any],
    path: str,
    read: Callable[[Reader], dict[str, Any]],
    numeric: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """One record validated by the import's ``read`` function; a field no reader asked
    for is refused, naming it (``article.colour: unknown field``)."""
    reader = Reader(typed_values(values, numeric), path, typed_text=True)
    record = read(reader)
    reader.refuse_unknown()
    return record


__all__ = ["read_record", "typed_values"]

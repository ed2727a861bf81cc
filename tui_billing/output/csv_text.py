"""Reading the rows of a spreadsheet export safely: the separator sniffed (``,``, ``;`` or
tab), each cell capped, and whatever the csv module cannot read refused naming the row."""

from __future__ import annotations

import csv
import io
from typing import Any

from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _

#: The longest cell accepted (a description is at most 1,000 characters).
MAX_CELL = 10_000


def table(text: str, source: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header's names (stripped) and each data row as (row number, cells), the header
    being row 1. A cell over :data:`MAX_CELL` characters, a NUL byte or a quote left open
    refuses the file with an error naming the row."""
    body = text.lstrip("\ufeff")
    try:
        dialect: Any = csv.Sniffer().sniff(body[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(body), dialect=dialect)
    rows: list[tuple[int, list[str]]] = []
    number = 1
    try:
        header = next(reader, [])
        _check_cells(header, source, number)
        for number, cells in enumerate(reader, start=2):
            _check_cells(cells, source, number)
            rows.append((number, cells))
    except csv.Error as exc:
        where = f"{source} row {number + 1}"
        if "field larger than field limit" in str(exc):
            raise UserError(
                _("a cell is longer than {limit} characters").format(
                    limit=display.number(MAX_CELL)
                ),
                where,
            ) from None
        raise UserError(_("not readable as CSV: {reason}").format(reason=exc), where) from None
    names = [name.strip() for name in header]
    for i, name in enumerate(names):
        if name and name in names[:i]:
            raise UserError(
                _("column {name} is named twice").format(name=repr(name)), f"{source} row 1"
            )
    return names, rows


def _check_cells(cells: list[str], source: str, number: int) -> None:
    for position, cell in enumerate(cells, start=1):
        if len(cell) > MAX_CELL:
            raise UserError(
                _("cell {position} is longer than {limit} characters").format(
                    position=position, limit=display.number(MAX_CELL)
                ),
                f"{source} row {number}",
            )


def dict_rows(text: str, source: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Like :func:`table`, each row as column name -> stripped text; a row with more cells
    than the header names columns is refused, missing cells are empty."""
    names, rows = table(text, source)
    records = []
    for number, cells in rows:
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            raise UserError(
                _("more values than the first row names columns"), f"{source} row {number}"
            )
        cells = cells + [""] * (len(names) - len(cells))
        record = {}
        for position, (name, cell) in enumerate(zip(names, cells, strict=False), start=1):
            if not name:
                if cell.strip():
                    raise UserError(
                        _("a value in column {position}, which the first row does not name").format(
                            position=position
                        ),
                        f"{source} row {number}",
                    )
                continue
            record[name] = cell.strip()
        records.append((number, record))
    return names, records


__all__ = ["MAX_CELL", "dict_rows", "table"]

"""CSV import of customers and contracts (one row per contract line), for companies coming
from spreadsheets. Rows become an interchange document, so the same validation applies, and
errors name the CSV row and column."""

from __future__ import annotations

import json
import re
from typing import Any

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.typed_input import plain_number
from tui_billing.output.csv_text import dict_rows

CONTRACT_LINE_PREFIX = "line_"
#: Contract fields whose names start like a line column.
PREFIXED_CONTRACT_COLUMNS = frozenset({"line_display"})
NUMERIC_COLUMNS = {
    "payment_terms_days",
    "invoice_offset_days",
    "quantity",
    "unit_price",
    "vat_rate",
    "price",
    "purchase_price",
    "installment_amount",
    "late_interest_rate",
    "late_fee",
    "returned_item_fee",
}
_EVERY = re.compile(r"^(?:every\s+)?(\d+)\s+(day|week|month|year)s?$", re.IGNORECASE)


def sniff_rows(text: str, source: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a spreadsheet export (``,``, ``;`` or tab), as column -> stripped text;
    the first row must name the columns, ``required`` among them."""
    names, rows = dict_rows(text, source)
    missing = [c for c in required if c not in names]
    if missing:
        raise UserError(
            _("the first row must name the columns, including {columns}").format(
                columns=", ".join(f"'{c}'" for c in missing)
            ),
            source,
        )
    return [row for _number, row in rows]


def _rows(text: str, source: str) -> list[dict[str, str]]:
    return sniff_rows(text, source, ("code",))


#: A cell holding only this clears the field (its default, or none); an empty cell leaves
#: an existing record's field as it is.
CLEAR = "-"
_CLEARED = object()


def _value(column: str, text: str) -> Any:
    if text == "":
        return None
    if text == CLEAR:
        return _CLEARED
    column = column.removeprefix(CONTRACT_LINE_PREFIX)
    if column in NUMERIC_COLUMNS:
        return plain_number(text)
    if column in ("frequency", "price_period"):
        if text.startswith("{"):
            try:
                return json.loads(text)
            except (ValueError, RecursionError):
                return text
        match = _EVERY.match(text)
        if match:
            return {"every": int(match.group(1)), "unit": match.group(2).lower()}
    return text


def _record(row: dict[str, str], columns: list[str]) -> dict[str, Any]:
    """The non-empty cells of ``columns``; a cleared one as None (read as not given)."""
    record = {}
    for column in columns:
        value = _value(column, row.get(column, ""))
        if value is not None:
            record[column] = None if value is _CLEARED else value
    return record


def _located(exc: UserError, where: dict[str, tuple[int, str]], source: str) -> UserError:
    """Turn ``contracts[3].lines[0].unit_price`` into ``FILE row 7, column line_unit_price``."""
    path = exc.path or ""
    match = re.match(r"^(\w+\[\d+\](?:\.lines\[\d+\])?)(?:\.(\w+))?", path)
    if match and match.group(1) in where:
        row, prefix = where[match.group(1)]
        column = f"{prefix}{match.group(2)}" if match.group(2) else "code"
        return UserError(exc.message, f"{source} row {row}, column {column}")
    return UserError(exc.message, f"{source} ({path})" if path else source)


def customers_document(text: str, source: str) -> tuple[dict, dict]:
    rows = _rows(text, source)
    columns = list(rows[0]) if rows else []
    where = {f"customers[{i}]": (i + 2, "") for i in range(len(rows))}
    return {"customers": [_record(r, columns) for r in rows]}, where


def mandates_document(text: str, source: str) -> tuple[dict, dict]:
    """One mandate per row, every column of the interchange record (no partial rows)."""
    rows = sniff_rows(text, source, ("reference",))
    columns = list(rows[0]) if rows else []
    where = {f"mandates[{i}]": (i + 2, "") for i in range(len(rows))}
    return {"mandates": [_record(r, columns) for r in rows]}, where


def contracts_document(text: str, source: str) -> tuple[dict, dict]:
    """Rows with the same contract code are one contract; its columns may be repeated on
    each row or given on the first only; ``line_*`` columns describe one line each."""
    rows = _rows(text, source)
    columns = list(rows[0]) if rows else []
    line_columns = [
        c
        for c in columns
        if c.startswith(CONTRACT_LINE_PREFIX) and c not in PREFIXED_CONTRACT_COLUMNS
    ]
    contract_columns = [c for c in columns if c not in line_columns]
    contracts: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    where: dict[str, tuple[int, str]] = {}
    for number, row in enumerate(rows, start=2):
        code = row.get("code", "")
        if code not in index:
            index[code] = len(contracts)
            contracts.append({**_record(row, contract_columns), "lines": []})
            where[f"contracts[{index[code]}]"] = (number, "")
        contract = contracts[index[code]]
        line = {c[len(CONTRACT_LINE_PREFIX) :]: v for c, v in _record(row, line_columns).items()}
        if line:
            where[f"contracts[{index[code]}].lines[{len(contract['lines'])}]"] = (
                number,
                CONTRACT_LINE_PREFIX,
            )
            contract["lines"].append(line)
    return {"contracts": contracts}, where


def _stored_customers(codes: set[str]) -> dict[str, dict[str, Any]]:
    from tui_billing.output.interchange_export import export_document
    from tui_billing.store.models import Customer

    if not Customer.select().where(Customer.code.in_(sorted(codes))).exists():
        return {}
    return {c["code"]: c for c in export_document()["customers"] if c["code"] in codes}


def _stored_contracts(codes: set[str]) -> dict[str, dict[str, Any]]:
    from tui_billing.output.interchange_export import contract_record
    from tui_billing.store.models import Article, Contract, ContractLine, Customer

    found = list(Contract.select().where(Contract.code.in_(sorted(codes))))
    if not found:
        return {}
    customers: dict[int | None, str] = dict(Customer.select(Customer.id, Customer.code).tuples())
    articles: dict[int | None, str] = dict(Article.select(Article.id, Article.code).tuples())
    lines: dict[int, list[ContractLine]] = {}
    for line in (
        ContractLine.select()
        .where(ContractLine.contract.in_([k.id for k in found]))
        .order_by(ContractLine.position, ContractLine.id)
    ):
        lines.setdefault(line.contract_id, []).append(line)
    return {k.code: contract_record(k, customers, articles, lines.get(k.id, [])) for k in found}


def keep_stored_fields(records: list[dict[str, Any]], stored: dict[str, dict[str, Any]]) -> None:
    """Complete the records of existing codes with their stored fields, so that a partial
    spreadsheet changes only the cells it fills (``-`` clears one). A contract's lines are
    the file's rows when it has any, each completed from the stored line at its position;
    without any, the stored lines stay."""
    for record in records:
        old = stored.get(record.get("code"))  # type: ignore[arg-type]
        if old is None:
            continue
        lines = record.pop("lines", None)
        merged = {**old, **record}
        if lines:
            old_lines = old.get("lines", [])
            merged["lines"] = [
                {**(old_lines[i] if i < len(old_lines) else {}), **line}
                for i, line in enumerate(lines)
            ]
        record.clear()
        record.update(merged)


def import_csv(db: Any, kind: str, text: str, source: str, today: Any = None) -> Any:
    from tui_billing.output.interchange_write import import_data
    from tui_billing.store.transactions import write_transaction

    build = {
        "customers": customers_document,
        "contracts": contracts_document,
        "mandates": mandates_document,
    }[kind]
    document, where = build(text, source)
    try:
        with write_transaction(db):
            if kind == "mandates":
                return import_data(db, document, typed_text=True, today=today)
            records = document[kind]
            codes = {r["code"] for r in records if isinstance(r.get("code"), str)}
            load = _stored_customers if kind == "customers" else _stored_contracts
            keep_stored_fields(records, load(codes))
            return import_data(db, document, typed_text=True, today=today)
    except UserError as exc:
        raise _located(exc, where, source) from None

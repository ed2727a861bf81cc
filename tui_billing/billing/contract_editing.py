"""Editing contracts: create one, change its settings, installment plan and lines, activate,
suspend or close it. Every change is validated as an import is (the whole contract, so a
line never loses the frequency it bills by), written in one transaction or not at all, and
bumps the contract's revision: its installments not yet invoiced are recomputed, invoiced
ones are never touched.

Values come as an operator types them (text), keyed as in the interchange format; a bad
one raises UserError whose path names the field: ``contract.start_date``, or ``line.price``
for the line being edited.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from peewee import Database, fn

from tui_billing.billing.contract_terms import load_terms
from tui_billing.billing.economics_input import typed_economics
from tui_billing.billing.wording import _, shown
from tui_billing.domain.archived import refuse_archived_customer
from tui_billing.domain.billability import why_not_billable
from tui_billing.domain.economics_rules import KEYS as ECONOMICS_KEYS
from tui_billing.domain.economics_rules import check_index_series
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.lifecycle import check_renewal_index, first_end
from tui_billing.domain.parsing import Reader
from tui_billing.output.csv_import import NUMERIC_COLUMNS, plain_number
from tui_billing.output.interchange_export import contract_record
from tui_billing.output.interchange_read import read_contract
from tui_billing.output.interchange_write import (
    LINE_FIELDS,
    bump_revision,
    known_index_series,
    known_records,
)
from tui_billing.store.models import (
    Article,
    Contract,
    ContractLine,
    ContractTerm,
    Customer,
    Series,
)
from tui_billing.store.transactions import write_transaction

#: The contract fields an edit may change (the code is set once, the status by set_status).
CONTRACT_FIELDS = (
    "customer",
    "description",
    "start_date",
    "end_date",
    "frequency",
    "alignment",
    "year_end_cut",
    "timing",
    "invoice_offset_days",
    "prorate",
    "line_display",
    "one_off_with_first",
    "document_type",
    "series",
    "language",
    "payment_method",
    "iban",
    "cost_centre",
    "late_interest",
    "late_interest_rate",
    "late_grace_days",
    "late_fee",
    "returned_item_fee",
    "installment_amount",
    "installment_count",
    "cig",  # a public administration's contract: its CIG and CUP
    "cup",
    "duration",  # its life: duration, renewal, notice, price change at renewal
    "renewal",
    "renewal_duration",
    "notice_days",
    "renewal_price",
)
#: The fields of a contract line, as the interchange format names them (its economics as
#: their parts: index, steps, revenue, advance).
LINE_KEYS = (
    "article",
    *(name for name in LINE_FIELDS if name not in ("position", "economics")),
    *ECONOMICS_KEYS,
)
PATH = "contract"
LINE_PATH = "line"

# status -> the statuses it may be reached from
_TRANSITIONS = {
    "active": ("draft", "suspended"),
    "suspended": ("active",),
    "closed": ("draft", "active", "suspended"),
}


def current_record(contract_id: int) -> dict[str, Any]:
    """The contract as an interchange record, each line with its ``id`` too."""
    contract = _contract(contract_id)
    lines = list(
        ContractLine.select()
        .where(ContractLine.contract == contract_id)
        .order_by(ContractLine.position, ContractLine.id)
    )
    customers: dict[int | None, str] = (
        {contract.customer.id: contract.customer.code} if contract.customer else {}
    )
    articles: dict[int | None, str] = {
        a.id: a.code for a in Article.select(Article.id, Article.code)
    }
    record = contract_record(contract, customers, articles, lines)
    for line, row in zip(record["lines"], lines, strict=True):
        line["id"] = row.id
    return record


def _contract(contract_id: int) -> Contract:
    contract = Contract.get_or_none(Contract.id == contract_id)
    if contract is None:
        raise UserError(_("no contract with id {contract_id}").format(contract_id=contract_id))
    return contract


DATE_FIELDS = ("start_date", "end_date", "valid_from", "valid_to")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def _typed(key: str, value: Any) -> Any:
    """A value as an operator types it, in the interchange form: empty text is no value,
    ``31/12/2024`` a date, ``1.234,50`` a number."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if key in DATE_FIELDS:
        match = _DAY_FIRST.match(text)
        if match:
            day, month, year = match.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
    if key in NUMERIC_COLUMNS:
        return plain_number(text)
    return text


def _known_code(value: Any, codes: set[str]) -> Any:
    """``value`` spelled as the known code it matches regardless of case."""
    if isinstance(value, str) and value not in codes:
        for code in codes:
            if code.casefold() == value.casefold():
                return code
    return value


def _typed_line(line: Mapping[str, Any], index: int) -> dict[str, Any]:
    """Line ``index`` as typed, its economics too; errors named ``contract.lines[i].KEY``."""
    try:
        return typed_economics({k: _typed(k, v) for k, v in line.items()})
    except UserError as exc:
        raise UserError(exc.message, f"{PATH}.lines[{index}].{exc.path}") from None


def _validate(record: Mapping[str, Any], line_index: int | None = None) -> dict[str, Any]:
    """The record validated as an import validates it. Errors in line ``line_index`` are
    named ``line.FIELD``. The index series of the lines being written (that one, and new
    ones) must be kept here; the lines left as they are are not checked again."""
    customers, articles = known_records()
    known_series = {s.code for s in Series.select(Series.code)}
    series: set[str] = set()
    clean = {k: _typed(k, v) for k, v in record.items() if k != "lines"}
    clean["customer"] = _known_code(clean.get("customer"), customers)
    clean["series"] = _known_code(clean.get("series"), known_series)
    index_series = known_index_series()
    try:
        clean["lines"] = [_typed_line(line, i) for i, line in enumerate(record["lines"])]
        for line in clean["lines"]:
            line["article"] = _known_code(line.get("article"), set(articles))
            if isinstance(line.get("index"), dict):
                line["index"]["series"] = _known_code(line["index"].get("series"), index_series)
        values = read_contract(Reader(clean, PATH, typed_text=True), articles, customers, series)
        check_renewal_index(values["renewal_price"], index_series, PATH)
        for i, (typed, line) in enumerate(zip(record["lines"], values["lines"], strict=True)):
            if i == line_index or typed.get("id") is None:  # the lines being written
                check_index_series(line["economics"], index_series, f"{PATH}.lines[{i}]")
    except UserError as exc:
        prefix = f"{PATH}.lines[{line_index}]."
        if line_index is not None and exc.path and exc.path.startswith(prefix):
            raise UserError(exc.message, LINE_PATH + "." + exc.path[len(prefix) :]) from None
        raise
    if values["series"] not in known_series:
        raise UserError(
            _("unknown series {series!r} (known: {items})").format(
                series=values["series"], items=", ".join(sorted(known_series))
            ),
            f"{PATH}.series",
        )
    return values


def _write(contract: Contract, values: dict[str, Any], line_ids: list[int | None]) -> bool:
    """Make the stored contract and its lines equal to ``values``; lines are matched by id
    (``line_ids``, None for a new one) and the stored ones not listed are removed."""
    changed = False
    header = {k: values[k] for k in CONTRACT_FIELDS}
    customer = header.pop("customer")
    owner = Customer.get(Customer.code == customer) if customer else None
    if owner is not None and owner.archived and owner.id != contract.customer_id:
        refuse_archived_customer(owner.code, "contract", f"{PATH}.customer")
    header["customer_id"] = owner.id if owner is not None else None
    for key, value in header.items():
        if getattr(contract, key) != value:
            setattr(contract, key, value)
            changed = True
    if changed:
        contract.save()
    stored = {row.id: row for row in ContractLine.select().where(ContractLine.contract == contract)}
    articles = {a.code: a.id for a in Article.select(Article.id, Article.code)}
    for position, (line_id, line) in enumerate(zip(line_ids, values["lines"], strict=True)):
        wanted = {k: line[k] for k in LINE_FIELDS if k != "position"}
        wanted["position"] = position
        wanted["article_id"] = articles[line["article"]] if line["article"] else None
        row = stored.pop(line_id, None) if line_id is not None else None
        if row is None:
            ContractLine.create(contract=contract, **wanted)
            changed = True
            continue
        diff = {k: v for k, v in wanted.items() if getattr(row, k) != v}
        if diff:
            for key, value in diff.items():
                setattr(row, key, value)
            row.save()
            changed = True
    for row in stored.values():
        row.delete_instance()
        changed = True
    if changed:
        bump_revision(contract.id)
    return changed


def _line_ids(record: Mapping[str, Any]) -> list[int | None]:
    return [line.get("id") for line in record["lines"]]


def create_contract(db: Database, values: Mapping[str, Any]) -> int:
    """A new draft contract from ``values`` (a ``code`` and any contract fields, optionally
    ``lines``); returns its id."""
    record = {"code": values.get("code"), "status": "draft", "lines": [], **values}
    record["status"] = "draft"
    with write_transaction(db):
        checked = _validate(record)
        if Contract.get_or_none(Contract.code == checked["code"]) is not None:
            raise UserError(
                _("a contract {code!r} exists already").format(code=checked["code"]), f"{PATH}.code"
            )
        contract = Contract.create(code=checked["code"], status="draft")
        _write(contract, checked, [None] * len(checked["lines"]))
    return contract.id


def update_contract(db: Database, contract_id: int, changes: Mapping[str, Any]) -> bool:
    """Change contract fields (of :data:`CONTRACT_FIELDS`); returns whether anything
    changed."""
    unknown = sorted(set(changes) - set(CONTRACT_FIELDS))
    if unknown:
        raise UserError(_("cannot be changed here"), f"{PATH}.{unknown[0]}")
    with write_transaction(db):
        record = {**current_record(contract_id), **changes}
        if _derived_end(record, changes):
            record["end_date"] = None  # follows the new start or duration
        return _write(_contract(contract_id), _validate(record), _line_ids(record))


def _derived_end(record: Mapping[str, Any], changes: Mapping[str, Any]) -> bool:
    """Whether the stored end date came from the start and duration that ``changes``
    change (and the change leaves the end date alone): it is then computed again."""
    if not {"start_date", "duration"} & set(changes):
        return False
    contract = Contract.get(Contract.code == record["code"])
    if "end_date" in changes:  # a form sends every field: an end date typed anew counts
        typed = _typed("end_date", changes["end_date"])
        stored = contract.end_date.isoformat() if contract.end_date else None
        if typed != stored:
            return False
    if contract.duration is None or contract.start_date is None or contract.end_date is None:
        return False
    if ContractTerm.select().where(ContractTerm.contract == contract.id).exists():
        return False  # renewed: its end is the current term's
    return contract.end_date == first_end(
        contract.start_date, Frequency.parse(_frequency_value(contract.duration))
    )


def _frequency_value(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def add_line(db: Database, contract_id: int, values: Mapping[str, Any]) -> int:
    """Append a line to the contract; returns its id."""
    with write_transaction(db):
        record = current_record(contract_id)
        record["lines"].append({**{k: values.get(k) for k in LINE_KEYS}, "id": None})
        _write(
            _contract(contract_id), _validate(record, len(record["lines"]) - 1), _line_ids(record)
        )
        added: int = (
            ContractLine.select(fn.MAX(ContractLine.id))
            .where(ContractLine.contract == contract_id)
            .scalar()
        )
        return added


def update_line(db: Database, contract_id: int, line_id: int, values: Mapping[str, Any]) -> bool:
    """Change fields of one line (keys of :data:`LINE_KEYS`)."""
    unknown = sorted(set(values) - set(LINE_KEYS))
    if unknown:
        raise UserError(_("not a field of a line"), f"{LINE_PATH}.{unknown[0]}")
    with write_transaction(db):
        record = current_record(contract_id)
        index = _line_index(record, line_id)
        record["lines"][index] = {**record["lines"][index], **values}
        return _write(_contract(contract_id), _validate(record, index), _line_ids(record))


def remove_line(db: Database, contract_id: int, line_id: int) -> None:
    """Remove one line (what it has invoiced stays invoiced)."""
    with write_transaction(db):
        record = current_record(contract_id)
        del record["lines"][_line_index(record, line_id)]
        _write(_contract(contract_id), _validate(record), _line_ids(record))


def _line_index(record: Mapping[str, Any], line_id: int) -> int:
    for index, line in enumerate(record["lines"]):
        if line["id"] == line_id:
            return index
    raise UserError(
        _("contract {code} has no line with id {line_id}").format(
            code=record["code"], line_id=line_id
        )
    )


def set_status(db: Database, contract_id: int, status: str) -> None:
    """Activate, suspend or close a contract. Activating one that could not bill is refused
    with the reasons; suspending or closing drops its installments not yet invoiced."""
    allowed = _TRANSITIONS.get(status)
    if allowed is None:
        raise UserError(
            _("unknown status {status!r} (active, suspended or closed)").format(status=status),
            "status",
        )
    with write_transaction(db):
        contract = _contract(contract_id)
        if contract.status == status:
            return
        if contract.status not in allowed:
            raise UserError(
                _("a {status} contract cannot become {new_status}").format(
                    status=shown("status", contract.status), new_status=shown("status", status)
                ),
                f"{contract.code}.status",
            )
        if status == "active":
            terms = load_terms([contract_id])[contract_id]
            reasons = why_not_billable(replace(terms, status="active"))
            if reasons:
                raise UserError(
                    _("cannot be activated: {reasons}").format(reasons="; ".join(reasons)),
                    f"{contract.code}.status",
                )
        Contract.update(status=status).where(Contract.id == contract_id).execute()
        bump_revision(contract_id)


__all__ = [
    "CONTRACT_FIELDS",
    "LINE_KEYS",
    "add_line",
    "create_contract",
    "current_record",
    "remove_line",
    "set_status",
    "update_contract",
    "update_line",
]

"""Reading and validating an interchange document into plain records, before anything is
written: one bad record rejects the whole file with an error naming it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tui_billing.domain import display
from tui_billing.domain import vocabulary as V
from tui_billing.domain.economics_rules import check_index_series, read_line_economics
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.i18n import _
from tui_billing.domain.identifiers import check_iban
from tui_billing.domain.input_rules import DECIMAL_LIMIT, MAX_DAYS, check_email
from tui_billing.domain.late_interest import RULES as LATE_INTEREST_RULES
from tui_billing.domain.late_interest import check_late_terms
from tui_billing.domain.lifecycle import check_renewal_index, read_lifecycle, read_renewals
from tui_billing.domain.mandate_input import check_mandates, read_mandate
from tui_billing.domain.number_formats import series_formats
from tui_billing.domain.parsing import HugeNumber, Reader, parse_date
from tui_billing.domain.parties import read_company, read_contract_codes, read_customer_party
from tui_billing.domain.plans import MAX_INSTALLMENTS
from tui_billing.domain.vat_natures import checked_line_nature
from tui_billing.output.interchange_economics import SECTIONS as ECONOMICS_SECTIONS
from tui_billing.output.interchange_economics import read_index_series, read_revenue_figure

SECTIONS = (
    "company",
    "series",
    "customers",
    "articles",
    "contracts",
    "orders",
    *ECONOMICS_SECTIONS,
    "mandates",
)


@dataclass
class Document:
    """The validated content of an interchange file; each record a dict of column values."""

    series: list[dict[str, Any]] = field(default_factory=list)
    customers: list[dict[str, Any]] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    reference_date: str | None = None
    company: dict[str, Any] | None = None  # the seller; None: the file has none
    index_series: list[dict[str, Any]] = field(default_factory=list)
    revenue_figures: list[dict[str, Any]] = field(default_factory=list)
    mandates: list[dict[str, Any]] = field(default_factory=list)


#: How deep the interchange format nests (document, section, record, lines, line, steps,
#: step, frequency), with room to spare; anything deeper is refused before it is read.
MAX_DEPTH = 10


def _number(text: str) -> int | HugeNumber:
    """A JSON integer literal: too long a one (Python refuses 4,300 digits) is kept as text
    for the field that receives it to refuse."""
    return int(text) if len(text) <= 40 else HugeNumber(text)


def _decimal(text: str) -> Decimal | HugeNumber:
    """A JSON number with a point or an exponent, exactly; one too long, or beyond what a
    decimal holds (``1e999999999999999999999``), is kept as text for its field to refuse."""
    if len(text) > 40:
        return HugeNumber(text)
    try:
        return Decimal(text)
    except InvalidOperation:
        return HugeNumber(text)


class _DuplicateKey(Exception):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice (the first value would be lost) is refused."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return found


def loads(text: str, source: str = "input") -> Any:
    """Parse JSON exactly (numbers with a point or exponent as Decimal, never float) and
    refuse nesting deeper than the format needs, and a key given twice in one object."""
    try:
        data = json.loads(text, parse_float=_decimal, parse_int=_number, object_pairs_hook=_object)
    except _DuplicateKey as exc:
        raise UserError(
            _("not valid JSON: the key {key} is given twice in one object").format(
                key=repr(str(exc.args[0])[:40])
            ),
            source,
        ) from None
    except json.JSONDecodeError as exc:
        raise UserError(
            _("not valid JSON: {reason} (line {line}, column {column})").format(
                reason=exc.msg, line=exc.lineno, column=exc.colno
            ),
            source,
        ) from None
    except RecursionError:
        raise UserError(
            _("not valid JSON: nested deeper than {depth} levels").format(depth=MAX_DEPTH), source
        ) from None
    _check_depth(data, source)
    return data


def _check_depth(data: Any, source: str) -> None:
    """Refuse lists and objects nested more than :data:`MAX_DEPTH` deep (walked without
    recursion)."""
    level: list[Any] = [data] if isinstance(data, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise UserError(
                _("not valid JSON: nested deeper than {depth} levels").format(depth=MAX_DEPTH),
                source,
            )
        inner: list[Any] = []
        for node in level:
            values = node.values() if isinstance(node, dict) else node
            inner.extend(v for v in values if isinstance(v, dict | list))
        level = inner


def frequency_text(value: Any, path: str | None) -> str:
    """A frequency as stored: its name, or compact JSON for ``{"every": N, "unit": U}``."""
    parsed = Frequency.parse(value, path)
    as_json = parsed.to_json()
    return as_json if isinstance(as_json, str) else json.dumps(as_json, sort_keys=True)


def _unique(records: list[dict[str, Any]], section: str) -> None:
    seen: dict[str, int] = {}
    for i, rec in enumerate(records):
        if rec["code"] in seen:
            raise UserError(
                _("duplicate code {code} (also at {path})").format(
                    code=repr(rec["code"]), path=f"{section}[{seen[rec['code']]}]"
                ),
                f"{section}[{i}].code",
            )
        seen[rec["code"]] = i


def read_series(r: Reader) -> dict[str, Any]:
    """A series with the number format of each numbering class (fiscal ``format``;
    ``proforma_format`` and ``order_format``, null for the default PF-/ORD- ones)."""
    code = r.text("code")
    formats: dict[str, Any] = {
        "format": r.text("format", V.DEFAULT_SERIES_FORMAT),
        "proforma_format": r.optional_text("proforma_format"),
        "order_format": r.optional_text("order_format"),
    }
    series_formats(code, formats, r.path)
    return {"code": code, "description": r.text("description", "", multiline=False), **formats}


def read_customer(r: Reader) -> dict[str, Any]:
    iban = r.optional_text("iban")
    email = r.optional_text("email")
    record = {
        "code": r.text("code"),
        "name": r.text("name"),
        # Fiscal party (domain.parties); ``address`` is the old free-text field, split.
        **read_customer_party(r, r.optional_text("address")),
        "email": check_email(email, r.at("email")) if email else None,
        "payment_terms_days": r.integer("payment_terms_days", 30, minimum=0, maximum=MAX_DAYS),
        "iban": check_iban(iban, r.at("iban")) if iban else None,
        "payment_method": r.choice("payment_method", V.PAYMENT_METHODS, "bank_transfer"),
        "collective_billing": r.boolean("collective_billing", False),
        "language": r.choice("language", V.LANGUAGES, "it"),
    }
    # A withholding agent withholds a professional seller's ritenuta (art. 23 DPR 600/73):
    # by default a customer with a VAT number or a public administration, not a consumer.
    record["withholding_agent"] = r.boolean(
        "withholding_agent", bool(record["vat_number"]) or record["public_administration"]
    )
    # Archived: kept for its documents, hidden from the lists, no new contracts or orders.
    record["archived"] = r.boolean("archived", False)
    return record


def read_article(r: Reader) -> dict[str, Any]:
    return {
        "code": r.text("code"),
        "name": r.text("name"),
        "description": r.optional_text("description"),
        "category": r.optional_text("category"),
        "unit": r.optional_text("unit"),
        "price": r.decimal("price", 0),
        "purchase_price": r.decimal("purchase_price", None),
        "vat_rate": (rate := _vat(r, required=True)),
        "vat_nature": _nature(r, rate),
        "kind": r.choice("kind", V.ARTICLE_KINDS, "service"),
        "recurring": r.boolean("recurring", False),
    }


def _vat(r: Reader, *, required: bool = False) -> Any:
    rate = r.decimal("vat_rate", places=2) if required else r.decimal("vat_rate", None, places=2)
    if rate is not None and rate > 100:
        raise UserError(_("must be a percentage between 0 and 100"), r.at("vat_rate"))
    return rate


def _nature(r: Reader, rate: Any, inherited: str | None = None) -> str | None:
    """The line's VAT nature (``vat_nature``), checked against its rate; a line that takes
    its rate from its article takes the article's nature too."""
    return checked_line_nature(rate, r.raw("vat_nature", inherited), r.at("vat_nature"))


def _check_window(r: Reader, start: Any, end: Any, start_key: str, end_key: str) -> None:
    if start and end and end < start:
        raise UserError(
            _("{end_field} {end} is before {start_field} {start}").format(
                end_field=end_key, end=end, start_field=start_key, start=start
            ),
            r.at(end_key),
        )


def _line_basics(r: Reader, articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What every line has, a contract's or an order's: article, description, quantity,
    unit price (the article's when not given) and VAT rate."""
    article_code = r.optional_text("article")
    article = None
    if article_code is not None:
        article = articles.get(article_code)
        if article is None:
            raise UserError(
                _("unknown article {code}").format(code=repr(article_code)), r.at("article")
            )
    description = r.text("description", "") or (article["name"] if article else "")
    if not description:
        raise UserError(_("is required (no article to take it from)"), r.at("description"))
    unit_price = r.decimal("unit_price", None)
    if unit_price is None:
        if article is None:
            raise UserError(_("is required (no article to take it from)"), r.at("unit_price"))
        unit_price = article["price"]
    vat = _vat(r)
    quantity = r.decimal("quantity", 1)
    if quantity * unit_price >= DECIMAL_LIMIT:
        raise UserError(
            _("quantity x unit price must be less than {limit}").format(
                limit=display.number(DECIMAL_LIMIT)
            ),
            r.at("unit_price"),
        )
    rate = vat if vat is not None else (article["vat_rate"] if article else None)
    return {
        "article": article_code,
        "description": description,
        "quantity": quantity,
        "unit_price": unit_price,
        "vat_rate": rate,
        # a line that takes its rate from its article takes the article's nature too
        "vat_nature": _nature(
            r, rate, article.get("vat_nature") if article and vat is None else None
        ),
    }


def read_contract_line(r: Reader, articles: dict[str, dict[str, Any]], position: int) -> dict:
    basics = _line_basics(r, articles)
    valid_from, valid_to = r.date("valid_from", None), r.date("valid_to", None)
    _check_window(r, valid_from, valid_to, "valid_from", "valid_to")
    return {
        "position": position,
        **basics,
        "price_period": _frequency_text(r.frequency("price_period")),
        "recurring": r.boolean("recurring", True),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "frequency": _frequency_text(r.frequency("frequency")),
        "economics": read_line_economics(r, r.boolean("recurring", True)),
    }


def _frequency_text(frequency: Frequency | None) -> str | None:
    return None if frequency is None else frequency_text(frequency, None)


def read_contract(r: Reader, articles: dict, customers: set[str], series: set[str]) -> dict:
    customer = r.optional_text("customer")
    if customer is not None and customer not in customers:
        raise UserError(_("unknown customer {code}").format(code=repr(customer)), r.at("customer"))
    start, end = r.date("start_date", None), r.date("end_date", None)
    _check_window(r, start, end, "start_date", "end_date")
    frequency = r.frequency("frequency")
    iban = r.optional_text("iban")
    lines = [read_contract_line(lr, articles, i) for i, lr in enumerate(r.items("lines"))]
    for lr, line in zip(r.items("lines"), lines, strict=True):
        if line["vat_rate"] is None:
            raise UserError(_("is required (no article to take it from)"), lr.at("vat_rate"))
        if line["recurring"] and line["frequency"] is None and frequency is None:
            raise UserError(
                _("a recurring line needs a frequency (on it or on the contract)"),
                lr.at("frequency"),
            )
    amount, count = _installment_plan(r, lines, start, frequency)
    life = read_lifecycle(r, start, end)  # duration, renewal, notice, cancellation
    return {
        "code": r.text("code"),
        "customer": customer,
        "status": r.choice("status", V.CONTRACT_STATUSES, "draft"),
        "description": r.optional_text("description", multiline=False),
        "start_date": start,
        "frequency": _frequency_text(frequency),
        "alignment": r.choice("alignment", V.ALIGNMENTS, "start"),
        "year_end_cut": r.boolean("year_end_cut", False),
        "timing": r.choice("timing", V.TIMINGS, "advance"),
        "invoice_offset_days": r.integer(
            "invoice_offset_days", 0, minimum=-MAX_DAYS, maximum=MAX_DAYS
        ),
        "prorate": r.boolean("prorate", True),
        "line_display": r.choice("line_display", V.LINE_DISPLAYS, "single"),
        "one_off_with_first": r.boolean("one_off_with_first", False),
        "document_type": r.choice("document_type", V.DOCUMENT_TYPES, "invoice"),
        "series": _series_code(r, series),
        "language": r.choice("language", V.LANGUAGES, None),
        "payment_method": r.choice("payment_method", V.PAYMENT_METHODS, None),
        "iban": check_iban(iban, r.at("iban")) if iban else None,
        "cost_centre": r.optional_text("cost_centre"),
        **read_contract_codes(r),  # CIG, CUP
        **_late_payment_terms(r),
        "returned_item_fee": _returned_item_fee(r),
        "installment_amount": amount,
        "installment_count": count,
        **life,
        "renewals": read_renewals(r),
        "lines": lines,
    }


def _installment_plan(r: Reader, lines: list[dict], start: Any, frequency: Any) -> tuple:
    """The contract's installment plan: amount per installment and number of installments."""
    amount = r.decimal("installment_amount", None, places=2)
    count = None
    if r.raw("installment_count", None) is not None:
        count = r.integer("installment_count", minimum=1)
        if count > MAX_INSTALLMENTS:
            raise UserError(
                _("must be at most {maximum}").format(maximum=MAX_INSTALLMENTS),
                r.at("installment_count"),
            )
        if start is None or frequency is None:
            raise UserError(
                _("needs the contract's start date and frequency to count from"),
                r.at("installment_count"),
            )
    if amount is not None:
        recurring = [line for line in lines if line["recurring"]]
        if not recurring:
            raise UserError(
                _("needs a recurring line (for its description and VAT rate)"),
                r.at("installment_amount"),
            )
        if len({line["vat_rate"] for line in recurring}) > 1:
            raise UserError(
                _(
                    "one amount per installment has one VAT rate, but the recurring "
                    "lines have different ones"
                ),
                r.at("installment_amount"),
            )
    return amount, count


def _late_payment_terms(r: Reader) -> dict[str, Any]:
    """The contract's late-payment terms as stored: None where the default applies (no
    interest, no grace, no fee), so that exporting and importing again changes nothing."""
    rule = r.choice("late_interest", LATE_INTEREST_RULES, "none")
    terms = check_late_terms(
        rule,
        r.decimal("late_interest_rate", None, places=2),
        r.integer("late_grace_days", 0, minimum=0, maximum=MAX_DAYS),
        r.decimal("late_fee", None, places=2),
        r.path,
    )
    return {
        "late_interest": None if terms.rule == "none" else terms.rule,
        "late_interest_rate": terms.fixed_rate,
        "late_grace_days": terms.grace_days or None,
        "late_fee": terms.fee or None,
    }


def _returned_item_fee(r: Reader) -> Any:
    """The company's own fee per returned collection on this contract (None: the
    configured one, ``[returns] own_fee``)."""
    fee = r.decimal("returned_item_fee", None, places=2)
    if fee is not None and fee < 0:
        raise UserError(_("must not be negative"), r.at("returned_item_fee"))
    return fee


def _series_code(r: Reader, series: set[str]) -> str:
    code = r.text("series", "A")
    series.add(code)
    return code


def read_order(r: Reader, articles: dict, customers: set[str], series: set[str]) -> dict:
    customer = r.text("customer")
    if customer not in customers:
        raise UserError(_("unknown customer {code}").format(code=repr(customer)), r.at("customer"))
    lines = []
    for i, lr in enumerate(r.items("lines")):
        line = _line_basics(lr, articles)
        if line["vat_rate"] is None:
            raise UserError(_("is required (no article to take it from)"), lr.at("vat_rate"))
        lines.append(
            {
                "position": i,
                **line,
                "locked": lr.boolean("locked", False)
                if lr.raw("locked", None) is not None
                else None,
            }
        )
    return {
        "code": r.text("code"),
        "customer": customer,
        "date": r.date("date"),
        "status": r.choice("status", V.ORDER_STATUSES, "draft"),
        "description": r.optional_text("description", multiline=False),
        "series": _series_code(r, series),
        "lines": lines,
    }


def read_document(
    data: Any,
    known_customers: set[str],
    known_articles: dict[str, dict],
    known_contracts: frozenset[str] | set[str] = frozenset(),
    known_index_series: frozenset[str] | set[str] = frozenset(),
    *,
    typed_text: bool = False,
    today: dt.date | None = None,
) -> Document:
    """Validate a whole interchange object. ``known_*`` are what the database already has;
    a line may be indexed to a series of the database or of the file's ``index_series``.
    A key no reader knows, anywhere in the file, is refused naming it. ``typed_text``: the
    values come from spreadsheet cells (numbers and yes/no as words)."""
    if not isinstance(data, dict):
        raise UserError(_("the file must hold one JSON object with the sections as keys"))
    top = Reader(data, "", typed_text=typed_text)
    unknown = sorted(set(data) - set(SECTIONS) - {"reference_date"})
    if unknown:
        raise UserError(
            _("unknown section {name} (sections: {sections})").format(
                name=repr(unknown[0]), sections=", ".join(SECTIONS)
            ),
            unknown[0],
        )
    reference_date = top.raw("reference_date", None)
    doc = Document(
        reference_date=None
        if reference_date is None
        else parse_date(reference_date, "reference_date").isoformat()
    )
    company = top.child("company")  # its unknown fields refused with the others
    if company is not None:
        doc.company = read_company(company)
    doc.series = [read_series(r) for r in top.items("series")]
    _unique(doc.series, "series")
    doc.customers = [read_customer(r) for r in top.items("customers")]
    _unique(doc.customers, "customers")
    doc.articles = [read_article(r) for r in top.items("articles")]
    _unique(doc.articles, "articles")
    customers = known_customers | {c["code"] for c in doc.customers}
    articles = {**known_articles, **{a["code"]: a for a in doc.articles}}
    series = {s["code"] for s in doc.series}
    doc.contracts = [read_contract(r, articles, customers, series) for r in top.items("contracts")]
    _unique(doc.contracts, "contracts")
    doc.orders = [read_order(r, articles, customers, series) for r in top.items("orders")]
    _unique(doc.orders, "orders")
    doc.index_series = [read_index_series(r) for r in top.items("index_series")]
    _unique(doc.index_series, "index_series")
    contracts = set(known_contracts) | {k["code"] for k in doc.contracts}
    doc.revenue_figures = [read_revenue_figure(r, contracts) for r in top.items("revenue_figures")]
    doc.mandates = [
        read_mandate(r, customers, today or dt.date.today()) for r in top.items("mandates")
    ]
    for i, mandate in enumerate(doc.mandates):
        if mandate["contract"] is not None and mandate["contract"] not in contracts:
            raise UserError(
                _("unknown contract {code}").format(code=repr(mandate["contract"])),
                f"mandates[{i}].contract",
            )
    check_mandates(doc.mandates)
    top.refuse_unknown()
    index_series = set(known_index_series) | {s["code"] for s in doc.index_series}
    for i, contract in enumerate(doc.contracts):
        check_renewal_index(contract["renewal_price"], index_series, f"contracts[{i}]")
        for j, line in enumerate(contract["lines"]):
            check_index_series(line["economics"], index_series, f"contracts[{i}].lines[{j}]")
    declared = {s["code"] for s in doc.series}
    doc.series += [
        {"code": code, "description": "", "format": V.DEFAULT_SERIES_FORMAT, "implicit": True}
        for code in sorted(series - declared)
    ]
    return doc

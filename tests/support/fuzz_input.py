"""Fuzzing the entry paths: hypothesis strategies for interchange documents, contract and
customer spreadsheets and payment files (valid ones, then bent by a few mutations), and a
checker that feeds each to the command line and holds it to the promises: exit 0 or 2, no
traceback, nothing changed by a refusal, and what is accepted exports, re-imports into a
fresh database and exports the same. Used by the test suite and by bench/."""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.support.seller import SELLER

NASTY = [
    "",
    " ",
    "0",
    "-0.0",
    "-1",
    "1",
    "²",
    "١٢",
    "1e3",
    "1_000",
    "1,5",
    "1.234,50",
    "NaN",
    "2026-W05-3",
    "0001-01-01",
    "9999-12-31",
    "2199-12-31",
    "1970-01-01",
    "2024-02-30",
    "20240101",
    "31/12/2024",
    "\x00",
    "\x1b[2J",
    "a\r\nBcc: x@evil.example",
    "\u202eabc",
    "x" * 201,
    "y" * 1001,
    "99999999999999999999",
    "9223372036854775807",
    "true",
    "no",
    "si",
    "monthly",
    "fortnightly",
    '{"every": 0, "unit": "month"}',
    '{"every": 2, "unit": "week"}',
    "billing@acme.example",
    "a@b.example%0d%0aBcc:c@d.example",
    "-",
    "N6.3",
    "IT01234567897",
    "IT60X0542811101000000123456",
    "ＡＣＭＥ",
    "A/2026/0001",
]
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from(NASTY),
    st.text(max_size=12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(
        st.sampled_from(["every", "unit", "x"]), st.sampled_from([1, "month", 0]), max_size=2
    ),
)
UNKNOWN_KEYS = ["codice_destinatario", "vat_nature", "Code", "extra", "", "start_dat"]

CODES = st.sampled_from(["C1", "C2", "C3", "ACME", "c1"])
DATES = st.dates(
    min_value=__import__("datetime").date(2020, 1, 1),
    max_value=__import__("datetime").date(2027, 12, 31),
).map(lambda d: d.isoformat())
MONEY = st.decimals(min_value=0, max_value=5000, places=2).map(str)
FREQUENCIES = st.sampled_from(
    ["monthly", "quarterly", "annual", "bimonthly", {"every": 2, "unit": "week"}]
)
VAT = st.sampled_from(["22.00", "10.00", "4", "0"])


@st.composite
def documents(draw: Any) -> dict[str, Any]:
    """A valid interchange document: customers, articles, contracts and orders."""
    customers = draw(st.lists(CODES, max_size=3, unique=True))
    doc: dict[str, Any] = {
        "customers": [
            {
                "code": code,
                "name": draw(st.sampled_from(["Uno S.r.l.", "Due", "Tre & C."])),
                "payment_terms_days": draw(st.integers(0, 366)),
                "collective_billing": draw(st.booleans()),
                "email": draw(st.sampled_from([None, "billing@acme.example"])),
            }
            for code in customers
        ]
    }
    articles = draw(st.lists(st.sampled_from(["MAINT", "HOST"]), max_size=2, unique=True))
    doc["articles"] = [
        {"code": a, "name": a.title(), "price": draw(MONEY), "vat_rate": draw(VAT)}
        for a in articles
    ]
    contracts = []
    for code in draw(st.lists(st.sampled_from(["K-1", "K-2", "K-3"]), max_size=3, unique=True)):
        lines = [
            {
                "description": draw(st.sampled_from(["Canone", "Assistenza\ntecnica"])),
                "quantity": draw(st.sampled_from(["1", "2.5"])),
                "unit_price": draw(MONEY),
                "vat_rate": draw(VAT),
                "recurring": draw(st.booleans()),
            }
            for _ in range(draw(st.integers(1, 2)))
        ]
        start = draw(DATES)
        contracts.append(
            {
                "code": code,
                "customer": draw(st.sampled_from(customers)) if customers else None,
                "status": draw(st.sampled_from(["draft", "active"])),
                "start_date": start,
                "frequency": draw(FREQUENCIES),
                "series": draw(st.sampled_from(["A", "B"])),
                "invoice_offset_days": draw(st.integers(-366, 366)),
                "late_grace_days": draw(st.integers(0, 366)),
                "lines": lines,
            }
        )
    doc["contracts"] = contracts
    if customers:
        doc["orders"] = [
            {
                "code": "O-1",
                "customer": customers[0],
                "date": draw(DATES),
                "lines": [
                    {"description": "Fornitura", "unit_price": draw(MONEY), "vat_rate": "22.00"}
                ],
            }
        ]
    return doc


def _places(node: Any, path: tuple = ()) -> list[tuple]:
    """Every (container, key) of a document, depth first."""
    found = []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        found.append((node, key))
        found.extend(_places(value, (*path, key)))
    return found


@st.composite
def bent_documents(draw: Any) -> str:
    """A valid document bent by 0-3 mutations (a junk value, a key removed or added), as
    JSON text; now and then the text itself is cut or nested deep."""
    doc = copy.deepcopy(draw(documents()))  # drawn values may be shared: bend a copy
    for _ in range(draw(st.integers(0, 3))):
        places = _places(doc)
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["junk", "junk", "delete", "unknown"]))
        if action == "junk":
            container[key] = copy.deepcopy(draw(JUNK))
        elif action == "delete" and isinstance(container, dict):
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(UNKNOWN_KEYS))] = copy.deepcopy(draw(JUNK))
    text = json.dumps(doc)
    shape = draw(st.sampled_from(["as is"] * 12 + ["cut", "deep", "huge number"]))
    if shape == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif shape == "deep":
        text = '{"customers": ' + "[" * 5000 + "]" * 5000 + "}"
    elif shape == "huge number":
        text = text.replace("0", "9" * 5000, 1)
    return text


CUSTOMER_COLUMNS = [
    "code",
    "name",
    "email",
    "payment_terms_days",
    "collective_billing",
    "vat_number",
    "iban",
    "language",
    "bogus",
]
CONTRACT_COLUMNS = [
    "code",
    "customer",
    "status",
    "start_date",
    "frequency",
    "prorate",
    "invoice_offset_days",
    "line_description",
    "line_quantity",
    "line_unit_price",
    "line_vat_rate",
    "line_recurring",
    "line_display",
]
CELLS = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=8),
    MONEY,
    DATES,
    CODES,
    st.sampled_from(["K-1", "K-2", "Canone", "22", "1", "active", "monthly"]),
)


@st.composite
def spreadsheets(draw: Any) -> tuple[str, str]:
    """(kind, CSV text) of customers or contracts: chosen columns, 0-4 rows of cells."""
    kind = draw(st.sampled_from(["customers", "contracts"]))
    pool = CUSTOMER_COLUMNS if kind == "customers" else CONTRACT_COLUMNS
    columns = ["code", *draw(st.lists(st.sampled_from(pool[1:]), max_size=6, unique=True))]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(columns)
    for _ in range(draw(st.integers(0, 4))):
        writer.writerow(
            [
                draw(
                    CODES
                    if c == "code" and kind == "customers"
                    else st.sampled_from(["K-1", "K-2"])
                    if c == "code"
                    else CELLS
                )
                for c in columns
            ]
        )
    return kind, out.getvalue().replace("\x00", draw(st.sampled_from(["", "\x00"])))


PAYMENT_NUMBERS = st.sampled_from(["A/2025/0001", "A/2025/0002", "A/2025/0003", "Z/1/1", ""])


VALID_PAYMENT = st.fixed_dictionaries(
    {
        "invoice": st.sampled_from(["A/2025/0001", "A/2025/0002"]),
        "date": st.sampled_from(["2025-04-01", "2025-06-01", "2025-06-30"]),
        "amount": st.sampled_from(["1.00", "10.00", "2,50"]),
        "method": st.sampled_from([None, "bank_transfer", "cash"]),
        "reference": st.sampled_from([None, "CRO 1", "SDD-77"]),
    }
)
BENT_PAYMENT = st.fixed_dictionaries(
    {
        "invoice": PAYMENT_NUMBERS,
        "date": st.one_of(st.sampled_from(["2025-03-01", "2025-06-01"]), CELLS),
        "amount": st.one_of(st.sampled_from(["10.00", "100,50", "1220.00"]), CELLS, JUNK),
        "method": st.sampled_from([None, "bank_transfer", "cash", "", "wire"]),
        "reference": st.one_of(st.none(), st.sampled_from(NASTY)),
    }
)


@st.composite
def payment_files(draw: Any) -> tuple[str, str]:
    """(file name, text) of payments, CSV or JSON: valid rows, with a bent one now and
    then."""
    rows = draw(
        st.lists(st.one_of(VALID_PAYMENT, VALID_PAYMENT, BENT_PAYMENT), min_size=1, max_size=3)
    )
    if draw(st.booleans()):
        if draw(st.booleans()):
            rows[0][draw(st.sampled_from(UNKNOWN_KEYS))] = 1
        return "pay.json", json.dumps({"payments": rows})
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["invoice", "date", "amount", "method", "reference"])
    for row in rows:
        writer.writerow(
            [
                "" if row[k] is None else str(row[k])
                for k in ("invoice", "date", "amount", "method", "reference")
            ]
        )
    return "pay.csv", out.getvalue()


PAYMENTS_SETUP = {
    "company": SELLER,  # a run issues only with a complete seller
    "customers": [{"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}],
    "contracts": [
        {
            "code": "K-P",
            "customer": "ACME",
            "status": "active",
            "start_date": "2025-01-01",
            "frequency": "quarterly",
            "lines": [{"description": "Canone", "unit_price": "1000.00", "vat_rate": "22.00"}],
        }
    ],
}


class Checker:
    """Runs inputs through the command line in-process on one SQLite database and counts
    what happened; ``problems`` lists every broken promise."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.target = str(folder / "fuzz.sqlite")
        self.outcomes: Counter[str] = Counter()
        self.problems: list[str] = []
        self.with_payments = False
        self._empty = folder / "empty.sqlite"
        self.cli("export", target=str(self._empty))  # a migrated empty database to copy
        self._state = self._snapshot()

    def cli(self, *argv: str, target: str | None = None) -> tuple[int, str, str]:
        from tui_billing.cli.main import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--db", target or self.target, "--today", "2025-06-30", *argv])
        return int(code), out.getvalue(), err.getvalue()

    def _snapshot(self) -> str:
        exported = self.cli("export")[1]
        return exported + self.cli("payments", "--json")[1] if self.with_payments else exported

    def setup_payments(self) -> None:
        self.with_payments = True
        path = self.folder / "setup.json"
        path.write_text(json.dumps(PAYMENTS_SETUP))
        assert self.cli("import", str(path))[0] == 0
        assert self.cli("run", "--date", "2025-06-30", "--status", "issued", "--no-email")[0] == 0
        self._state = self._snapshot()

    def feed(self, kind: str, name: str, text: str, *command: str) -> None:
        path = self.folder / name
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        code, out, err = self.cli(*command, str(path))
        self.outcomes[f"{kind} exit {code}"] += 1
        if code not in (0, 2) or "Traceback" in err or "internal error" in err:
            self.problems.append(f"{kind}: exit {code}: {err.strip()[:300]} <- {text[:300]!r}")
            return
        if code == 2:
            if len(err.strip().splitlines()) != 1:
                self.problems.append(f"{kind}: not one line: {err[:300]!r}")
            if self._snapshot() != self._state:
                self.problems.append(f"{kind}: refused but changed: {text[:300]!r}")
                self._state = self._snapshot()
            return
        self._state = self._snapshot()
        if command[0] != "payments":
            self._round_trip(kind)

    def _round_trip(self, kind: str) -> None:
        exported = self._state
        fresh = str(self.folder / "fresh.sqlite")
        shutil.copyfile(self._empty, fresh)
        path = self.folder / "exported.json"
        path.write_text(exported, encoding="utf-8")
        code, _, err = self.cli("import", str(path), target=fresh)
        again = self.cli("export", target=fresh)[1] if code == 0 else ""
        Path(fresh).unlink(missing_ok=True)
        if code != 0 or again != exported:
            self.problems.append(f"{kind}: export does not re-import to itself: {err[:300]}")


def new_checker() -> Checker:
    return Checker(Path(tempfile.mkdtemp(prefix="fuzz-input-")))

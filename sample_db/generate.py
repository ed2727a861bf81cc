#!/usr/bin/env python3
"""Write the demo data set, ``sample_db/demo.json``, deterministically.

The file is one JSON object in the interchange format of
``spec/cli-and-interchange.md`` (sections ``customers``, ``articles``, ``contracts``,
``orders``) plus two extra top-level keys:

- ``series``: the numbering series ("sezionali") the contracts refer to;
- ``reference_date``: every date in the file is written relative to it; the
  application shifts all dates by the whole number of months between it and today,
  so that the demo always looks current.

Standard library only; ``random.Random`` with a fixed seed, so running the script
twice writes the same bytes.  Usage::

    python sample_db/generate.py [--output PATH]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import random
import re
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SEED = 20260115
REFERENCE_DATE = dt.date(2026, 1, 15)
DEFAULT_OUTPUT = Path(__file__).with_name("demo.json")

# The seller: complete, so that the demo issues documents an Italian company may send (a
# valid partita IVA and IBAN, a REA registration; every name and number is invented).
COMPANY = {
    "stamp_duty_charged": True,  # the imposta di bollo billed to the customer (N1 line)
    "name": "Servizi Tecnici Adriatici S.r.l.",
    "street": "Via dell'Industria 42",
    "postal_code": "60027",
    "city": "Osimo",
    "province": "AN",
    "country": "IT",
    "vat_number": "IT01234560017",
    "tax_code": "01234560017",
    "tax_regime": "RF01",
    "rea_office": "AN",
    "rea_number": "123456",
    "share_capital": "50000.00",
    "sole_shareholder": "SM",
    "liquidation": "LN",
    "iban": "IT60X0542811101000000123456",
    "phone": "071 7234567",
    "email": "amministrazione@servizi-adriatici.example",
    "pec": "servizi-adriatici@pec.example",
    # collecting: SEPA creditor identifier (check digits by EPC mod 97-10), bank BIC, SIA code
    "creditor_id": "IT04ZZZ0000012345678903",
    "bic": "BPPIITRRXXX",
    "sia_code": "A7K2P",
}

SERIES = [
    {"code": "A", "description": "Fatture ordinarie", "format": "{series}/{year}/{seq:04d}"},
    {
        "code": "B",
        "description": "Fatture servizi (sezionale B)",
        "format": "B-{seq:05d}/{year}",
    },
    # A pro-forma is no tax document: in every series it is numbered apart from the
    # invoices (PF-A/2026/0001), so it leaves no hole in their progressive numbers. The demo
    # keeps its pro-formas in a series of their own, with a pro-forma format of its own.
    {
        "code": "P",
        "description": "Fatture pro forma",
        "format": "P/{year}/{seq:04d}",
        "proforma_format": "PF/{year}/{seq:04d}",
    },
    # The annual maintenance contracts of the lifecycle showcase (K-0130..K-0135).
    {
        "code": "M",
        "description": "Contratti di manutenzione (sezionale M)",
        "format": "M/{year}/{seq:04d}",
    },
]

# --------------------------------------------------------------------------------------
# Check digits: partita IVA, codice fiscale, IBAN (CIN and ISO 13616 mod 97)
# --------------------------------------------------------------------------------------

# Values of the characters in odd positions (1st, 3rd, ...) for the codice fiscale
# check character and for the CIN of the Italian BBAN (the same table).
_ODD_VALUES = {
    "0": 1, "1": 0, "2": 5, "3": 7, "4": 9, "5": 13, "6": 15, "7": 17, "8": 19, "9": 21,
    "A": 1, "B": 0, "C": 5, "D": 7, "E": 9, "F": 13, "G": 15, "H": 17, "I": 19, "J": 21,
    "K": 2, "L": 4, "M": 18, "N": 20, "O": 11, "P": 3, "Q": 6, "R": 8, "S": 12, "T": 14,
    "U": 16, "V": 10, "W": 22, "X": 25, "Y": 24, "Z": 23,
}  # fmt: skip


def _even_value(char: str) -> int:
    """Value of a character in an even position: digits as such, letters A=0 .. Z=25."""
    return int(char) if char.isdigit() else ord(char) - ord("A")


def _odd_even_check(text: str) -> str:
    """The check letter shared by codice fiscale and CIN: odd/even tables, mod 26."""
    total = 0
    for position, char in enumerate(text, start=1):
        total += _ODD_VALUES[char] if position % 2 else _even_value(char)
    return chr(ord("A") + total % 26)


def piva_check_digit(first_ten: str) -> str:
    """Check digit of a partita IVA (the official Luhn-like algorithm)."""
    assert len(first_ten) == 10 and first_ten.isdigit()
    odd = sum(int(c) for c in first_ten[0::2])
    even = 0
    for c in first_ten[1::2]:
        doubled = int(c) * 2
        even += doubled - 9 if doubled > 9 else doubled
    return str((10 - (odd + even) % 10) % 10)


_MONTH_LETTERS = "ABCDEHLMPRST"


def _consonants(text: str) -> str:
    return "".join(c for c in text if c.isalpha() and c not in "AEIOU")


def _vowels(text: str) -> str:
    return "".join(c for c in text if c in "AEIOU")


def codice_fiscale(surname: str, name: str, birth: dt.date, female: bool, belfiore: str) -> str:
    """The 16-character codice fiscale of a person, with its check character."""
    surname, name = _ascii_upper(surname), _ascii_upper(name)
    part_surname = (_consonants(surname) + _vowels(surname) + "XXX")[:3]
    cons = _consonants(name)
    if len(cons) >= 4:
        part_name = cons[0] + cons[2] + cons[3]
    else:
        part_name = (cons + _vowels(name) + "XXX")[:3]
    day = birth.day + (40 if female else 0)
    body = (
        f"{part_surname}{part_name}{birth.year % 100:02d}"
        f"{_MONTH_LETTERS[birth.month - 1]}{day:02d}{belfiore}"
    )
    return body + _odd_even_check(body)


def iban_italy(abi: str, cab: str, account: str) -> str:
    """An Italian IBAN: CIN over ABI+CAB+account, then ISO 13616 mod-97 check digits."""
    assert len(abi) == 5 and len(cab) == 5 and len(account) == 12
    cin = _odd_even_check(abi + cab + account)
    bban = cin + abi + cab + account
    rearranged = bban + "IT00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    check = 98 - int(numeric) % 97
    return f"IT{check:02d}{bban}"


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def _ascii_upper(text: str) -> str:
    normalized = unicodedata.normalize("NFKD", text)
    return "".join(c for c in normalized if c.isalpha() and c.isascii()).upper()


def slugify(text: str) -> str:
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", normalized.lower()).strip("-")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of the month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def month_day(months_from_reference: int, day: int | str) -> dt.date:
    """A date in the month ``months_from_reference`` away from the reference month.

    ``day`` is a day of the month (clamped) or ``"end"`` for the last day.
    """
    first = add_months(REFERENCE_DATE.replace(day=1), months_from_reference)
    last = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=last if day == "end" else min(int(day), last))


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def money(value: Decimal | str) -> str:
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------------------
# Customers
# --------------------------------------------------------------------------------------

# city, province, candidate CAPs, ISTAT code of the province (digits 8-10 of a P.IVA)
CITIES = {
    "Milano": ("MI", ["20124", "20135", "20143", "20158"], "015"),
    "Sesto San Giovanni": ("MI", ["20099"], "015"),
    "Roma": ("RM", ["00144", "00185", "00197", "00128"], "058"),
    "Pomezia": ("RM", ["00071"], "058"),
    "Torino": ("TO", ["10128", "10138", "10156"], "001"),
    "Rivoli": ("TO", ["10098"], "001"),
    "Bologna": ("BO", ["40127", "40132", "40138"], "037"),
    "Castel Maggiore": ("BO", ["40013"], "037"),
    "Firenze": ("FI", ["50127", "50142"], "048"),
    "Scandicci": ("FI", ["50018"], "048"),
    "Napoli": ("NA", ["80142", "80143"], "063"),
    "Verona": ("VR", ["37135", "37138"], "023"),
    "Padova": ("PD", ["35127", "35129"], "028"),
    "Brescia": ("BS", ["25124", "25128"], "017"),
    "Desenzano del Garda": ("BS", ["25015"], "017"),
    "Bergamo": ("BG", ["24121", "24126"], "016"),
    "Genova": ("GE", ["16149", "16152"], "010"),
    "Bari": ("BA", ["70123", "70132"], "072"),
    "Modena": ("MO", ["41122", "41126"], "036"),
    "Sassuolo": ("MO", ["41049"], "036"),
    "Carpi": ("MO", ["41012"], "036"),
    "Fidenza": ("PR", ["43036"], "034"),
    "Vicenza": ("VI", ["36100"], "024"),
    "Bassano del Grappa": ("VI", ["36061"], "024"),
    "Conegliano": ("TV", ["31015"], "026"),
    "Reggio Emilia": ("RE", ["42122", "42124"], "035"),
    "Ancona": ("AN", ["60127", "60131"], "042"),
    "Perugia": ("PG", ["06128", "06132"], "054"),
    "Trento": ("TN", ["38121", "38123"], "022"),
    "Udine": ("UD", ["33100"], "030"),
    "Lecce": ("LE", ["73100"], "075"),
    "Como": ("CO", ["22100"], "013"),
    "Busto Arsizio": ("VA", ["21052"], "012"),
    "Prato": ("PO", ["59100"], "100"),
    "Vigevano": ("PV", ["27029"], "018"),
    "Venezia": ("VE", ["30172", "30174"], "027"),
}

STREETS = [
    "Via Roma", "Via Giuseppe Garibaldi", "Corso Vittorio Emanuele II", "Via dell'Industria",
    "Viale Europa", "Via Giuseppe Mazzini", "Via dell'Artigianato", "Via Camillo Cavour",
    "Via Alessandro Volta", "Via Leonardo da Vinci", "Viale della Repubblica",
    "Via Guglielmo Marconi", "Via dei Mille", "Via XX Settembre", "Via Enrico Fermi",
    "Piazza della Libertà", "Via Antonio Gramsci", "Via del Lavoro", "Via Galileo Galilei",
    "Viale Giacomo Matteotti", "Via San Francesco", "Via Nazionale", "Via Aldo Moro",
]  # fmt: skip

# (name, e-mail domain stem, city); sole traders carry their owner's personal data.
COMPANIES = [
    ("Rossi Impianti S.r.l.", "rossi-impianti", "Milano"),
    ("Termoidraulica Bianchi S.n.c. di Bianchi Marco & C.", "termoidraulica-bianchi", "Brescia"),
    ("Edil Costruzioni Orobiche S.p.A.", "edil-orobiche", "Bergamo"),
    ("Officine Meccaniche Gallo S.r.l.", "omgallo", "Torino"),
    ("Ristorante Da Mario S.a.s. di Conti Mario & C.", "ristorantedamario", "Roma"),
    ("Hotel Bellavista S.r.l.", "hotelbellavista-garda", "Desenzano del Garda"),
    ("Farmacia San Marco S.n.c.", "farmaciasanmarco-vr", "Verona"),
    ("Tipografia Marchetti S.n.c.", "tipografia-marchetti", "Bologna"),
    ("Logistica Adriatica S.p.A.", "logistica-adriatica", "Ancona"),
    ("Caseificio Val Padana S.r.l.", "caseificio-valpadana", "Fidenza"),
    ("Alimentari Fratelli Greco S.n.c.", "fratelligreco", "Bari"),
    ("Ceramiche Emiliane S.p.A.", "ceramiche-emiliane", "Sassuolo"),
    ("Serramenti Barbieri S.r.l.", "serramenti-barbieri", "Carpi"),
    ("Autofficina Lombardi S.a.s. di Lombardi Giorgio & C.", "autofficina-lombardi", "Napoli"),
    ("Clinica Veterinaria Santa Lucia S.r.l.", "vet-santalucia", "Firenze"),
    ("Tessitura Pratese S.p.A.", "tessiturapratese", "Prato"),
    ("Cantina Colli Euganei S.r.l.", "cantina-colli-euganei", "Padova"),
    ("Informatica Veneta S.r.l.", "informatica-veneta", "Vicenza"),
    ("Mobilificio De Luca S.n.c.", "mobilificio-deluca", "Conegliano"),
    ("Energy Club S.r.l.", "energyclub-genova", "Genova"),
    ("Studio Dentistico Fontana S.r.l.", "dentistafontana", "Como"),
    ("Trasporti Ferretti S.r.l.", "trasporti-ferretti", "Busto Arsizio"),
    ("Supermercati Pellegrini S.p.A.", "pellegrini-spesa", "Perugia"),
    ("Carrozzeria Santoro S.n.c.", "carrozzeria-santoro", "Lecce"),
    ("Elettromeccanica Rinaldi S.r.l.", "elettromeccanica-rinaldi", "Reggio Emilia"),
    ("Panificio Caruso S.a.s. di Caruso Antonio & C.", "panificio-caruso", "Pomezia"),
    ("Immobiliare Le Torri S.r.l.", "immobiliare-letorri", "Milano"),
    ("Hotel Dolomiti S.r.l.", "hoteldolomiti-trento", "Trento"),
    ("Agenzia Viaggi Mare Blu S.r.l.", "marebluviaggi", "Udine"),
    ("Scuola di Lingue Babel S.r.l.", "babel-lingue", "Rivoli"),
    ("Gioielleria Marini S.n.c.", "gioielleria-marini", "Bassano del Grappa"),
    ("Meccanica di Precisione Testa S.p.A.", "testa-meccanica", "Vigevano"),
    ("Poliambulatorio Salus S.r.l.", "poliambulatorio-salus", "Castel Maggiore"),
    ("Arredamenti Valentini S.a.s. di Valentini Sara & C.", "arredamenti-valentini", "Scandicci"),
    ("Birrificio Artigianale del Borgo S.r.l.", "birrificio-delborgo", "Sesto San Giovanni"),
    ("Residenza Villa Serena S.r.l.", "villaserena-rsa", "Venezia"),
]

# name, domain, city, (surname, name, birth date, female, Belfiore code of birthplace)
SOLE_TRADERS = [
    (
        "Studio Tecnico Ferrari Geom. Luca",
        "studioferrari",
        "Modena",
        ("Ferrari", "Luca", dt.date(1978, 4, 12), False, "F257"),
    ),
    (
        "Bar Centrale di Esposito Giulia",
        "barcentrale-napoli",
        "Napoli",
        ("Esposito", "Giulia", dt.date(1985, 9, 23), True, "F839"),
    ),
    (
        "Idraulica Colombo di Colombo Paolo",
        "idraulica-colombo",
        "Sesto San Giovanni",
        ("Colombo", "Paolo", dt.date(1969, 11, 3), False, "F205"),
    ),
    (
        "Ricci Francesca Consulenze Informatiche",
        "ricciconsulenze",
        "Bologna",
        ("Ricci", "Francesca", dt.date(1990, 2, 17), True, "A944"),
    ),
]

# ABI codes of real Italian banks (the accounts are invented).
BANKS = [
    "03069",
    "02008",
    "05034",
    "01030",
    "05696",
    "05387",
    "06230",
    "03104",
    "08327",
    "05584",
    "03032",
    "02008",
]
MAILBOXES = [
    "amministrazione",
    "fatture",
    "contabilita",
    "amministrazione",
    "ufficio.acquisti",
    "info",
]


def make_customers(rng: random.Random) -> list[dict]:
    entries: list[tuple] = [(name, dom, city, None) for name, dom, city in COMPANIES]
    # sole traders interleaved, so they do not all sit at the end of the list
    for offset, trader in zip((3, 12, 22, 33), SOLE_TRADERS, strict=True):
        entries.insert(offset, trader)
    collective = set(rng.sample(range(len(entries)), 8))
    used_pivas: set[str] = set()
    customers = []
    for index, (name, domain, city, person) in enumerate(entries):
        province, caps, office = CITIES[city]
        while True:
            body = f"{rng.randrange(2 * 10**5, 10**7):07d}{office}"
            piva = body + piva_check_digit(body)
            if piva not in used_pivas:
                used_pivas.add(piva)
                break
        tax_code = piva if person is None else codice_fiscale(*person)
        street = rng.choice(STREETS)
        number = rng.randint(1, 180)
        suffix = rng.choice(["", "", "", "", "/A", "/B"])
        address = f"{street} {number}{suffix}, {rng.choice(caps)} {city} ({province})"
        mailbox = "info" if person is not None else rng.choice(MAILBOXES)
        account = f"{rng.randrange(10**11):012d}"
        if rng.random() < 0.1:  # some banks write letters in the account number
            account = "CC" + account[2:]
        method = rng.choices(["bank_transfer", "sepa_direct_debit", "riba"], weights=[5, 3, 2])[0]
        customers.append(
            {
                "code": f"C{index + 1:03d}",
                "name": name,
                "vat_number": "IT" + piva,
                "tax_code": tax_code,
                "address": address,
                "email": f"{mailbox}@{domain}.example",
                "payment_terms_days": rng.choices([0, 30, 60, 90], weights=[2, 5, 3, 1])[0],
                "iban": iban_italy(
                    rng.choice(BANKS), f"{rng.randrange(10000, 99999):05d}", account
                ),
                "payment_method": method,
                "collective_billing": index in collective,
            }
        )
    # How each receives its e-invoices: most companies name their intermediary's
    # SdI recipient code, a few sole traders a PEC address; the rest leave it to the SdI
    # (CodiceDestinatario 0000000, the invoice in their reserved area).
    for index, customer in enumerate(customers):
        if index % 4 in (0, 1, 2) and not customer["tax_code"][:1].isalpha():
            customer["sdi_code"] = SDI_CODES[index % len(SDI_CODES)]
        elif customer["tax_code"][:1].isalpha() and index % 2 == 0:
            customer["pec"] = f"{customer['email'].split('@')[1].split('.')[0]}@pec.example"
    return customers


# Recipient codes of SdI intermediaries (7 letters or digits), as customers give them.
SDI_CODES = ("SUBM70N", "KRRH6B9", "M5UXCR1", "T04ZHR3", "USAL8PV", "W7YVJK9")


# --------------------------------------------------------------------------------------
# Articles
# --------------------------------------------------------------------------------------

# "basis" is the period the unit price naturally refers to (the line's price_period);
# it is not written to the file.
ARTICLES = [
    {
        "code": "MAN-CALD",
        "name": "Manutenzione caldaia e centrale termica",
        "description": (
            "Manutenzione ordinaria programmata di caldaia e centrale termica, "
            "analisi dei fumi e aggiornamento del libretto di impianto"
        ),
        "category": "Manutenzioni",
        "unit": "anno",
        "price": "480.00",
        "purchase_price": "290.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "annual",
    },
    {
        "code": "MAN-CALD-RES",
        "name": "Manutenzione caldaia residenziale",
        "description": (
            "Controllo e pulizia annuale di caldaia ad uso abitativo (IVA agevolata 10%)"
        ),
        "category": "Manutenzioni",
        "unit": "anno",
        "price": "140.00",
        "purchase_price": "80.00",
        "vat_rate": "10.00",
        "kind": "service",
        "recurring": True,
        "basis": "annual",
    },
    {
        "code": "MAN-ASC",
        "name": "Manutenzione ascensore",
        "description": (
            "Canone di manutenzione ordinaria dell'impianto elevatore, visite "
            "periodiche e reperibilità 24/7"
        ),
        "category": "Manutenzioni",
        "unit": "mese",
        "price": "95.00",
        "purchase_price": "52.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "monthly",
    },
    {
        "code": "MAN-ASC-COND",
        "name": "Manutenzione ascensore condominiale",
        "description": (
            "Manutenzione ordinaria di ascensore in edificio residenziale (IVA agevolata 10%)"
        ),
        "category": "Manutenzioni",
        "unit": "mese",
        "price": "85.00",
        "purchase_price": "47.00",
        "vat_rate": "10.00",
        "kind": "service",
        "recurring": True,
        "basis": "monthly",
    },
    {
        "code": "VERIF-ASC",
        "name": "Verifica periodica ascensore",
        "description": (
            "Verifica biennale dell'impianto da parte di organismo notificato (DPR 162/99)"
        ),
        "category": "Manutenzioni",
        "unit": "cad.",
        "price": "220.00",
        "purchase_price": "150.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": None,
    },
    {
        "code": "CTRL-ESTINT",
        "name": "Controllo estintori",
        "description": (
            "Sorveglianza e controllo semestrale degli estintori secondo UNI "
            "9994-1, prezzo per estintore"
        ),
        "category": "Antincendio",
        "unit": "pz",
        "price": "7.50",
        "purchase_price": "3.20",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "semiannual",
    },
    {
        "code": "ASS-SW",
        "name": "Assistenza software gestionale",
        "description": (
            "Canone di assistenza e aggiornamento del software gestionale, help "
            "desk telefonico e da remoto"
        ),
        "category": "Software",
        "unit": "mese",
        "price": "180.00",
        "purchase_price": "60.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "monthly",
    },
    {
        "code": "LIC-UTENTE",
        "name": "Licenza d'uso per utente",
        "description": "Canone di licenza d'uso del software gestionale, per utente nominale",
        "category": "Software",
        "unit": "utente/mese",
        "price": "24.00",
        "purchase_price": "9.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "monthly",
    },
    {
        "code": "ORE-ASS",
        "name": "Pacchetto ore assistenza tecnica",
        "description": "Ore di assistenza sistemistica on-site e da remoto, monte ore mensile",
        "category": "Servizi IT",
        "unit": "ora",
        "price": "55.00",
        "purchase_price": "30.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "monthly",
    },
    {
        "code": "HOSTING",
        "name": "Hosting sito web e posta",
        "description": "Spazio web, database, dieci caselle di posta e PEC, certificato SSL",
        "category": "Servizi IT",
        "unit": "anno",
        "price": "240.00",
        "purchase_price": "95.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "annual",
    },
    {
        "code": "BACKUP-CLOUD",
        "name": "Backup in cloud 500 GB",
        "description": "Backup remoto cifrato su data center in Italia, a blocchi da 500 GB",
        "category": "Servizi IT",
        "unit": "mese",
        "price": "39.00",
        "purchase_price": "14.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "monthly",
    },
    {
        "code": "NOL-MFP",
        "name": "Noleggio multifunzione A3",
        "description": (
            "Noleggio di stampante multifunzione A3 a colori, assistenza e ricambi inclusi"
        ),
        "category": "Noleggi",
        "unit": "mese",
        "price": "89.00",
        "purchase_price": "48.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "monthly",
    },
    {
        "code": "NOL-PIATT",
        "name": "Noleggio piattaforma aerea",
        "description": "Noleggio di piattaforma aerea articolata da 16 m, senza operatore",
        "category": "Noleggi",
        "unit": "giorno",
        "price": "145.00",
        "purchase_price": "70.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "daily",
    },
    {
        "code": "PULIZIE",
        "name": "Pulizia uffici",
        "description": (
            "Servizio di pulizia degli uffici e sanificazione dei servizi igienici,"
            " tre passaggi a settimana"
        ),
        "category": "Servizi",
        "unit": "settimana",
        "price": "165.00",
        "purchase_price": "110.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "weekly",
    },
    {
        "code": "TELESORV",
        "name": "Telesorveglianza allarme",
        "description": (
            "Collegamento dell'impianto di allarme alla centrale operativa h24 con "
            "pronto intervento"
        ),
        "category": "Sicurezza",
        "unit": "mese",
        "price": "35.00",
        "purchase_price": "15.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": True,
        "basis": "monthly",
    },
    {
        "code": "RIVISTA",
        "name": "Abbonamento rivista tecnica",
        "description": (
            'Abbonamento annuale alla rivista "Impianti & Manutenzione", 10 numeri '
            "(IVA 4% editoria)"
        ),
        "category": "Editoria",
        "unit": "anno",
        "price": "95.00",
        "purchase_price": "60.00",
        "vat_rate": "4.00",
        "kind": "goods",
        "recurring": True,
        "basis": "annual",
    },
    {
        "code": "INST-SETUP",
        "name": "Installazione e configurazione",
        "description": "Installazione, configurazione iniziale e collaudo (una tantum)",
        "category": "Servizi IT",
        "unit": "cad.",
        "price": "350.00",
        "purchase_price": "180.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": False,
        "basis": None,
    },
    {
        "code": "FORMAZ",
        "name": "Formazione utenti",
        "description": "Formazione in aula o da remoto sull'uso del software",
        "category": "Servizi IT",
        "unit": "ora",
        "price": "60.00",
        "purchase_price": "25.00",
        "vat_rate": "22.00",
        "kind": "service",
        "recurring": False,
        "basis": None,
    },
    {
        "code": "TONER",
        "name": "Kit toner CMYK",
        "description": (
            "Kit di toner originali ciano, magenta, giallo e nero per multifunzione A3"
        ),
        "category": "Materiali di consumo",
        "unit": "cad.",
        "price": "185.00",
        "purchase_price": "120.00",
        "vat_rate": "22.00",
        "kind": "goods",
        "recurring": False,
        "basis": None,
    },
]

ARTICLE_BY_CODE = {a["code"]: a for a in ARTICLES}
ARTICLE_FIELDS = [f for f in ARTICLES[0] if f != "basis"]


def make_articles() -> list[dict]:
    return [{f: a[f] for f in ARTICLE_FIELDS} for a in ARTICLES]


# --------------------------------------------------------------------------------------
# Contracts
# --------------------------------------------------------------------------------------

NAMED_MONTHS = {
    "monthly": 1, "bimonthly": 2, "quarterly": 3, "fourmonthly": 4, "semiannual": 6,
    "annual": 12,
}  # fmt: skip


def months_of(frequency: str | dict | None) -> int | None:
    """Length in months of a month-based frequency, else None."""
    if isinstance(frequency, str):
        return NAMED_MONTHS.get(frequency)
    if isinstance(frequency, dict):
        unit = frequency["unit"]
        if unit == "month":
            return frequency["every"]
        if unit == "year":
            return 12 * frequency["every"]
    return None


def line(
    article: str,
    *,
    quantity: str = "1",
    unit_price: str | None = None,
    price_period: str | dict | None = None,
    recurring: bool | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    frequency: str | dict | None = None,
    description: str | None = None,
) -> dict:
    art = ARTICLE_BY_CODE[article]
    return {
        "article": article,
        "description": description or art["name"],
        "quantity": quantity,
        "unit_price": money(unit_price or art["price"]),
        "price_period": price_period,
        "recurring": art["recurring"] if recurring is None else recurring,
        "valid_from": iso(valid_from),
        "valid_to": iso(valid_to),
        "vat_rate": art["vat_rate"],
        "frequency": frequency,
    }


def contract(
    number: int,
    customer: str,
    *,
    start: dt.date,
    frequency: str | dict,
    lines: list[dict],
    status: str = "active",
    end: dt.date | None = None,
    alignment: str = "start",
    year_end_cut: bool = False,
    timing: str = "advance",
    invoice_offset_days: int = 0,
    prorate: bool = True,
    line_display: str = "single",
    one_off_with_first: bool = False,
    document_type: str = "invoice",
    series: str = "A",
) -> dict:
    return {
        "code": f"K-{number:04d}",
        "customer": customer,
        "status": status,
        "start_date": iso(start),
        "end_date": iso(end),
        "frequency": frequency,
        "alignment": alignment,
        "year_end_cut": year_end_cut,
        "timing": timing,
        "invoice_offset_days": invoice_offset_days,
        "prorate": prorate,
        "line_display": line_display,
        "one_off_with_first": one_off_with_first,
        "document_type": document_type,
        "series": series,
        "lines": lines,
    }


def showcase_contracts(customers: list[str], collective: str) -> list[dict]:
    """Hand-written contracts: the examples of the spec and the seeds, and every option.

    Dates are relative to the reference month (2026-01): ``month_day(-6, 1)`` is the
    first of the month six months before it.  ``collective`` is a customer with
    collective billing: two of its contracts fall due on the same dates.
    """
    c = customers
    m = month_day
    return [
        # S2: quarterly from the 1st, monthly price (50 / month -> 150 / quarter), advance
        contract(1, c[0], start=m(-6, 1), frequency="quarterly",
                 lines=[line("MAN-ASC", unit_price="50.00", price_period="monthly",
                             description="Manutenzione ascensore - sede di via Roma")]),
        # A6: quarterly from 1 Nov with a cut at 31 Dec, restarting on 1 Jan
        contract(2, c[1], start=m(-2, 1), frequency="quarterly", year_end_cut=True,
                 lines=[line("TELESORV", price_period="monthly", quantity="2",
                             description="Telesorveglianza allarme - magazzino e uffici")]),
        # calendar quarters, first a stub from the 10th (10 Feb - 31 Mar)
        contract(3, c[2], start=m(-11, 10), frequency="quarterly", alignment="calendar",
                 lines=[line("ASS-SW", price_period="monthly"),
                        line("LIC-UTENTE", quantity="8", price_period="monthly")]),
        # S3 table: monthly in arrears, a line valid from two months later, fixed end
        contract(4, c[3], start=m(-2, 1), end=m(1, "end"), frequency="monthly",
                 timing="arrears",
                 lines=[line("NOL-MFP"),
                        line("BACKUP-CLOUD", valid_from=m(0, 1), price_period="monthly")]),
        # anchor on the 31st: periods start 31 Jan, 28/29 Feb, 31 Mar, 30 Apr ...
        contract(5, c[4], start=m(-12, 31), frequency="monthly",
                 lines=[line("NOL-MFP", unit_price="79.00",
                             description="Noleggio multifunzione A3 - sala riunioni")]),
        # month_end alignment, bimonthly, anchor mid-month
        contract(6, c[5], start=m(-10, 18), frequency="bimonthly", alignment="month_end",
                 lines=[line("MAN-ASC", price_period="monthly")]),
        # daily rent of a platform, in arrears, a short window around the reference date
        contract(7, c[6], start=m(-1, 22), end=m(1, 6), frequency="daily", timing="arrears",
                 lines=[line("NOL-PIATT", unit_price="130.00")]),
        # weekly cleaning, weekly price, in advance
        contract(8, c[7], start=m(-3, 6), frequency="weekly",
                 lines=[line("PULIZIE")]),
        # every 2 weeks, priced per week (measured in days)
        contract(9, c[8], start=m(-4, 3), frequency={"every": 2, "unit": "week"},
                 timing="arrears",
                 lines=[line("PULIZIE", unit_price="150.00", price_period="weekly",
                             description="Pulizia uffici - un passaggio settimanale")]),
        # every 15 days, daily price
        contract(10, c[9], start=m(-1, 5), end=m(2, 4), frequency={"every": 15, "unit": "day"},
                 lines=[line("NOL-PIATT", unit_price="120.00", price_period="daily")]),
        # every 2 years: the biennial lift inspection, anchored on 29 February
        contract(11, c[10], start=m(-23, 29), frequency={"every": 2, "unit": "year"},
                 lines=[line("VERIF-ASC")]),
        # every 6 months on calendar halves, price per extinguisher per semester
        contract(12, c[11], start=m(-8, 20), frequency={"every": 6, "unit": "month"},
                 alignment="calendar",
                 lines=[line("CTRL-ESTINT", quantity="24", price_period="semiannual")]),
        # one line per month on a quarterly invoice
        contract(13, c[12], start=m(-9, 1), frequency="quarterly", line_display="per_period",
                 lines=[line("ASS-SW", unit_price="150.00", price_period="monthly"),
                        line("ORE-ASS", quantity="2.5", price_period="monthly")]),
        # setup billed with the first installment; services series B
        contract(14, c[13], start=m(-1, 1), frequency="monthly", timing="arrears",
                 one_off_with_first=True, series="B",
                 lines=[line("INST-SETUP", description="Installazione e configurazione "
                             "server e postazioni"),
                        line("ASS-SW", price_period="monthly"),
                        line("LIC-UTENTE", quantity="5", price_period="monthly")]),
        # no proration: the calendar stub counts as a whole quarter
        contract(15, c[14], start=m(-7, 16), frequency="quarterly", alignment="calendar",
                 prorate=False,
                 lines=[line("MAN-ASC-COND", price_period="monthly")]),
        # semiannual in arrears, invoiced ten days after the period end
        contract(16, c[15], start=m(-14, 1), frequency="semiannual", timing="arrears",
                 invoice_offset_days=10,
                 lines=[line("CTRL-ESTINT", quantity="36")]),
        # four-monthly calendar blocks (Jan-Apr, May-Aug, Sep-Dec)
        contract(17, c[16], start=m(-13, 1), frequency="fourmonthly", alignment="calendar",
                 lines=[line("TELESORV", price_period="monthly")]),
        # annual from July, cut at year end: Jul-Dec, then calendar years
        contract(18, c[17], start=m(-18, 1), frequency="annual", year_end_cut=True,
                 lines=[line("HOSTING", price_period="annual"),
                        line("RIVISTA", quantity="2")]),
        # a line with its own frequency: monthly support, annual hosting on the same contract
        contract(19, c[18], start=m(-5, 1), frequency="monthly", series="B",
                 lines=[line("ASS-SW", price_period="monthly"),
                        line("HOSTING", frequency="annual", price_period="annual")]),
        # pro-forma instead of an invoice
        contract(20, c[19], start=m(-4, 1), frequency="quarterly", document_type="proforma",
                 series="P",
                 lines=[line("BACKUP-CLOUD", quantity="2", price_period="monthly"),
                        line("INST-SETUP", valid_from=m(-4, 8), unit_price="180.00",
                             description="Attivazione servizio e migrazione dati")]),
        # anchor on the 30th, month_end alignment of a quarterly schedule
        contract(21, c[20], start=m(-15, 30), frequency="quarterly", alignment="month_end",
                 timing="arrears",
                 lines=[line("MAN-CALD", price_period="annual")]),
        # a temporary extra line inside a validity window
        contract(22, c[21], start=m(-12, 1), frequency="monthly", alignment="calendar",
                 lines=[line("NOL-MFP"),
                        line("NOL-MFP", unit_price="69.00", valid_from=m(-6, 15),
                             valid_to=m(-2, 14),
                             description="Noleggio multifunzione A3 aggiuntiva - "
                                         "periodo di picco")]),
        # suspended, closed, draft
        contract(23, c[22], start=m(-20, 1), frequency="monthly", status="suspended",
                 lines=[line("TELESORV", price_period="monthly")]),
        contract(24, c[23], start=m(-28, 1), end=m(-5, "end"), frequency="quarterly",
                 status="closed", lines=[line("MAN-ASC", price_period="monthly")]),
        contract(25, c[24], start=m(-1, 1), frequency="annual", status="draft",
                 lines=[line("MAN-CALD", price_period="annual"),
                        line("INST-SETUP", description="Sopralluogo e messa in servizio")],
                 one_off_with_first=True),
        # collective billing: two contracts of one customer due on the same dates
        contract(26, collective, start=m(-8, 1), frequency="monthly",
                 lines=[line("NOL-MFP", quantity="2")]),
        contract(27, collective, start=m(-3, 1), frequency="monthly",
                 lines=[line("TELESORV", price_period="monthly"),
                        line("BACKUP-CLOUD", price_period="monthly")]),
    ]  # fmt: skip


# service kinds for the random contracts:
#   weight, main article choices, frequency choices (with weights), quantities,
#   optional extra lines: (article, mode, probability, quantities)
#   modes: "plain" (whole contract), "later" (valid_from after the start),
#          "window" (valid_from and valid_to), "oneoff" (recurring false)
KINDS = {
    "caldaia": (10, ["MAN-CALD", "MAN-CALD-RES"],
                [("annual", 6), ("semiannual", 3), ({"every": 6, "unit": "month"}, 1)],
                ["1", "1", "1", "2", "3"],
                [("INST-SETUP", "oneoff", 0.15, ["1"])]),
    "ascensore": (14, ["MAN-ASC", "MAN-ASC-COND"],
                  [("monthly", 3), ("bimonthly", 2), ("quarterly", 5), ("semiannual", 2),
                   ("fourmonthly", 1), ({"every": 4, "unit": "month"}, 1)],
                  ["1", "1", "1", "2"],
                  [("VERIF-ASC", "oneoff", 0.15, ["1"])]),
    "estintori": (9, ["CTRL-ESTINT"],
                  [("semiannual", 6), ({"every": 6, "unit": "month"}, 1), ("annual", 2)],
                  ["6", "8", "12", "15", "20", "24", "40", "60"],
                  [("CTRL-ESTINT", "window", 0.2, ["4", "6", "10"])]),
    "software": (16, ["ASS-SW"],
                 [("monthly", 5), ("quarterly", 4), ("fourmonthly", 1), ("annual", 2),
                  ("bimonthly", 1), ({"every": 3, "unit": "month"}, 2)],
                 ["1"],
                 [("LIC-UTENTE", "plain", 0.5, ["3", "4", "6", "10", "12", "25"]),
                  ("LIC-UTENTE", "later", 0.2, ["2", "3", "5"]),
                  ("ORE-ASS", "plain", 0.25, ["2", "2.5", "4", "7.5", "10"]),
                  ("INST-SETUP", "oneoff", 0.3, ["1"]),
                  ("FORMAZ", "oneoff", 0.2, ["4", "6", "8", "12.5"])]),
    "hosting": (10, ["HOSTING"],
                [("annual", 6), ("semiannual", 2), ("quarterly", 2)],
                ["1", "1", "2"],
                [("BACKUP-CLOUD", "later", 0.35, ["1", "2"]),
                 ("BACKUP-CLOUD", "plain", 0.2, ["1", "3"])]),
    "backup": (8, ["BACKUP-CLOUD"],
               [("monthly", 4), ("bimonthly", 1), ("quarterly", 3)],
               ["1", "2", "4"],
               [("INST-SETUP", "oneoff", 0.3, ["1"])]),
    "noleggio": (12, ["NOL-MFP"],
                 [("monthly", 5), ("quarterly", 4), ("bimonthly", 2)],
                 ["1", "1", "2", "3"],
                 [("TONER", "oneoff", 0.3, ["1", "2"]),
                  ("NOL-MFP", "window", 0.15, ["1"])]),
    "allarme": (9, ["TELESORV"],
                [("monthly", 3), ("bimonthly", 2), ("fourmonthly", 2), ("quarterly", 2),
                 ("annual", 1)],
                ["1", "1", "2"],
                [("INST-SETUP", "oneoff", 0.2, ["1"])]),
    "rivista": (3, ["RIVISTA"], [("annual", 1)], ["1", "1", "2", "3"], []),
}  # fmt: skip

SITES = [
    "sede",
    "sede legale",
    "magazzino",
    "stabilimento",
    "uffici",
    "punto vendita",
    "filiale",
    "laboratorio",
]


def vary_price(rng: random.Random, price: str) -> str:
    """A negotiated price near the list price, rounded to a plausible step."""
    base = Decimal(price)
    factor = Decimal(rng.randint(85, 115)) / 100
    step = Decimal("0.50") if base >= 20 else Decimal("0.05")
    value = (base * factor / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return money(value)


def random_dates(rng: random.Random, status: str) -> tuple[dt.date, dt.date | None]:
    """Start and end of a contract in the given status, relative to the reference date."""
    day_kind = rng.choices(["first", "mid", "end", "any"], weights=[12, 3, 1, 2])[0]

    def pick_day() -> int | str:
        if day_kind == "first":
            return 1
        if day_kind == "mid":
            return rng.choice([10, 15, 16, 20])
        if day_kind == "end":
            return rng.choice([29, 30, 31, "end"])
        return rng.randint(2, 28)

    if status == "closed":
        back = rng.randint(14, 30)
        start = month_day(-back, pick_day())
        duration = rng.choice([6, 9, 12, 12])
        while add_months(start, duration) > REFERENCE_DATE - dt.timedelta(days=20):
            duration -= 3
        return start, max(start, add_months(start, duration) - dt.timedelta(days=1))
    if status == "draft":
        start = month_day(-rng.randint(1, 3), pick_day())
        return start, rng.choice([None, add_months(start, 12) - dt.timedelta(days=1)])
    back = rng.randint(1, 30) if status == "active" else rng.randint(3, 24)
    start = month_day(-back, pick_day())
    end = None
    if rng.random() < 0.4:
        for duration in (12, 24, 36, 48):
            candidate = add_months(start, duration) - dt.timedelta(days=1)
            if candidate > REFERENCE_DATE:
                end = candidate
                break
    return start, end


def random_contract(rng: random.Random, number: int, customer: str, status: str) -> dict:
    kind = rng.choices(list(KINDS), weights=[k[0] for k in KINDS.values()])[0]
    _, mains, freqs, quantities, extras = KINDS[kind]
    frequency = rng.choices([f for f, _ in freqs], weights=[w for _, w in freqs])[0]
    months = months_of(frequency)
    start, end = random_dates(rng, status)

    alignments = ["start", "calendar", "month_end"]
    alignment = rng.choices(alignments, weights=[50, 32, 18])[0]
    if alignment == "calendar" and (months is None or 12 % months):
        alignment = "start"
    year_end_cut = alignment != "calendar" and rng.random() < 0.15
    timing = rng.choices(["advance", "arrears"], weights=[65, 35])[0]
    offset = rng.choices([0, 5, 10, 15, 30], weights=[80, 5, 6, 5, 4])[0]
    prorate = rng.random() >= 0.12
    document_type = "proforma" if rng.random() < 0.05 else "invoice"
    series = "B" if kind in ("software", "hosting", "backup") and rng.random() < 0.4 else "A"
    if document_type == "proforma":
        series = "P"

    site = rng.choice(SITES)
    main = rng.choice(mains)
    art = ARTICLE_BY_CODE[main]

    def price_period_for(article: str) -> str | dict | None:
        basis = ARTICLE_BY_CODE[article]["basis"]
        if basis == frequency and rng.random() < 0.5:
            return None  # the default: the price is per installment
        return basis

    lines = [
        line(
            main,
            quantity=rng.choice(quantities),
            unit_price=vary_price(rng, art["price"]),
            price_period=price_period_for(main),
            description=f"{art['name']} - {site}" if rng.random() < 0.4 else None,
        )
    ]
    for article, mode, probability, qtys in extras:
        if rng.random() >= probability:
            continue
        unit_price = vary_price(rng, ARTICLE_BY_CODE[article]["price"])
        quantity = rng.choice(qtys)
        if mode == "oneoff":
            when = None
            if rng.random() < 0.6:
                when = start + dt.timedelta(days=rng.randint(0, 20))
                if end is not None:
                    when = min(when, end)
            lines.append(
                line(
                    article,
                    quantity=quantity,
                    unit_price=unit_price,
                    recurring=False,
                    valid_from=when,
                )
            )
        elif mode == "plain":
            lines.append(
                line(
                    article,
                    quantity=quantity,
                    unit_price=unit_price,
                    price_period=price_period_for(article),
                )
            )
        else:
            limit = min(end or REFERENCE_DATE, REFERENCE_DATE + dt.timedelta(days=60))
            span = max(1, (limit.year - start.year) * 12 + limit.month - start.month)
            valid_from = add_months(start, rng.randint(1, span)) if span > 1 else start
            valid_from = min(valid_from, end) if end else valid_from
            valid_to = None
            if mode == "window":
                valid_to = add_months(valid_from, rng.randint(2, 6)) - dt.timedelta(days=1)
                if end is not None:
                    valid_to = min(valid_to, end)
            extra = " - integrazione temporanea" if mode == "window" else " - aggiuntivo"
            lines.append(
                line(
                    article,
                    quantity=quantity,
                    unit_price=unit_price,
                    price_period=price_period_for(article),
                    valid_from=valid_from,
                    valid_to=valid_to,
                    description=ARTICLE_BY_CODE[article]["name"] + extra,
                )
            )
    lines = lines[:4]

    has_one_off = any(not ln["recurring"] for ln in lines)
    one_off_with_first = has_one_off and rng.random() < 0.5
    if one_off_with_first:
        for ln in lines:
            if not ln["recurring"]:
                ln["valid_from"] = None
    finer = any(
        ln["price_period"] is not None
        and months_of(ln["price_period"]) is not None
        and months is not None
        and months_of(ln["price_period"]) < months
        for ln in lines
    )
    line_display = "per_period" if finer and rng.random() < 0.3 else "single"

    return contract(
        number,
        customer,
        start=start,
        end=end,
        frequency=frequency,
        lines=lines,
        status=status,
        alignment=alignment,
        year_end_cut=year_end_cut,
        timing=timing,
        invoice_offset_days=offset,
        prorate=prorate,
        line_display=line_display,
        one_off_with_first=one_off_with_first,
        document_type=document_type,
        series=series,
    )


def make_contracts(rng: random.Random, customers: list[dict], total: int = 120) -> list[dict]:
    codes = [c["code"] for c in customers]
    collective = [c["code"] for c in customers if c["collective_billing"]]
    shown = showcase_contracts(codes, collective[0])
    # every customer gets at least one contract (the showcases cover the first 25);
    # customers with collective billing get one more, to have something to collect
    codes = codes + collective[1:]
    pool = codes[len(shown) :] + [rng.choice(codes) for _ in range(total)]
    contracts = list(shown)
    count = total - len(shown)
    statuses = ["closed"] * 10 + ["suspended"] * 6 + ["draft"] * 5
    statuses += ["active"] * (count - len(statuses))
    rng.shuffle(statuses)
    for index, status in enumerate(statuses):
        contracts.append(random_contract(rng, len(shown) + index + 1, pool[index], status))
    return contracts


# --------------------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------------------

ORDER_ARTICLES = [
    ("INST-SETUP", ["1", "2"]),
    ("FORMAZ", ["4", "8", "12", "16"]),
    ("TONER", ["1", "2", "3", "5"]),
    ("NOL-PIATT", ["2", "3", "5"]),
    ("ORE-ASS", ["6", "10", "12.5", "20"]),
    ("CTRL-ESTINT", ["10", "24"]),
]


def make_orders(rng: random.Random, customers: list[dict]) -> list[dict]:
    statuses = [
        "draft",
        "draft",
        "in_progress",
        "shipped",
        "completed",
        "draft",
        "in_progress",
        "shipped",
        "completed",
        "cancelled",
    ]
    orders = []
    for index, status in enumerate(statuses, start=1):
        customer = rng.choice(customers)["code"]
        back = {
            "draft": (0, 2),
            "in_progress": (1, 3),
            "shipped": (1, 4),
            "completed": (3, 6),
            "cancelled": (2, 5),
        }[status]
        date = month_day(-rng.randint(*back), rng.randint(1, 28))
        if date > REFERENCE_DATE:
            date = REFERENCE_DATE - dt.timedelta(days=rng.randint(1, 10))
        picked = rng.sample(ORDER_ARTICLES, rng.randint(1, 5))
        lines = []
        for article, qtys in picked:
            art = ARTICLE_BY_CODE[article]
            lines.append(
                {
                    "article": article,
                    "description": art["name"],
                    "quantity": rng.choice(qtys),
                    "unit_price": vary_price(rng, art["price"]),
                    "vat_rate": art["vat_rate"],
                }
            )
        orders.append(
            {
                "code": f"O-{index:03d}",
                "customer": customer,
                "date": iso(date),
                "status": status,
                "lines": lines,
            }
        )
    return orders + mixed_vat_orders()


# Two fixed orders at mixed VAT rates (22 %, 10 %, 4 %), to show down payments and
# installment plans shared among the rates: a draft one and a shipped one whose total
# (1,000.00) does not split evenly in three.
MIXED_VAT_ORDERS = [
    (
        "O-011",
        "C004",
        -1,
        12,
        "draft",
        [("INST-SETUP", "1", "350.00"), ("MAN-CALD-RES", "2", "140.00"), ("RIVISTA", "3", "95.00")],
    ),
    (
        "O-012",
        "C007",
        -2,
        5,
        "shipped",
        [("INST-SETUP", "2", "350.00"), ("MAN-ASC-COND", "2", "85.00"), ("RIVISTA", "1", "130.00")],
    ),
]


def mixed_vat_orders() -> list[dict]:
    orders = []
    for code, customer, months, day, status, lines in MIXED_VAT_ORDERS:
        orders.append(
            {
                "code": code,
                "customer": customer,
                "date": iso(month_day(months, day)),
                "status": status,
                "lines": [
                    {
                        "article": article,
                        "description": ARTICLE_BY_CODE[article]["name"],
                        "quantity": quantity,
                        "unit_price": price,
                        "vat_rate": ARTICLE_BY_CODE[article]["vat_rate"],
                    }
                    for article, quantity, price in lines
                ],
            }
        )
    return orders


# --------------------------------------------------------------------------------------
# Contract economics: late-payment terms, cost centres, index, step-ups, revenue lines
# --------------------------------------------------------------------------------------

# Late-payment terms of some hand-written contracts whose customers pay late (see
# PAYMENT_HABITS): the legal rate (D.Lgs. 231/2002) with the 40.00 recovery fee, a fixed
# rate with grace days.
LATE_TERMS = {
    "K-0001": {"late_interest": "legal", "late_fee": "40.00"},
    "K-0005": {"late_interest": "legal", "late_fee": "40.00"},
    "K-0013": {"late_interest": "legal", "late_fee": "40.00"},
    "K-0022": {"late_interest": "fixed", "late_interest_rate": "8.00", "late_grace_days": 10},
    "K-0026": {"late_interest": "legal", "late_grace_days": 5, "late_fee": "40.00"},
}

# Cost centres of the company's divisions, on some contracts.
COST_CENTRES = {
    "K-0001": "MAN-NORD", "K-0003": "IT-SW", "K-0006": "MAN-NORD", "K-0011": "MAN-SUD",
    "K-0013": "IT-SW", "K-0014": "IT-SW", "K-0019": "IT-HOST", "K-0021": "MAN-NORD",
}  # fmt: skip

# How the customers pay, read by the demo build (payments are no interchange section):
# everyone else pays every invoice on its due date, or a few days before it.
#   late: pays every invoice ``days`` after the due date;
#   partial: on time, but of the invoices due in the last ``months`` months before the
#            reference date it paid ``percent`` on the due date, the rest is still open;
#   stopped: paid on time until ``months`` before the reference date, nothing since.
PAYMENT_HABITS = {
    "C001": {"habit": "late", "days": 35},
    "C005": {"habit": "stopped", "months": 3},  # the collective customer of K-0026
    "C013": {"habit": "partial", "percent": "60", "months": 4},
    "C022": {"habit": "late", "days": 18},
    "C027": {"habit": "late", "days": 25},
    "C032": {"habit": "late", "days": 12},
}


def add_late_terms_and_cost_centres(contracts: list[dict]) -> None:
    by_code = {c["code"]: c for c in contracts}
    for code, terms in LATE_TERMS.items():
        by_code[code].update(terms)
    for code, centre in COST_CENTRES.items():
        by_code[code]["cost_centre"] = centre


def month_text(months_from_reference: int) -> str:
    return month_day(months_from_reference, 1).isoformat()[:7]


# ISTAT FOI (indice dei prezzi al consumo per le famiglie di operai e impiegati, senza
# tabacchi): APPROXIMATE demo values, not the published ones. Base 2015=100 up to the
# month before REBASE, base 2025=100 from it, with the linking coefficient (an index in base
# 2025 x 1.2180 = the index in base 2015). ISTAT moved to base 2025 with the January 2026
# index; here the switch sits six months before the reference date, so that the demo
# computes an adjustment across it. Months are relative to the reference date (they move
# with the demo's dates), the first being 36 months before it.
FOI_BASE_2015 = [
    "118.3", "118.6", "118.6", "118.9", "119.0", "119.0", "119.3", "119.7", "119.6",  # -36..
    "119.4", "118.8", "119.0", "119.3", "119.4", "119.5", "119.6", "119.8", "119.9",  # -27..
    "120.3", "120.6", "120.1", "120.1", "119.9", "120.2", "121.0", "121.2", "121.4",  # -18..
    "121.6", "121.6", "121.7",                                                         # -9..-7
]  # fmt: skip
FOI_BASE_2025 = ["100.0", "100.2", "99.9", "100.3", "100.0", "100.3"]  # -6..-1
FOI_COEFFICIENT = "1.2180"


def index_series() -> list[dict]:
    values = [
        {"month": month_text(-36 + i), "value": v, "base": "2015"}
        for i, v in enumerate(FOI_BASE_2015)
    ]
    values += [
        {"month": month_text(-6 + i), "value": v, "base": "2025"}
        for i, v in enumerate(FOI_BASE_2025)
    ]
    return [
        {
            "code": "FOI",
            "name": "ISTAT FOI senza tabacchi (valori dimostrativi approssimati)",
            "values": values,
            "links": [{"old_base": "2015", "new_base": "2025", "coefficient": FOI_COEFFICIENT}],
        }
    ]


def economics_contracts(customers: list[str]) -> list[dict]:
    """Hand-written contracts K-0121.. showing the economics of a line (see README)."""
    c = customers
    m = month_day
    contracts = [
        # 100% FOI on a monthly fee: adjusted every November, the second time across
        # the rebase (September index in base 2025 against September in base 2015)
        contract(121, c[26], start=m(-30, 1), frequency="monthly",
                 lines=[line("ASS-SW", unit_price="200.00", price_period="monthly",
                             description="Assistenza software gestionale - canone "
                                         "indicizzato ISTAT")]),
        # 75% FOI on a quarterly rent, adjusted from next month (December index, base 2025,
        # against December, base 2015), in the middle of the quarter billed this month
        contract(122, c[27], start=m(-15, 1), frequency="quarterly",
                 lines=[line("NOL-MFP", quantity="2", unit_price="85.00",
                             price_period="monthly",
                             description="Noleggio multifunzione A3 - canone indicizzato "
                                         "75% FOI")]),
        # step-ups: a fixed amount from mid-period, then a percentage
        contract(123, c[28], start=m(-14, 1), frequency="quarterly",
                 lines=[line("MAN-ASC", unit_price="110.00", price_period="monthly",
                             description="Manutenzione ascensore - canone a scalare")]),
        # revenue share with a guaranteed minimum, quarterly in arrears
        contract(124, c[29], start=m(-12, 1), frequency="quarterly", timing="arrears",
                 lines=[line("ASS-SW", unit_price="150.00", price_period="quarterly",
                             description="Gestione piattaforma e-commerce - 3% del venduto, "
                                         "minimo garantito")]),
        # revenue share without minimum, monthly in arrears: the last month's figure is
        # still to come, so its installment waits
        contract(125, c[30], start=m(-8, 1), frequency="monthly", timing="arrears",
                 series="B",
                 lines=[line("ORE-ASS", unit_price="0.00",
                             description="Commissione gestione incassi POS - 1,5% del "
                                         "transato")]),
        # advance and balancing: monthly advances, balanced at the end of each year of the
        # contract (the demo moves its dates by whole months: calendar years would not fit)
        contract(126, c[31], start=m(-24, 1), frequency="monthly",
                 lines=[line("MAN-CALD", unit_price="120.00",
                             description="Servizio energia - acconto consumi calore")]),
    ]  # fmt: skip
    economics = {
        "K-0121": {
            "index": {"series": "FOI", "share": "100", "month": 11, "base_month": month_text(-28)}
        },
        "K-0122": {
            "index": {"series": "FOI", "share": "75", "month": 2, "base_month": month_text(-13)}
        },
        "K-0123": {
            "steps": [
                {"from": iso(m(-7, 15)), "amount": "10.00"},
                {"from": iso(m(2, 1)), "percent": "3"},
            ]
        },
        "K-0124": {"revenue": {"percent": "3", "minimum": True}},
        "K-0125": {"revenue": {"percent": "1.5", "minimum": False}},
        "K-0126": {"advance": {"balance": "annual", "rate": "1"}},
    }
    for record in contracts:
        record["lines"][0].update(economics[record["code"]])
    contracts[0].update(cost_centre="IT-SW", late_interest="legal", late_fee="40.00")
    contracts[3].update(cost_centre="IT-ECOM")
    contracts[4].update(cost_centre="IT-ECOM", payment_method="sepa_direct_debit")
    contracts[5].update(
        cost_centre="ENERGIA", late_interest="fixed", late_interest_rate="9.50", late_grace_days=15
    )
    return contracts


def revenue_figures() -> list[dict]:
    """Revenue of the revenue-share and balancing contracts for the past periods; K-0125's
    last month is missing (its installment waits for it)."""
    figures = []
    quarterly = ["4380.00", "6920.00", "3150.00", "8745.50"]  # the 1st and 3rd: the minimum
    for i, amount in enumerate(quarterly):
        start = month_day(-15 + 3 * i, 1)
        figures.append(
            {
                "contract": "K-0124",
                "period_start": iso(start),
                "period_end": iso(month_day(-13 + 3 * i, "end")),
                "amount": amount,
                "note": "venduto e-commerce dal gestionale",
            }
        )
    monthly = ["18450.00", "21320.40", "19875.00", "23110.25", "20980.00", "24560.80", "31200.00"]
    for i, amount in enumerate(monthly):
        figures.append(
            {
                "contract": "K-0125",
                "period_start": iso(month_day(-9 + i, 1)),
                "period_end": iso(month_day(-9 + i, "end")),
                "amount": amount,
                "note": "transato POS",
            }
        )
    # two years of heat: more than the advances (a balancing invoice), then less (a
    # credit note)
    for year, amount in ((-24, "1568.40"), (-12, "1306.75")):
        figures.append(
            {
                "contract": "K-0126",
                "period_start": iso(month_day(year, 1)),
                "period_end": iso(month_day(year + 11, "end")),
                "amount": amount,
                "note": "lettura contatori di calore",
            }
        )
    return figures


# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# VAT rules: split payment, an exempt line with imposta di bollo, reverse charge
# --------------------------------------------------------------------------------------

_PA_VAT = "0039874042"  # a comune's partita IVA (its codice fiscale too), Ancona (042)
PA_CUSTOMER = {
    "code": "C041",
    "name": "Comune di Castelfidardo Demo",
    "vat_number": "IT" + _PA_VAT + piva_check_digit(_PA_VAT),
    "tax_code": _PA_VAT + piva_check_digit(_PA_VAT),
    "address": "Piazza della Repubblica 1, 60022 Castelfidardo (AN)",
    "sdi_code": "UFX7Q2",
    "public_administration": True,
    "split_payment": True,
    "email": "ragioneria@comune-castelfidardo.example",
    "payment_terms_days": 30,
    "iban": iban_italy("01030", "37360", "000001234567"),  # its treasury account
    "payment_method": "bank_transfer",
    "collective_billing": False,
}
# A former customer, archived: its contracts long over, kept for its old documents, hidden
# from the lists (``customers --archived`` shows it) and given no new contract or order.
_FORMER_VAT = "0281743042"  # Ancona (042)
FORMER_CUSTOMER = {
    "code": "C042",
    "name": "Tipografia del Conero S.n.c.",
    "vat_number": "IT" + _FORMER_VAT + piva_check_digit(_FORMER_VAT),
    "tax_code": _FORMER_VAT + piva_check_digit(_FORMER_VAT),
    "address": "Via del Porto 12, 60020 Sirolo (AN)",
    "email": "amministrazione@tipografia-conero.example",
    "payment_terms_days": 30,
    "iban": iban_italy("03069", "37540", "000009876543"),
    "payment_method": "bank_transfer",
    "collective_billing": False,
    "archived": True,
}
VAT_RULE_ARTICLES = [
    {
        "code": "VIS-MED",
        "name": "Visita medica del lavoro",
        "description": "Sorveglianza sanitaria: visita periodica del medico competente "
        "(esente art. 10 n. 18 DPR 633/72)",
        "category": "Servizi sanitari",
        "unit": "visita",
        "price": "90.00",
        "purchase_price": "60.00",
        "vat_rate": "0.00",
        "vat_nature": "N4",
        "kind": "service",
        "recurring": True,
    },
    {
        "code": "SUB-EDIL",
        "name": "Subappalto impianti - cantiere",
        "description": "Installazione impianti in subappalto nel settore edile (inversione "
        "contabile art. 17 c.6 lett. a DPR 633/72)",
        "category": "Impianti",
        "unit": "mese",
        "price": "1800.00",
        "purchase_price": "1300.00",
        "vat_rate": "0.00",
        "vat_nature": "N6.3",
        "kind": "service",
        "recurring": True,
    },
]


def _vat_rule_line(article: str, description: str, unit_price: str | None = None) -> dict:
    art = next(a for a in VAT_RULE_ARTICLES if a["code"] == article)
    return {
        "article": article,
        "description": description,
        "quantity": "1",
        "unit_price": unit_price or art["price"],
        "price_period": None,
        "recurring": True,
        "valid_from": None,
        "valid_to": None,
        "vat_rate": art["vat_rate"],
        "vat_nature": art["vat_nature"],
        "frequency": None,
    }


def vat_rule_contracts(customers: list[str]) -> list[dict]:
    """K-0127..K-0129: split payment for a public administration (with its CIG), an exempt
    (N4) medical line over 77.47 that carries the imposta di bollo, a reverse-charge
    building subcontract (N6.3)."""
    c, m = customers, month_day
    pa = contract(
        127,
        "C041",
        start=m(-6, 1),
        frequency="monthly",
        lines=[
            line(
                "MAN-CALD",
                unit_price="150.00",
                price_period="monthly",
                description="Manutenzione centrale termica - scuola primaria comunale",
            )
        ],
    )
    pa["cig"] = "Z3A1B2C4D5"
    medical = contract(
        128,
        c[8],
        start=m(-6, 1),
        frequency="monthly",
        lines=[_vat_rule_line("VIS-MED", "Visite mediche del lavoro - sorveglianza sanitaria")],
    )
    subcontract = contract(
        129,
        c[9],
        start=m(-4, 1),
        frequency="monthly",
        lines=[_vat_rule_line("SUB-EDIL", "Subappalto impianti - cantiere via Flaminia")],
    )
    return [pa, medical, subcontract]


def mandates(customers: list[dict], contracts: list[dict]) -> list[dict]:
    """A SEPA mandate for every customer paying by direct debit, and one of its own for
    each direct-debit contract of a customer that pays otherwise (signed 2 years ago)."""
    signed = iso(month_day(-24, 10))
    by_code = {c["code"]: c for c in customers}
    records = [
        {
            "reference": f"RID-{c['code']}-01",
            "customer": c["code"],
            "contract": None,
            "signed_on": signed,
            "scheme": "CORE",
            "iban": c["iban"],
        }
        for c in customers
        if c["payment_method"] == "sepa_direct_debit"
    ]
    for k in contracts:
        owner = by_code[k["customer"]]
        if (
            k.get("payment_method") == "sepa_direct_debit"
            and owner["payment_method"] != "sepa_direct_debit"
        ):
            records.append(
                {
                    "reference": f"RID-{k['code']}",
                    "customer": owner["code"],
                    "contract": k["code"],
                    "signed_on": signed,
                    "scheme": "CORE",
                    "iban": k.get("iban") or owner["iban"],
                }
            )
    return records


def lifecycle_contracts(customers: list[str]) -> list[dict]:
    """K-0130..K-0135: annual maintenance contracts "con tacito rinnovo", billed once a year
    in advance in a series of their own (M), so that the other records keep their numbers:
    one tacit (notice 90 days, +2% at renewal) ending this month, one ending next month
    (notice 60 days, FOI review), one cancelled in time (ends next month), one cancelled too
    late (renews once more), a manual renewal that ended last month and waits for a
    decision, and one renewed by the past runs three months ago (its term recorded)."""
    c, m = customers, month_day

    def annual(
        number: int,
        customer: str,
        start: dt.date,
        renewal: str,
        notice: int,
        price: str,
        **more: object,
    ) -> dict:
        k = contract(
            number,
            customer,
            start=start,
            frequency="annual",
            series="M",
            lines=[
                line(
                    "MAN-CALD",
                    unit_price=price,
                    price_period="annual",
                    description="Manutenzione programmata impianti - canone annuo",
                )
            ],
        )
        k.update({"duration": "annual", "renewal": renewal, "notice_days": notice, **more})
        return k

    ends_this_month = m(0, "end")
    late_notice = m(-1, 20)  # fewer than 90 days before the end: one more year
    return [
        annual(130, c[10], m(-11, 1), "tacit", 90, "1800.00", renewal_price={"percent": "2"}),
        annual(
            131,
            c[11],
            m(-10, 1),
            "tacit",
            60,
            "2400.00",
            renewal_price={"index": "FOI", "share": "100"},
        ),
        annual(
            132,
            c[12],
            m(-10, 1),
            "tacit",
            60,
            "1500.00",
            cancellation={
                "notice_date": iso(m(-3, 10)),
                "reason": "Disdetta via PEC",
                "ends_on": iso(m(1, "end")),
            },
        ),
        annual(
            133,
            c[13],
            m(-11, 1),
            "tacit",
            90,
            "2100.00",
            cancellation={
                "notice_date": iso(late_notice),
                "reason": "Disdetta per raccomandata, giunta oltre il termine",
                "ends_on": iso(add_months(ends_this_month + dt.timedelta(1), 12) - dt.timedelta(1)),
            },
        ),
        annual(134, c[14], m(-12, 1), "manual", 30, "3000.00", renewal_price={"percent": "3"}),
        annual(135, c[15], m(-14, 1), "tacit", 60, "1200.00", renewal_price={"percent": "2"}),
    ]


def build() -> dict:
    rng = random.Random(SEED)
    customers = make_customers(rng)
    articles = make_articles()
    contracts = make_contracts(rng, customers)
    orders = make_orders(rng, customers)
    # drawn after everything else, so that the economics leave the other records as they were
    add_late_terms_and_cost_centres(contracts)
    contracts += economics_contracts([c["code"] for c in customers])
    # the VAT rules, added last so that the records above stay as they were
    customers.append(PA_CUSTOMER)
    articles += VAT_RULE_ARTICLES
    contracts += vat_rule_contracts([c["code"] for c in customers])
    # the contract lifecycle, added last too
    contracts += lifecycle_contracts([c["code"] for c in customers])
    customers.append(FORMER_CUSTOMER)  # archived: no contract, added last
    return {
        "reference_date": REFERENCE_DATE.isoformat(),
        "company": COMPANY,
        "series": SERIES,
        "customers": customers,
        "articles": articles,
        "contracts": contracts,
        "orders": orders,
        "index_series": index_series(),
        "revenue_figures": revenue_figures(),
        "payment_habits": PAYMENT_HABITS,
        "mandates": mandates(customers, contracts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where to write the file (default: {DEFAULT_OUTPUT.name})",
    )
    args = parser.parse_args(argv)
    data = build()
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    args.output.write_text(text, encoding="utf-8")
    counts = ", ".join(
        f"{len(data[k])} {k}"
        for k in ("customers", "articles", "contracts", "orders", "index_series", "revenue_figures")
    )
    print(f"wrote {args.output}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

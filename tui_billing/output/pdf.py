"""Invoice PDFs: render an :class:`InvoiceDocument` to A4 bytes with fpdf2.

Pure rendering: nothing is computed or looked up, every figure is printed as given.

Layout, then paint: :func:`_layout` places every text, rule and fill on pages (lines
table with its header repeated on each page, the last line kept with the totals, long
descriptions wrapped and, if longer than a page, carried over), so the page count is
known when the "Pagina N di M" footers are written; :func:`_paint` replays it with fpdf2.

Speed: the embedded font is parsed once per process and cut per document by
:mod:`tui_billing.output.pdf_fonts`; a one-page invoice renders in under 10 ms.
The raster logo is decoded once per file too.
"""

from __future__ import annotations

import logging
import os
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from fpdf import FPDF
from fpdf.errors import FPDFException
from fpdf.image_datastructures import ImageCache, RasterImageInfo
from fpdf.image_parsing import preload_image

from tui_billing.domain.i18n import _
from tui_billing.domain.vat_natures import VAT_NATURES
from tui_billing.output.invoice_document import DocumentLine, InvoiceDocument, VatSummaryRow
from tui_billing.output.pdf_fonts import FONT_FAMILY, FONT_FILES, PT, InvoiceOutputProducer
from tui_billing.output.pdf_fonts import font_face as _face
from tui_billing.output.pdf_labels import Labels, format_date, format_iban, labels_for
from tui_billing.output.safe_files import checked_target, write_file

_LOG = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------
# Logo: decoded once per file (and modification time) per process.
# ---------------------------------------------------------------------------------------

_logos: dict[tuple[str, int, int], tuple[str, RasterImageInfo, dict[bytes, int]]] = {}
_logos_lock = threading.Lock()


def _cached_logo(path: str) -> tuple[str, RasterImageInfo, dict[bytes, int]] | None:
    """The decoded raster logo, or None for a vector (SVG) one (not cached)."""
    if path.lower().endswith(".svg"):
        return None
    resolved = os.path.abspath(path)
    stat = os.stat(resolved)
    key = (resolved, stat.st_mtime_ns, stat.st_size)
    cached = _logos.get(key)
    if cached is None:
        image_cache = ImageCache()
        name, _img, info = preload_image(image_cache, resolved)
        if not isinstance(info, RasterImageInfo):
            return None
        cached = (name, info, dict(image_cache.icc_profiles))
        with _logos_lock:
            _logos[key] = cached
    return cached


# ---------------------------------------------------------------------------------------
# Layout: positions everything on pages first (so the page count is known), then paints.
# ---------------------------------------------------------------------------------------

PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP = 15.0, 195.0, 14.0
CONTENT_W = RIGHT - LEFT
BODY_BOTTOM = 277.0  # content never goes below; the footer lives under it
FOOTER_RULE_Y = 282.0

Color = tuple[int, int, int]
ACCENT: Color = (27, 59, 102)
INK: Color = (33, 33, 33)
MUTED: Color = (105, 110, 118)
RULE: Color = (200, 205, 212)
SOFT_FILL: Color = (238, 242, 247)
WHITE: Color = (255, 255, 255)
DRAFT_RED: Color = (190, 30, 45)
WATERMARK: Color = (246, 222, 222)

BASE = 8.5  # pt, body text
SMALL = 7.2  # pt, periods, labels, footer
PAD = 1.6  # mm, cell padding
MIN_SIZE = 4.0  # pt, the smallest a figure is shrunk to fit its cell


@dataclass(frozen=True, slots=True)
class _Column:
    key: str
    width: float
    align: str  # "L" or "R"


_COLUMNS = (
    _Column("description", 90.0, "L"),
    _Column("quantity", 16.0, "R"),
    _Column("unit", 14.0, "L"),
    _Column("unit_price", 24.0, "R"),
    _Column("vat_rate", 12.0, "R"),
    _Column("amount", 24.0, "R"),
)
assert abs(sum(c.width for c in _COLUMNS) - CONTENT_W) < 1e-9


def _line_height(size_pt: float) -> float:
    return size_pt * PT * 1.3


@dataclass(frozen=True, slots=True)
class _Run:
    """One printed line: text, style ("" or "B"), size in points, colour; ``box`` is the
    size whose line box and baseline it keeps when it was shrunk to fit."""

    text: str
    style: str = ""
    size: float = BASE
    color: Color = INK
    box: float | None = None

    @property
    def height(self) -> float:
        return _line_height(self.box or self.size)

    @property
    def baseline(self) -> float:
        """From the top of the line box, in mm."""
        box = self.box or self.size
        return _line_height(box) / 2 + 0.36 * box * PT


class _Mark(NamedTuple):
    pages: int
    ops: int
    y: float
    table_top: float
    table_open: bool


class _Clean:
    """Makes free text printable: NFC, tabs as spaces, characters missing from one of
    the faces shown as "?" (fpdf2 would silently drop them)."""

    _charset: frozenset[int] | None = None

    def __init__(self) -> None:
        if _Clean._charset is None:
            _Clean._charset = frozenset(_face("").cmap) & frozenset(_face("B").cmap)
        self.charset = _Clean._charset

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        text = unicodedata.normalize("NFC", str(text)).replace("\t", " ").replace("\r", "")
        charset = self.charset
        if all(ord(c) in charset or c == "\n" for c in text):
            return text
        return "".join(c if ord(c) in charset or c == "\n" else "?" for c in text)


class _Sheet:
    """The pages of one document as lists of drawing operations, with text measuring,
    wrapping, the running header of continuation pages and the repeated table header."""

    def __init__(self, doc: InvoiceDocument, labels: Labels) -> None:
        self.doc = doc
        self.labels = labels
        self.clean = _Clean()
        self.pages: list[list[tuple]] = []
        self.ops: list[tuple] = []
        self.y = TOP
        self.table_open = False
        self.table_top = TOP  # where the rows of the table start on the current page

    # -- measuring and wrapping ---------------------------------------------------------

    @staticmethod
    def width_of(text: str, style: str, size: float) -> float:
        return _face(style).width(text, size)

    def fitted(self, run: _Run, width: float) -> _Run:
        """``run`` in a smaller size if that is what it takes to fit ``width``; for
        figures and one-line labels, which must not wrap."""
        natural = self.width_of(run.text, run.style, run.size)
        if natural <= width:
            return run
        size = max(MIN_SIZE, run.size * width / natural * 0.999)
        return _Run(run.text, run.style, size, run.color, run.box or run.size)

    def wrap(self, text: str, width: float, style: str = "", size: float = BASE) -> list[str]:
        """Greedy word wrap to ``width`` mm; a word longer than a line is cut."""
        face = _face(style)
        limit = width * 1000 / (size * PT)  # in 1/1000 em
        space = face.units(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current: list[str] = []
            used = 0.0
            for word in paragraph.split():
                advance = face.units(word)
                if current and used + space + advance <= limit:
                    current.append(word)
                    used += space + advance
                    continue
                if current:
                    lines.append(" ".join(current))
                if advance <= limit:
                    current, used = [word], advance
                    continue
                piece, used = "", 0.0
                for char in word:
                    char_advance = face.units(char)
                    if piece and used + char_advance > limit:
                        lines.append(piece)
                        piece, used = "", 0.0
                    piece += char
                    used += char_advance
                current = [piece]
            if current:
                lines.append(" ".join(current))
        return lines

    def runs(
        self, text: str, width: float, style: str = "", size: float = BASE, color: Color = INK
    ) -> list[_Run]:
        return [_Run(line, style, size, color) for line in self.wrap(text, width, style, size)]

    # -- drawing --------------------------------------------------------------------------

    def put(self, x: float, top: float, run: _Run, width: float = 0.0, align: str = "L") -> None:
        """Print ``run`` in a line box whose top is ``top``; "R"/"C" within ``width``."""
        if not run.text:
            return
        if align != "L":
            gap = width - self.width_of(run.text, run.style, run.size)
            x += gap if align == "R" else gap / 2
        self.ops.append(("text", x, top + run.baseline, run.text, run.style, run.size, run.color))

    def stack(self, x: float, top: float, runs: Sequence[_Run], width: float) -> float:
        """Print ``runs`` one under the other; returns the bottom."""
        for run in runs:
            self.put(x, top, run, width)
            top += run.height
        return top

    def hrule(self, y: float, x1: float = LEFT, x2: float = RIGHT, color=RULE, width=0.2) -> None:
        self.ops.append(("line", x1, y, x2, y, color, width))

    def fill(self, x: float, y: float, w: float, h: float, color: Color) -> None:
        self.ops.append(("fill", x, y, w, h, color))

    def frame(self, x: float, y: float, w: float, h: float, color: Color, width: float) -> None:
        self.ops.append(("frame", x, y, w, h, color, width))

    # -- pages ----------------------------------------------------------------------------

    def new_page(self) -> None:
        doc, labels = self.doc, self.labels
        self.ops = []
        self.pages.append(self.ops)
        if doc.is_draft:
            word = labels.draft
            self.ops.append(("watermark", word, self.width_of(word, "B", 96)))
        self.y = TOP
        if len(self.pages) > 1:
            name = _Run(self.clean(doc.company.name), "B", 9, ACCENT)
            self.put(LEFT, TOP, self.fitted(name, 95), 95)
            reference = f"{_title_with_number(doc, labels)} ({labels.continued})"
            self.put(LEFT + 95, TOP, self.fitted(_Run(reference, "", 7.7, MUTED), 85), 85, "R")
            self.hrule(TOP + 6, color=ACCENT, width=0.3)
            self.y = TOP + 9
            if self.table_open:
                self.table_header()

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.y + height > BODY_BOTTOM:
            self.new_page()

    def table_header(self) -> None:
        labels = self.labels
        top = self.y
        height = _line_height(SMALL) + 2 * PAD
        self.fill(LEFT, top, CONTENT_W, height, ACCENT)
        x = LEFT
        for column in _COLUMNS:
            text = getattr(labels, column.key)
            if column.key == "vat_rate":
                text = f"{text} %"
            run = self.fitted(_Run(text, "B", SMALL, WHITE), column.width - 2 * PAD)
            self.put(x + PAD, top + PAD, run, column.width - 2 * PAD, column.align)
            x += column.width
        self.y = top + height
        self.table_top = self.y

    def mark(self) -> _Mark:
        """Where the layout is now, to come back to with :meth:`rollback`."""
        return _Mark(len(self.pages), len(self.ops), self.y, self.table_top, self.table_open)

    def rollback(self, mark: _Mark) -> None:
        """Forget everything laid out since ``mark``."""
        del self.pages[mark.pages :]
        self.ops = self.pages[-1]
        del self.ops[mark.ops :]
        self.y, self.table_top, self.table_open = mark.y, mark.table_top, mark.table_open

    def finish(self) -> None:
        """Footers, now that the page count is known."""
        doc, labels = self.doc, self.labels
        parts = [self.clean(doc.company.name)]
        if doc.company.vat_number:
            parts.append(f"{labels.vat_number} {self.clean(doc.company.vat_number)}")
        parts.append(_title_with_number(doc, labels))
        left = self.fitted(_Run(" · ".join(parts), "", SMALL, MUTED), CONTENT_W - 35)
        total = len(self.pages)
        for number, ops in enumerate(self.pages, 1):
            self.ops = ops
            self.hrule(FOOTER_RULE_Y)
            self.put(LEFT, FOOTER_RULE_Y + 1.2, left, CONTENT_W - 35)
            page = _Run(labels.page(number, total), "", SMALL, MUTED)
            self.put(RIGHT - 35, FOOTER_RULE_Y + 1.2, page, 35, "R")


def _title_with_number(doc: InvoiceDocument, labels: Labels) -> str:
    number = doc.number if doc.number is not None else labels.draft
    return (
        f"{labels.title(doc.document_type, doc.kind)} {labels.number} {number} "
        f"{labels.dated} {format_date(doc.date)}"
    )


# -- blocks -----------------------------------------------------------------------------


def _company_block(sheet: _Sheet) -> float:
    labels, clean = sheet.labels, sheet.clean
    company = sheet.doc.company
    top = TOP
    if company.logo_path:
        top = _logo(sheet, company.logo_path, LEFT, top, 60.0, 18.0) + 3
    width = 100.0
    runs = sheet.runs(clean(company.name), width, "B", 13, ACCENT)
    for line in clean(company.address).split("\n"):
        runs += sheet.runs(line, width, "", BASE, INK)
    ids = []
    if company.vat_number:
        ids.append(f"{labels.vat_number} {clean(company.vat_number)}")
    if company.tax_code:
        ids.append(f"{labels.tax_code} {clean(company.tax_code)}")
    contacts = []
    if company.phone:
        contacts.append(f"{labels.phone} {clean(company.phone)}")
    if company.email:
        contacts.append(f"{labels.email} {clean(company.email)}")
    iban = [f"{labels.iban} {format_iban(clean(company.iban))}"] if company.iban else []
    size = SMALL + 0.3
    for group in (ids, list(company.details), contacts, iban):  # details: REA, capital, PEC
        joined = "  ·  ".join(group)
        parts = [joined] if sheet.width_of(joined, "", size) <= width else group
        for part in parts:
            runs += sheet.runs(part, width, "", size, MUTED)
    return sheet.stack(LEFT, top, runs, width)


def _logo(sheet: _Sheet, path: str, x: float, y: float, max_w: float, max_h: float) -> float:
    """Place the logo inside ``max_w`` x ``max_h`` at the top left; returns its bottom.
    A logo that cannot be read is left out (with a warning) rather than stop billing."""
    try:
        cached = _cached_logo(path)
    except (OSError, ValueError, FPDFException) as error:
        _LOG.warning(
            "%s",
            _("company logo {path} left out of the PDF: {reason}").format(path=path, reason=error),
        )
        return y
    if cached is None:  # vector logo: fpdf2 fits it in the box
        if not os.path.isfile(path):
            _LOG.warning(
                "%s", _("company logo {path} left out of the PDF: no such file").format(path=path)
            )
            return y
        sheet.ops.append(("image", path, x, y, max_w, max_h))
        return y + max_h
    _name, info, _icc = cached
    ratio = float(info["w"]) / float(info["h"])  # type: ignore[arg-type]  # numbers
    w, h = max_h * ratio, max_h
    if w > max_w:
        w, h = max_w, max_w / ratio
    sheet.ops.append(("image", path, x, y, w, h))
    return y + h


def _title_block(sheet: _Sheet) -> float:
    doc, labels = sheet.doc, sheet.labels
    x, width = 120.0, RIGHT - 120.0
    title = sheet.fitted(_Run(labels.title(doc.document_type, doc.kind), "B", 20, ACCENT), width)
    sheet.put(x, TOP - 1, title, width, "R")
    top = TOP - 1 + title.height + 2
    for notice in labels.notices(doc.document_type, doc.courtesy_copy):
        run = sheet.fitted(_Run(notice, "B", BASE, DRAFT_RED), width)
        sheet.put(x, top, run, width, "R")
        top += run.height + 0.4
    number = sheet.clean(doc.number) if doc.number is not None else labels.draft
    rows = [(f"{labels.number}", number, DRAFT_RED if doc.is_draft else INK)]
    rows.append((labels.date, format_date(doc.date), INK))
    if doc.due_date and doc.document_type != "credit_note":  # nothing falls due
        rows.append((labels.due_date, format_date(doc.due_date), INK))
    value_w = 40.0
    for label, value, color in rows:
        sheet.put(x, top, _Run(label, "", BASE, MUTED), width - value_w - 3, "R")
        value_run = sheet.fitted(_Run(value, "B", BASE + 1, color), value_w)
        sheet.put(RIGHT - value_w, top, value_run, value_w, "R")
        top += _line_height(BASE + 1) + 0.4
    return top


def _customer_block(sheet: _Sheet, top: float) -> float:
    labels, clean = sheet.labels, sheet.clean
    customer = sheet.doc.customer
    x, width = 112.0, RIGHT - 112.0
    inner = width - 2 * 3.5
    runs = [_Run(labels.customer, "", SMALL, MUTED)]
    runs += sheet.runs(clean(customer.name), inner, "B", 10.5, INK)
    for line in clean(customer.address).split("\n"):
        runs += sheet.runs(line, inner, "", BASE, INK)
    if customer.vat_number:
        runs += sheet.runs(f"{labels.vat_number} {clean(customer.vat_number)}", inner)
    if customer.tax_code:
        runs += sheet.runs(f"{labels.tax_code} {clean(customer.tax_code)}", inner)
    for detail in customer.details:  # SdI code, PEC, split payment
        runs += sheet.runs(clean(detail), inner)
    if customer.email:
        runs += sheet.runs(clean(customer.email), inner, "", BASE, MUTED)
    height = sum(run.height for run in runs) + 2 * 3.0
    sheet.frame(x, top, width, height, RULE, 0.3)
    sheet.stack(x + 3.5, top + 3.0, runs, inner)
    return top + height


def _references_block(sheet: _Sheet, top: float) -> float:
    doc, labels = sheet.doc, sheet.labels
    width = 90.0
    bottom = top + 3.0
    for label, codes in (
        (labels.contract_ref, doc.contract_codes),
        (labels.order_ref, doc.order_codes),
    ):
        if not codes:
            continue
        sheet.put(LEFT, bottom, _Run(label, "", SMALL, MUTED), width)
        bottom += _line_height(SMALL)
        runs = sheet.runs(", ".join(sheet.clean(c) for c in codes), width, "B", BASE)
        bottom = sheet.stack(LEFT, bottom, runs, width) + 1.5
    if doc.corrects is not None:  # a credit note names the invoice it corrects
        text = labels.correction(doc.corrects.whole, doc.corrects.number, doc.corrects.date)
        runs = sheet.runs(sheet.clean(text), width, "B", BASE, ACCENT)
        bottom = sheet.stack(LEFT, bottom, runs, width) + 1.5
    return bottom


# left edge of each column
_X_OF = dict(
    zip(
        (column.key for column in _COLUMNS),
        accumulate((column.width for column in _COLUMNS[:-1]), initial=LEFT),
        strict=True,
    )
)
# the tallest row that fits on an empty continuation page
_ROW_CAPACITY = BODY_BOTTOM - (TOP + 9) - (_line_height(SMALL) + 2 * PAD)


def _names_its_period(line: DocumentLine) -> bool:
    """Whether the description already shows the line's competence dates."""
    dates = [d for d in (line.period_start, line.period_end) if d]
    return bool(dates) and all(format_date(d) in line.description for d in dates)


def _table_row(sheet: _Sheet, line: DocumentLine) -> None:
    """One line of the lines table; the row moves to the next page when it does not fit,
    and a description longer than a page goes on over pages."""
    labels, clean = sheet.labels, sheet.clean
    desc_col, qty_col, unit_col, price_col, vat_col, amount_col = _COLUMNS
    desc_w = desc_col.width - 2 * PAD
    first_line_h = _line_height(BASE)
    desc = sheet.runs(clean(line.description), desc_w, "", BASE)
    period = labels.period(line.period_start, line.period_end)
    if period and _names_its_period(line):
        period = ""  # the description already carries its competence period
    if period:
        desc += sheet.runs(period, desc_w, "", SMALL, MUTED)
    desc = desc or [_Run("")]
    unit: list[_Run] = []
    if line.unit:  # a unit is short: shrunk a little rather than cut
        unit = [sheet.fitted(_Run(clean(line.unit)), unit_col.width - 2 * PAD)]
        if unit[0].size < 6.5:
            unit = sheet.runs(clean(line.unit), unit_col.width - 2 * PAD)
    unit_h = sum(run.height for run in unit)
    head_h = max(desc[0].height, unit_h, first_line_h) + 2 * PAD
    row_h = max(sum(run.height for run in desc), unit_h, first_line_h) + 2 * PAD
    if sheet.y + row_h > BODY_BOTTOM and (
        row_h <= _ROW_CAPACITY or sheet.y + max(head_h, 30.0) > BODY_BOTTOM
    ):
        sheet.new_page()
    top = sheet.y + PAD
    # Left to right, so that extracted text reads as the row: the first description
    # line, then the figures.
    sheet.put(LEFT + PAD, top, desc[0], desc_w)
    cells = (
        (qty_col, labels.quantity_text(line.quantity)),
        (unit_col, None),
        (price_col, labels.unit_price_text(line.unit_price)),
        (vat_col, line.vat_nature or labels.rate_text(line.vat_rate)),
        (amount_col, labels.money(line.amount)),
    )
    for column, text in cells:
        inner = column.width - 2 * PAD
        if text is None:
            sheet.stack(_X_OF[column.key] + PAD, top, unit, inner)
        else:
            run = sheet.fitted(_Run(text, "", BASE), inner)
            sheet.put(_X_OF[column.key] + PAD, top, run, inner, column.align)
    y = top + desc[0].height
    for run in desc[1:]:
        if y + run.height > BODY_BOTTOM - PAD:
            sheet.new_page()
            y = sheet.y + PAD
        sheet.put(LEFT + PAD, y, run, desc_w)
        y += run.height
    bottom = max(y, top + max(unit_h, first_line_h)) + PAD
    sheet.hrule(bottom)
    sheet.y = bottom


# Widths of the VAT summary's columns (rate, taxable, VAT); wider for the rate when a row
# names a VAT nature ("Fuori campo IVA art. 15 DPR 633/72 (N1)"), on two lines.
_VAT_WIDTHS = (24.0, 34.0, 30.0)
_VAT_WIDTHS_WITH_NATURE = (40.0, 32.0, 24.0)


def _vat_summary_cells(sheet: _Sheet, row: VatSummaryRow, width: float) -> list[list[_Run]]:
    """The printed cells of one summary row: a rate, or a VAT nature's name (wrapped to
    ``width``) with no VAT."""
    labels = sheet.labels
    if row.nature is None:
        rate = [_Run(labels.rate_text(row.rate))]
        vat = labels.money(row.vat)
    else:
        rate = sheet.runs(VAT_NATURES[row.nature].label(labels.language), width)
        vat = "—"
    return [rate, [_Run(labels.money(row.taxable))], [_Run(vat)]]


def _totals_blocks(sheet: _Sheet) -> None:
    """VAT summary per rate (and VAT nature) on the left; taxable, VAT, the amount out of
    VAT scope and the total on the right."""
    doc, labels = sheet.doc, sheet.labels
    row_h = _line_height(BASE) + 1.6
    head_h = _line_height(SMALL) + 2 * PAD
    # VAT summary on the left
    headers, widths = (labels.rate, labels.taxable, labels.vat), _VAT_WIDTHS
    if any(r.nature for r in doc.vat_summary):
        headers = (labels.rate_or_nature, labels.taxable_or_amount, labels.vat)
        widths = _VAT_WIDTHS_WITH_NATURE
    vat_cols = tuple(zip(headers, widths, ("L", "R", "R"), strict=True))
    vat_w = sum(widths)
    cells = [_vat_summary_cells(sheet, row, widths[0] - 2 * PAD) for row in doc.vat_summary]
    heights = [row_h + _line_height(BASE) * (len(row[0]) - 1) for row in cells]
    vat_h = 6.0 + head_h + sum(heights)
    # totals on the right
    tot_x = 118.0
    tot_w = RIGHT - tot_x
    amount_w = 32.0
    text_w = tot_w - amount_w - 2 * PAD
    total_h = row_h + 2.0
    figures = [(labels.taxable, doc.taxable), (labels.vat, doc.vat)]
    if doc.out_of_scope:
        figures.append((labels.out_of_scope, doc.out_of_scope))
    tot_h = 6.0 + len(figures) * row_h + 1.0 + total_h
    sheet.ensure(6 + max(vat_h, tot_h))
    top = sheet.y + 6

    sheet.put(LEFT, top, _Run(labels.vat_summary, "B", BASE, ACCENT), vat_w)
    y = top + 6.0
    sheet.fill(LEFT, y, vat_w, head_h, SOFT_FILL)
    x = LEFT
    for text, w, align in vat_cols:
        run = sheet.fitted(_Run(text, "B", SMALL, INK), w - 2 * PAD)
        sheet.put(x + PAD, y + PAD, run, w - 2 * PAD, align)
        x += w
    y += head_h
    for row, height in zip(cells, heights, strict=True):
        x = LEFT
        for (_title, w, align), runs in zip(vat_cols, row, strict=True):
            line_y = y + 0.8
            for run in runs:
                sheet.put(x + PAD, line_y, sheet.fitted(run, w - 2 * PAD), w - 2 * PAD, align)
                line_y += run.height
            x += w
        y += height
        sheet.hrule(y, LEFT, LEFT + vat_w)
    vat_bottom = y

    y = top + 6.0
    for label, value in figures:
        sheet.put(tot_x + PAD, y + 0.8, sheet.fitted(_Run(label, "", BASE, MUTED), text_w), text_w)
        run = sheet.fitted(_Run(labels.money_with_currency(value), "", BASE), amount_w)
        sheet.put(RIGHT - PAD - amount_w, y + 0.8, run, amount_w, "R")
        y += row_h
    y += 1.0
    sheet.fill(tot_x, y, tot_w, total_h, ACCENT)
    total_label = sheet.fitted(_Run(labels.total, "B", BASE + 1, WHITE), text_w)
    sheet.put(tot_x + PAD, y + 1.4, total_label, text_w)
    total = _Run(labels.money_with_currency(doc.total), "B", BASE + 1.5, WHITE)
    sheet.put(RIGHT - PAD - amount_w, y + 1.2, sheet.fitted(total, amount_w), amount_w, "R")
    y += total_h
    sheet.y = max(vat_bottom, y)


def _deductions_block(sheet: _Sheet) -> None:
    """What is deducted from the total (earlier partial or down-payment invoices) and the
    amount due, full width under the totals, amounts in the totals' column."""
    doc, labels, clean = sheet.doc, sheet.labels, sheet.clean
    if not doc.deductions and doc.amount_due is None:
        return
    amount_w = 32.0
    text_w = CONTENT_W - amount_w - 4 * PAD
    row_gap = 1.4
    rows = [(sheet.runs(clean(text), text_w), amount) for text, amount in doc.deductions]
    first = sum(r.height for r in rows[0][0]) + row_gap if rows else 0.0
    sheet.ensure(5 + _line_height(BASE) + first)
    y = sheet.y + 5
    if rows:
        sheet.put(LEFT, y, _Run(labels.deductions, "B", BASE, ACCENT), text_w)
        y += _line_height(BASE) + 0.6
        sheet.hrule(y)
    for runs, amount in rows:
        height = sum(r.height for r in runs) + row_gap
        if y + height > BODY_BOTTOM:
            sheet.new_page()
            y = sheet.y
        sheet.stack(LEFT + PAD, y + row_gap / 2, runs, text_w)
        value = sheet.fitted(_Run(labels.money_with_currency(amount), "", BASE), amount_w)
        sheet.put(RIGHT - PAD - amount_w, y + row_gap / 2, value, amount_w, "R")
        y += height
        sheet.hrule(y)
    if doc.amount_due is not None:
        row_h = _line_height(BASE + 1) + 2.4
        if y + 2 + row_h > BODY_BOTTOM:
            sheet.new_page()
            y = sheet.y
        y += 2.0
        tot_x = 118.0
        sheet.fill(tot_x, y, RIGHT - tot_x, row_h, SOFT_FILL)
        label_w = RIGHT - tot_x - amount_w - 2 * PAD
        label = sheet.fitted(_Run(labels.amount_due, "B", BASE + 1, ACCENT), label_w)
        sheet.put(tot_x + PAD, y + 1.2, label, label_w)
        value = _Run(labels.money_with_currency(doc.amount_due), "B", BASE + 1.5, ACCENT)
        sheet.put(RIGHT - PAD - amount_w, y + 1.0, sheet.fitted(value, amount_w), amount_w, "R")
        y += row_h
    sheet.y = y


def _earlier_documents_block(sheet: _Sheet) -> None:
    """The earlier invoices of the order a final invoice closes: kind, number, date, total."""
    doc, labels = sheet.doc, sheet.labels
    if not doc.earlier_documents:
        return
    amount_w = 32.0
    text_w = CONTENT_W - amount_w - 4 * PAD
    row_h = _line_height(BASE) + 1.4
    sheet.ensure(5 + _line_height(BASE) + row_h)
    y = sheet.y + 5
    sheet.put(LEFT, y, _Run(labels.earlier_documents, "B", BASE, ACCENT), text_w)
    y += _line_height(BASE) + 0.6
    sheet.hrule(y)
    for earlier in doc.earlier_documents:
        if y + row_h > BODY_BOTTOM:
            sheet.new_page()
            y = sheet.y
        number = earlier.number or labels.draft
        text = (
            f"{labels.kind_name(earlier.kind)} {labels.number} {sheet.clean(number)} "
            f"{labels.dated} {format_date(earlier.date)}"
        )
        sheet.put(LEFT + PAD, y + 0.7, sheet.fitted(_Run(text, "", BASE), text_w), text_w)
        value = sheet.fitted(_Run(labels.money_with_currency(earlier.total), "", BASE), amount_w)
        sheet.put(RIGHT - PAD - amount_w, y + 0.7, value, amount_w, "R")
        y += row_h
        sheet.hrule(y)
    sheet.y = y


def _payment_block(sheet: _Sheet) -> None:
    doc, labels, clean = sheet.doc, sheet.labels, sheet.clean
    if doc.document_type == "credit_note":  # owed to the customer: nothing to debit or pay
        return
    iban = doc.iban
    if iban is None and doc.payment_method in (None, "bank_transfer"):
        iban = doc.company.iban
    rows = []
    if doc.payment_method:
        rows.append((labels.payment_method, labels.payment_method_name(clean(doc.payment_method))))
    if iban:
        rows.append((labels.iban_label(doc.payment_method), format_iban(clean(iban))))
    if doc.due_date:
        rows.append((labels.due_date, format_date(doc.due_date)))
    if not rows:
        return
    label_w = 48.0
    value_w = CONTENT_W - 4 - label_w - 4
    row_h = _line_height(BASE) + 0.6
    height = 2.5 + _line_height(BASE) + 1.0 + row_h * len(rows) + 2.0
    sheet.ensure(6 + height)
    top = sheet.y + 6
    sheet.fill(LEFT, top, CONTENT_W, height, SOFT_FILL)
    sheet.fill(LEFT, top, 1.0, height, ACCENT)
    y = top + 2.5
    sheet.put(LEFT + 4, y, _Run(labels.payment, "B", BASE, ACCENT), label_w)
    y += _line_height(BASE) + 1.0
    for label, value in rows:
        sheet.put(LEFT + 4, y, sheet.fitted(_Run(label, "", BASE, MUTED), label_w - 2), label_w)
        sheet.put(LEFT + 4 + label_w, y, sheet.fitted(_Run(value, "B", BASE), value_w), value_w)
        y += row_h
    sheet.y = top + height


def _notes_block(sheet: _Sheet) -> None:
    notes = [sheet.clean(note) for note in sheet.doc.notes if note and note.strip()]
    if not notes:
        return
    size = SMALL + 0.6
    sheet.ensure(6 + _line_height(BASE) + 2 * _line_height(size))
    y = sheet.y + 6
    sheet.put(LEFT, y, _Run(sheet.labels.notes, "B", BASE, ACCENT), CONTENT_W)
    y += _line_height(BASE) + 0.5
    for note in notes:
        for run in sheet.runs(note, CONTENT_W, "", size, INK):
            if y + run.height > BODY_BOTTOM:
                sheet.new_page()
                y = sheet.y
            sheet.put(LEFT, y, run, CONTENT_W)
            y += run.height
        y += 0.8
    sheet.y = y


def _closing_blocks(sheet: _Sheet) -> None:
    _totals_blocks(sheet)
    _deductions_block(sheet)
    _earlier_documents_block(sheet)
    _payment_block(sheet)
    _notes_block(sheet)


def _layout(doc: InvoiceDocument) -> _Sheet:
    sheet = _Sheet(doc, labels_for(doc.language))
    sheet.new_page()
    top = max(_company_block(sheet), _title_block(sheet)) + 5
    sheet.y = max(_references_block(sheet, top), _customer_block(sheet, top)) + 7
    sheet.table_open = True
    sheet.table_header()
    for line in doc.lines[:-1]:
        _table_row(sheet, line)
    mark = sheet.mark()
    if doc.lines:
        _table_row(sheet, doc.lines[-1])
    sheet.table_open = False
    pages = len(sheet.pages)
    _closing_blocks(sheet)
    if len(sheet.pages) > pages and doc.lines and mark.y > mark.table_top:
        # Keep the last line with the totals, so that no page goes without lines (and
        # the table header): lay the end out again from a new page.
        sheet.rollback(mark)
        sheet.new_page()
        _table_row(sheet, doc.lines[-1])
        sheet.table_open = False
        _closing_blocks(sheet)
    sheet.finish()
    return sheet


# ---------------------------------------------------------------------------------------
# Painting with fpdf2
# ---------------------------------------------------------------------------------------


def _paint(sheet: _Sheet) -> bytes:
    doc, labels, clean = sheet.doc, sheet.labels, sheet.clean
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    # page numbers are printed as known; None skips the substitution scan (typed str)
    pdf.alias_nb_pages(None)  # type: ignore[arg-type]
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, TOP, PAGE_W - RIGHT)
    for style in FONT_FILES:
        face = _face(style)
        pdf.fonts[face.fontkey] = face.document_font(len(pdf.fonts) + 1)
    title = _title_with_number(doc, labels)
    pdf.set_title(title)
    pdf.set_subject(f"{title} - {clean(doc.customer.name)}")
    pdf.set_author(clean(doc.company.name))
    pdf.set_creator("tui-billing")
    pdf.set_creation_date(datetime(doc.date.year, doc.date.month, doc.date.day, tzinfo=UTC))
    font: tuple[str, float] | None = None
    text_color: Color | None = None
    for ops in sheet.pages:
        pdf.add_page()
        font = None
        for op in ops:
            kind = op[0]
            if kind == "text":
                _op, x, baseline, text, style, size, color = op
                if font != (style, size):
                    pdf.set_font(FONT_FAMILY, style, size)
                    font = (style, size)
                if text_color != color:
                    pdf.set_text_color(*color)
                    text_color = color
                pdf.text(x, baseline, text)
            elif kind == "line":
                _op, x1, y1, x2, y2, color, width = op
                pdf.set_draw_color(*color)
                pdf.set_line_width(width)
                pdf.line(x1, y1, x2, y2)
            elif kind == "fill":
                _op, x, y, w, h, color = op
                pdf.set_fill_color(*color)
                pdf.rect(x, y, w, h, style="F")
            elif kind == "frame":
                _op, x, y, w, h, color, width = op
                pdf.set_draw_color(*color)
                pdf.set_line_width(width)
                pdf.rect(x, y, w, h, style="D", round_corners=True, corner_radius=1.5)
            elif kind == "image":
                _op, path, x, y, w, h = op
                _place_logo(pdf, path, x, y, w, h)
            elif kind == "watermark":
                _op, word, width = op
                pdf.set_font(FONT_FAMILY, "B", 96)
                font = ("B", 96)
                pdf.set_text_color(*WATERMARK)
                text_color = WATERMARK
                with pdf.rotation(50, PAGE_W / 2, PAGE_H / 2):
                    pdf.text(PAGE_W / 2 - width / 2, PAGE_H / 2 + 12, word)
    return bytes(pdf.output(output_producer_class=InvoiceOutputProducer))


def _place_logo(pdf: FPDF, path: str, x: float, y: float, w: float, h: float) -> None:
    cached = _cached_logo(path)
    if cached is None:
        pdf.image(path, x=x, y=y, w=w, h=h, keep_aspect_ratio=True)
        return
    name, info, icc_profiles = cached
    if name not in pdf.image_cache.images:
        mine = RasterImageInfo(info)  # a copy: fpdf2 writes its object id and usage in it
        mine["usages"] = 0
        mine["i"] = len(pdf.image_cache.images) + 1
        pdf.image_cache.images[name] = mine
        pdf.image_cache.icc_profiles.update(icc_profiles)
    pdf.image(name, x=x, y=y, w=w, h=h)


# ---------------------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------------------


def render_invoice_pdf(doc: InvoiceDocument) -> bytes:
    """The PDF of ``doc``: A4, in ``doc.language`` ("it" or "en")."""
    return _paint(_layout(doc))


def write_invoice_pdf(doc: InvoiceDocument, path: str | os.PathLike[str]) -> Path:
    """Render ``doc`` to ``path``, atomically and never over what must not be replaced
    (see :func:`tui_billing.output.safe_files.write_file`)."""
    checked_target(path)  # refused before the rendering, not after
    return write_file(path, render_invoice_pdf(doc))


__all__ = ["render_invoice_pdf", "write_invoice_pdf"]

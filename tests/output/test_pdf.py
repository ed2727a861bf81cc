"""Invoice PDFs read back with pypdf: what is printed, in Italian and English, over pages."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from tui_billing.output import pdf as pdf_module
from tui_billing.output.invoice_document import (
    Company,
    DocumentLine,
    InvoiceDocument,
    PartyBlock,
    VatSummaryRow,
)
from tui_billing.output.pdf import render_invoice_pdf, write_invoice_pdf
from tui_billing.output.pdf_labels import ENGLISH, ITALIAN, format_date, format_iban

D = Decimal
COMPANY_IBAN = "IT60X0542811101000000123456"
CUSTOMER_IBAN = "IT02A0301503200000003517230"

COMPANY = Company(
    name="Manutenzioni Adriatiche S.r.l.",
    address="Via dell'Industria 42\n60027 Osimo (AN)",
    vat_number="IT01234567890",
    tax_code="01234567890",
    iban=COMPANY_IBAN,
    email="amministrazione@manutenzioni-adriatiche.it",
    phone="+39 071 1234567",
    logo_path=None,
)
CUSTOMER = PartyBlock(
    name="Ristorante Da Nicolò di Bianchi & C. s.n.c.",
    address="Corso Garibaldi 118\n61121 Pesaro (PU)",
    vat_number="IT09876543210",
    tax_code="BNCNCL70A01G479Z",
    email="fatture@danicolo.it",
)
LINES = (
    DocumentLine(
        description="Canone di manutenzione caldaia",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 3, 31),
        quantity=D(3),
        unit="mesi",
        unit_price=D("150.00"),
        amount=D("450.00"),
        vat_rate=D(22),
    ),
    DocumentLine(
        description="Assistenza tecnica straordinaria",
        period_start=date(2024, 2, 10),
        period_end=date(2024, 2, 10),
        quantity=D("2.5"),
        unit="ore",
        unit_price=D("1234.5"),
        amount=D("3086.25"),
        vat_rate=D(10),
    ),
    DocumentLine(
        description="Diritto fisso di chiamata",
        period_start=None,
        period_end=None,
        quantity=D(1),
        unit=None,
        unit_price=D("30.00"),
        amount=D("30.00"),
        vat_rate=D(22),
    ),
)
VAT_SUMMARY = (
    VatSummaryRow(rate=D(22), taxable=D("480.00"), vat=D("105.60")),
    VatSummaryRow(rate=D(10), taxable=D("3086.25"), vat=D("308.63")),
)


def make_doc(**changes) -> InvoiceDocument:
    doc = InvoiceDocument(
        number="2024/A/0012",
        document_type="invoice",
        date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        company=COMPANY,
        customer=CUSTOMER,
        lines=LINES,
        vat_summary=VAT_SUMMARY,
        taxable=D("3566.25"),
        vat=D("414.23"),
        total=D("3980.48"),
        payment_method="bank_transfer",
        iban=COMPANY_IBAN,
        notes=("Operazione soggetta a IVA ordinaria.",),
        deductions=(),
        language="it",
        contract_codes=("CTR-2024-0007",),
        order_codes=(),
    )
    return replace(doc, **changes)


def many_lines(count: int) -> tuple[DocumentLine, ...]:
    return tuple(
        DocumentLine(
            description=f"Riga {n:03d} canone mensile impianto",
            period_start=date(2024, 1 + n % 12, 1),
            period_end=date(2024, 1 + n % 12, 28),
            quantity=D(1),
            unit="mese",
            unit_price=D("10.00"),
            amount=D("10.00"),
            vat_rate=D(22),
        )
        for n in range(1, count + 1)
    )


def pages_text(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    """All whitespace runs as one space."""
    return " ".join(text.split())


# -- what is printed ----------------------------------------------------------------------


def test_italian_invoice_prints_every_field():
    text = "\n".join(pages_text(render_invoice_pdf(make_doc())))
    one_line = flat(text)
    assert "Fattura" in text
    assert "2024/A/0012" in text
    assert "15/03/2024" in text
    assert CUSTOMER.name in one_line
    assert "Corso Garibaldi 118" in text
    assert "P.IVA IT09876543210" in text
    assert "C.F. BNCNCL70A01G479Z" in text
    assert COMPANY.name in text
    assert "P.IVA IT01234567890" in text
    for line in LINES:
        assert line.description in text
    # each line's competence period, in its row
    assert "Canone di manutenzione caldaia 3 mesi 150,00 22% 450,00" in one_line
    assert "Competenza dal 01/01/2024 al 31/03/2024" in text
    assert "Assistenza tecnica straordinaria 2,5 ore 1.234,50 10% 3.086,25" in one_line
    assert "Competenza del 10/02/2024" in text
    assert "Diritto fisso di chiamata 1 30,00 22% 30,00" in one_line
    # VAT summary per rate, totals
    assert "Riepilogo IVA" in text
    assert "22% 480,00 105,60" in one_line
    assert "10% 3.086,25 308,63" in one_line
    assert "Imponibile € 3.566,25" in one_line
    assert "IVA € 414,23" in one_line
    assert "Totale documento € 3.980,48" in one_line
    # due date, payment method, IBAN (printed in groups of four)
    assert "Scadenza 14/04/2024" in one_line
    assert "Modalità di pagamento Bonifico bancario" in one_line
    assert f"IBAN per il bonifico {format_iban(COMPANY_IBAN)}" in one_line
    assert COMPANY_IBAN in text.replace(" ", "")
    assert "€" in text
    assert "Rif. contratto CTR-2024-0007" in one_line
    assert "Operazione soggetta a IVA ordinaria." in text
    assert "Pagina 1 di 1" in text
    assert "BOZZA" not in text


def test_english_invoice():
    doc = make_doc(language="en")
    text = "\n".join(pages_text(render_invoice_pdf(doc)))
    one_line = flat(text)
    assert "Invoice" in text
    assert "No. 2024/A/0012" in one_line
    assert "Date 15/03/2024" in one_line
    assert "Bill to" in text
    assert "VAT No. IT09876543210" in text
    assert "Description Qty Unit Unit price VAT % Amount" in one_line
    assert "Assistenza tecnica straordinaria 2.5 ore 1,234.50 10% 3,086.25" in one_line
    assert "Period from 01/01/2024 to 31/03/2024" in text
    assert "VAT summary" in text
    assert "10% 3,086.25 308.63" in one_line
    assert "Total € 3,980.48" in one_line
    assert "Due date 14/04/2024" in one_line
    assert "Payment method Bank transfer" in one_line
    assert f"Pay to IBAN {format_iban(COMPANY_IBAN)}" in one_line
    assert "Page 1 of 1" in text
    assert "Fattura" not in text and "Competenza" not in text


@pytest.mark.parametrize(
    ("document_type", "language", "title"),
    [
        ("invoice", "it", "Fattura"),
        ("proforma", "it", "Fattura pro forma"),
        ("order", "it", "Ordine"),
        ("credit_note", "it", "Nota di credito"),
        ("proforma", "en", "Pro forma invoice"),
        ("order", "en", "Order"),
        ("credit_note", "en", "Credit note"),
    ],
)
def test_document_titles(document_type, language, title):
    doc = make_doc(document_type=document_type, language=language)
    text = pages_text(render_invoice_pdf(doc))[0]
    assert text.splitlines().count(title) == 1  # the big title, on its own line
    assert f"{title} {'N.' if language == 'it' else 'No.'} 2024/A/0012" in flat(text)


@pytest.mark.parametrize(
    ("method", "language", "name", "iban_label"),
    [
        ("sepa_direct_debit", "it", "Addebito diretto SEPA", "IBAN di addebito"),
        ("riba", "it", "RiBa (ricevuta bancaria)", "Banca d'appoggio (IBAN)"),
        ("sepa_direct_debit", "en", "SEPA direct debit", "Debit from IBAN"),
        ("riba", "en", "RiBa (Italian bank receipt)", "Customer bank (IBAN)"),
    ],
)
def test_payment_methods_print_the_customer_iban(method, language, name, iban_label):
    doc = make_doc(payment_method=method, iban=CUSTOMER_IBAN, language=language)
    one_line = flat(pages_text(render_invoice_pdf(doc))[0])
    assert name in one_line
    assert f"{iban_label} {format_iban(CUSTOMER_IBAN)}" in one_line


def test_bank_transfer_without_iban_falls_back_to_the_company_iban():
    one_line = flat(pages_text(render_invoice_pdf(make_doc(iban=None)))[0])
    assert f"IBAN per il bonifico {format_iban(COMPANY_IBAN)}" in one_line


def test_no_payment_data_prints_no_payment_box():
    doc = make_doc(
        payment_method=None, iban=None, due_date=None, company=replace(COMPANY, iban=None)
    )
    text = pages_text(render_invoice_pdf(doc))[0]
    assert "Pagamento" not in text and "Scadenza" not in text


@pytest.mark.parametrize(("language", "word"), [("it", "BOZZA"), ("en", "DRAFT")])
def test_draft_prints_draft_instead_of_a_number(language, word):
    doc = make_doc(number=None, language=language, lines=many_lines(60))
    pages = pages_text(render_invoice_pdf(doc))
    assert len(pages) > 1
    number_label = "N." if language == "it" else "No."
    assert f"{number_label} {word}" in flat(pages[0])
    assert all(word in page for page in pages)  # the watermark on every page
    assert "2024/A/0012" not in "".join(pages)


def test_notes_and_deductions():
    deductions = (
        ("Acconto: fattura n. 2024/A/0003 del 01/02/2024", D("-1000.00")),
        ("Acconto: fattura n. 2024/A/0007 del 01/03/2024", D("-500.00")),
    )
    notes = (
        "Fatture di acconto già emesse e dedotte:",
        "- n. 2024/A/0003 del 01/02/2024, € 1.000,00",
        "- n. 2024/A/0007 del 01/03/2024, € 500,00",
    )
    doc = make_doc(notes=notes, deductions=deductions, amount_due=D("2480.48"))
    text = pages_text(render_invoice_pdf(doc))[0]
    one_line = flat(text)
    assert "Note" in text
    for note in notes:
        assert note in text
    assert "A dedurre" in text
    assert "Acconto: fattura n. 2024/A/0003 del 01/02/2024 € -1.000,00" in one_line
    assert "Acconto: fattura n. 2024/A/0007 del 01/03/2024 € -500,00" in one_line
    assert "Netto a pagare € 2.480,48" in one_line
    # deductions come after the totals
    assert one_line.index("Totale documento") < one_line.index("A dedurre")

    english = flat(pages_text(render_invoice_pdf(replace(doc, language="en")))[0])
    assert "Less" in english and "Amount due € 2,480.48" in english


# -- pages --------------------------------------------------------------------------------


def test_two_hundred_lines_flow_over_pages_with_header_and_page_numbers():
    doc = make_doc(lines=many_lines(200))
    pages = pages_text(render_invoice_pdf(doc))
    count = len(pages)
    assert count > 1
    for number, text in enumerate(pages, 1):
        assert "Descrizione Q.tà U.M. Prezzo unit. IVA % Importo" in flat(text), number
        assert f"Pagina {number} di {count}" in text
    if count > 1:
        assert "(segue)" in pages[1]
    everything = "\n".join(pages)
    for n in range(1, 201):
        assert f"Riga {n:03d} canone mensile impianto 1 mese 10,00 22% 10,00" in flat(everything)
    assert everything.count("Competenza dal ") == 200
    # totals once, after the last line
    assert everything.count("Totale documento") == 1
    assert flat(everything).index("Riga 200") < flat(everything).index("Totale documento")


def test_english_pages_are_numbered_in_english():
    pages = pages_text(render_invoice_pdf(make_doc(language="en", lines=many_lines(80))))
    assert len(pages) > 1
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Description Qty Unit Unit price VAT % Amount" in flat(text)


def _text_boxes(doc: InvoiceDocument):
    """(page, x, right edge) of every printed text, as laid out before painting."""
    sheet = pdf_module._layout(doc)
    for page, ops in enumerate(sheet.pages, 1):
        for op in ops:
            if op[0] == "text":
                _, x, baseline, text, style, size, _color = op
                yield page, x, x + pdf_module._face(style).width(text, size), baseline, text


def _within_margins(x: float, right: float) -> bool:
    return pdf_module.LEFT - 0.01 <= x <= right <= pdf_module.RIGHT + 0.01


def test_long_description_wraps_inside_its_cell():
    words = " ".join(f"parola{i:03d}" for i in range(120))
    long_word = "Y" * 180  # no space to break at: cut where the cell ends
    lines = (
        replace(LINES[0], description=f"Manutenzione straordinaria: {words} fine."),
        replace(LINES[1], description=long_word),
    )
    doc = make_doc(lines=lines)
    text = "\n".join(pages_text(render_invoice_pdf(doc)))
    # the figures of the row follow its first line: take them out to read the description
    one_line = flat(text).replace(" 3 mesi 150,00 22% 450,00", "")
    one_line = one_line.replace(" 2,5 ore 1.234,50 10% 3.086,25", "")
    assert f"Manutenzione straordinaria: {words} fine." in one_line
    assert long_word in one_line.replace(" ", "")

    description_right = pdf_module.LEFT + pdf_module._COLUMNS[0].width
    for page, x, right, _baseline, printed in _text_boxes(doc):
        assert _within_margins(x, right), (page, printed)
        if printed.startswith(("parola", "YYY")):
            assert right <= description_right, printed


def test_description_longer_than_a_page_goes_on_over_pages():
    words = " ".join(f"voce{i:04d}" for i in range(1500))
    doc = make_doc(lines=(replace(LINES[0], description=words),))
    pages = pages_text(render_invoice_pdf(doc))
    assert len(pages) >= 3
    joined = flat("\n".join(pages)).replace(" 3 mesi 150,00 22% 450,00", "")
    joined = re.sub(r" Manutenzioni Adriatiche .*? \(segue\) Descrizione .*? Importo", "", joined)
    joined = re.sub(
        r" Manutenzioni Adriatiche S\.r\.l\. · P\.IVA .*? Pagina \d+ di \d+", "", joined
    )
    assert words in joined
    for _page, _x, _right, baseline, _text in _text_boxes(doc):
        assert baseline <= pdf_module.PAGE_H - 10


def test_nothing_leaves_the_page_in_a_crowded_document():
    busy = make_doc(
        lines=many_lines(45),
        notes=tuple(f"Nota numero {i}: " + "testo " * 40 for i in range(40)),
        deductions=tuple((f"Acconto n. {i} " + "dettaglio " * 20, D("-1.00")) for i in range(30)),
        amount_due=D("1.00"),
        customer=replace(CUSTOMER, name="Società " * 20, address="Via Lunga " * 30),
    )
    for page, x, right, baseline, printed in _text_boxes(busy):
        assert _within_margins(x, right), (page, printed)
        assert baseline <= pdf_module.PAGE_H - 10, (page, printed)
    pages = pages_text(render_invoice_pdf(busy))
    assert "Netto a pagare € 1,00" in flat("\n".join(pages))
    assert all(f"Pagina {n} di {len(pages)}" in text for n, text in enumerate(pages, 1))


# -- fonts, characters, logo, files ---------------------------------------------------------


def _font_programs(data: bytes) -> list[TTFont]:
    reader = PdfReader(io.BytesIO(data))
    fonts = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        stream = descendant["/FontDescriptor"]["/FontFile2"].get_object()
        fonts.append(TTFont(io.BytesIO(stream.get_data())))
    return fonts


def test_embedded_fonts_are_valid_subsets_with_the_euro_sign():
    data = render_invoice_pdf(make_doc())
    fonts = _font_programs(data)
    assert len(fonts) == 2  # DejaVu Sans and DejaVu Sans Bold
    for font in fonts:
        assert font["maxp"].numGlyphs < 150  # a subset, not the 6,000 glyphs of DejaVu
        glyph_set = font.getGlyphSet()
        for name in font.getGlyphOrder():
            pen = BoundsPen(glyph_set)
            glyph_set[name].draw(pen)  # every glyph, composites included, decodes
            if name not in (".notdef", "space") and font["glyf"][name].numberOfContours:
                assert pen.bounds is not None, name
    assert any(0x20AC in f.getBestCmap() for f in fonts)  # €
    assert any(ord("à") in f.getBestCmap() for f in fonts)


def test_accents_and_european_letters_survive_and_unknown_ones_become_question_marks():
    customer = replace(CUSTOMER, name="Łódź Żółć Ærøskøbing Ελλάδα Σοφία – 漢字")
    text = pages_text(render_invoice_pdf(make_doc(customer=customer)))[0]
    assert "Łódź Żółć Ærøskøbing Ελλάδα Σοφία – ??" in flat(text)
    decomposed = "Nicole\u0300"  # e + combining grave: printed as the single letter è
    text = pages_text(render_invoice_pdf(make_doc(customer=replace(CUSTOMER, name=decomposed))))[0]
    assert "Nicolè" in text


def test_logo_is_drawn_and_cached(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (27, 59, 102)).save(logo)
    doc = make_doc(company=replace(COMPANY, logo_path=str(logo)))
    first = render_invoice_pdf(doc)
    second = render_invoice_pdf(doc)
    assert first == second
    reader = PdfReader(io.BytesIO(first))
    images = reader.pages[0].images
    assert len(images) == 1
    assert images[0].image.size == (300, 100)
    assert COMPANY.name in reader.pages[0].extract_text()


def test_rendering_is_deterministic():
    assert render_invoice_pdf(make_doc()) == render_invoice_pdf(make_doc())


def test_write_invoice_pdf(tmp_path):
    target = write_invoice_pdf(make_doc(), tmp_path / "A-2024-0012.pdf")
    assert target == tmp_path / "A-2024-0012.pdf"
    assert target.read_bytes() == render_invoice_pdf(make_doc())
    assert [p.name for p in tmp_path.iterdir()] == ["A-2024-0012.pdf"]


def test_unknown_language_or_document_type_is_refused():
    with pytest.raises(ValueError):
        make_doc(language="de")
    with pytest.raises(ValueError):
        make_doc(document_type="receipt")


# -- labels and formats ---------------------------------------------------------------------


def test_number_and_date_formats():
    assert ITALIAN.money(D("1234.5")) == "1.234,50"
    assert ENGLISH.money(D("1234.5")) == "1,234.50"
    assert ITALIAN.money(D("-1234567.891")) == "-1.234.567,89"
    assert ITALIAN.money(D("-0.001")) == "0,00"
    assert ITALIAN.money_with_currency(D("10")) == "€ 10,00"
    assert ITALIAN.quantity_text(D("2.500")) == "2,5"
    assert ITALIAN.quantity_text(D("1000")) == "1.000"
    assert ITALIAN.unit_price_text(D("0.1234")) == "0,1234"
    assert ENGLISH.unit_price_text(D("12.3")) == "12.30"
    assert ITALIAN.rate_text(D("22.00")) == "22%"
    assert ITALIAN.rate_text(D("5.5")) == "5,5%"
    assert format_date(date(2024, 3, 5)) == "05/03/2024"
    assert format_iban("it60 x054 2811101000000123456") == "IT60 X054 2811 1010 0000 0123 456"
    assert ITALIAN.period(date(2024, 1, 1), date(2024, 3, 31)) == (
        "Competenza dal 01/01/2024 al 31/03/2024"
    )
    assert ENGLISH.period(date(2024, 1, 1), None) == "Period from 01/01/2024"
    assert ITALIAN.period(None, None) == ""
    assert ITALIAN.page(2, 7) == "Pagina 2 di 7" and ENGLISH.page(2, 7) == "Page 2 of 7"


def test_documents_rendered_in_threads_match_serial_rendering():
    from concurrent.futures import ThreadPoolExecutor

    docs = [
        make_doc(
            number=f"2024/A/{n:04d}", lines=many_lines(1 + n % 7), language=("it", "en")[n % 2]
        )
        for n in range(24)
    ]
    serial = [render_invoice_pdf(doc) for doc in docs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(render_invoice_pdf, docs))
    assert threaded == serial


def test_huge_figures_shrink_to_fit_their_columns():
    line = replace(
        LINES[0],
        quantity=D("1000000.1234"),
        unit="chilogrammi",
        unit_price=D("123456789.1234"),
        amount=D("123456789012.34"),
        vat_rate=D("22.50"),
    )
    doc = make_doc(lines=(line,))
    spans = {}
    x = pdf_module.LEFT
    for column in pdf_module._COLUMNS:
        spans[column.key] = (x + pdf_module.PAD - 0.01, x + column.width - pdf_module.PAD + 0.01)
        x += column.width
    figures = {
        "1.000.000,1234": "quantity",
        "123.456.789,1234": "unit_price",
        "22,5%": "vat_rate",
        "123.456.789.012,34": "amount",
    }
    seen = set()
    for _page, x, right, _baseline, printed in _text_boxes(doc):
        if printed in figures:
            low, high = spans[figures[printed]]
            assert low <= x <= right <= high, printed
            seen.add(printed)
    assert seen == set(figures)
    one_line = flat(pages_text(render_invoice_pdf(doc))[0])
    assert "1.000.000,1234" in one_line and "123.456.789.012,34" in one_line


def test_unreadable_logo_is_left_out_with_a_warning(tmp_path, caplog):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    for path in (tmp_path / "missing.png", broken, tmp_path / "missing.svg"):
        doc = make_doc(company=replace(COMPANY, logo_path=str(path)))
        with caplog.at_level("WARNING"):
            text = pages_text(render_invoice_pdf(doc))[0]
        assert "2024/A/0012" in text
        assert str(path) in caplog.text
